"""Helpers for the `relief` command tests: a store per module, a runner, a county.

A module builds its county once per backend (SQLite file, PostgreSQL schema)
through the commands themselves, then each test runs more commands on it.
Tests that write use their own case and household numbers, so they do not
depend on one another and may run in any order or worker.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg import sql

from cli.main import cli
from ledger.store import open_store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

PERSON_KEY = "e2e-deployment-key"
PG = {
    "host": os.environ.get("RELIEF_TEST_PG_HOST", "127.0.0.1"),
    "port": int(os.environ.get("RELIEF_TEST_PG_PORT", "5432")),
    "user": os.environ.get("RELIEF_TEST_PG_USER", "postgres"),
    "dbname": os.environ.get("RELIEF_TEST_PG_DBNAME", "test"),
}
VILLAGE = "110101001001"
TOWNSHIP = "110101001"
COUNTY = "110101"
REGIONS = (
    ("11", "北京市"),
    ("1101", "市辖区"),
    ("110101", "东城区"),
    ("110101001", "东华门街道"),
    ("110101001001", "多福巷社区"),
)
STAFF = {
    "T1": ("乡镇经办", TOWNSHIP),
    "T2": ("乡镇经办", TOWNSHIP),
    "C1": ("县级经办", COUNTY),
    "A1": ("审批", COUNTY),
    "F1": ("财务", COUNTY),
    "F2": ("财务", COUNTY),
    "J1": ("纪检", COUNTY),
    "J2": ("审计", COUNTY),
    "K1": ("村(居)委会成员", VILLAGE),
}
# Valid 18-digit numbers (GB 11643 check digits), made up for tests.
ID_HEAD = "11010519491231002X"
ID_CHILD = "110101199003074477"
ID_OTHER = "110101200001011232"


def ref(label: str) -> str:
    """A person ref (64 hex digits) for a made-up person."""
    return hashlib.sha256(label.encode()).hexdigest()


@dataclass
class Relief:
    """Runs `relief` on one store, and reads the ledger's head."""

    url: str
    keys: Path
    runner: CliRunner

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(
            cli,
            ["--db", self.url, "--keys", str(self.keys), *args],
            env={"RELIEF_PERSON_KEY": PERSON_KEY, "RELIEF_ACTOR": None},
            catch_exceptions=False,
        )

    def ok(self, *args: str) -> Result:
        """Run a command that must succeed."""
        result = self(*args)
        assert result.exit_code == 0, (args, result.output)
        return result

    def head(self) -> tuple[int, bytes]:
        with closing(open_store(self.url)) as store:
            return store.head()

    def refused(self, code: int, *args: str) -> str:
        """Run a command that must fail with ``code`` and one sentence, writing nothing.

        Returns the error sentence.
        """
        before = self.head()
        result = self(*args)
        assert result.exit_code == code, (args, result.output)
        assert self.head() == before, f"{args} wrote to the ledger"
        output = result.output.splitlines()
        lines = [line for line in output if line.startswith("Error")]
        assert len(lines) == 1, result.output
        assert lines[0].rstrip().endswith("."), lines[0]
        return lines[0]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Relief]:
    """A fresh, initialised store per backend, shared by a module's tests."""
    directory = tmp_path_factory.mktemp("relief")
    if request.param == "sqlite":
        relief = Relief(str(directory / "relief.db"), directory / "keys", CliRunner())
        relief.ok("init")
        yield relief
        return
    with _schema() as url:
        relief = Relief(url, directory / "keys", CliRunner())
        relief.ok("init")
        yield relief


def _admin() -> psycopg.Connection[tuple[object, ...]]:
    try:
        return psycopg.connect(**PG, autocommit=True, connect_timeout=3)  # type: ignore[arg-type]
    except psycopg.OperationalError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is required under CI=true: {error}")
        pytest.skip(f"PostgreSQL is unreachable: {error}")


class _schema:  # noqa: N801 - used as a context manager, like a function
    def __init__(self) -> None:
        self.name = f"t_{uuid.uuid4().hex[:16]}"

    def __enter__(self) -> str:
        with _admin() as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.name)))
        return (
            f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{PG['dbname']}"
            f"?schema={self.name}"
        )

    def __exit__(self, *exc: object) -> None:
        with _admin() as conn:
            conn.execute(
                sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(self.name))
            )


def as_(staff_id: str, day: str) -> tuple[str, ...]:
    """The ``--as`` and ``--on`` options."""
    return ("--as", staff_id, "--on", day)


def build_county(relief: Relief) -> None:
    """Regions, a 低保 standard, staff with roles, households H1 and H2."""
    for code, name in REGIONS:
        relief.ok("region", "add", code, name, *as_("S0", "2024-01-02"))
    relief.ok(
        "standard", "set", COUNTY, "低保", "urban", "800", "--from", "2024-01-01",
        "--document", "东民发〔2024〕1号", *as_("S0", "2024-01-02"),
    )  # fmt: skip
    for staff_id, (role, org) in STAFF.items():
        relief.ok(
            "staff", "add", staff_id, ref(f"staff-{staff_id}"), f"员工{staff_id}",
            *as_("S0", "2024-01-02"),
        )  # fmt: skip
        relief.ok(
            "staff", "role", staff_id, role, org, "--from", "2024-01-01",
            *as_("S0", "2024-01-02"),
        )  # fmt: skip
    relief.ok(
        "household", "add", "H1", VILLAGE, "--area", "urban",
        "--member", f"{ID_HEAD},张三,户主,1949-12-31",
        "--member", f"{ID_CHILD},张小,子女,1990-03-07",
        *as_("T1", "2024-02-01"),
    )  # fmt: skip


def household(relief: Relief, number: str, label: str) -> str:
    """Register a one-person household; return the person's ref."""
    person = ref(label)
    relief.ok(
        "household", "add", number, VILLAGE, "--area", "urban",
        "--member", f"{person},王{label[-1]},户主,1970-05-01",
        *as_("T1", "2024-02-01"),
    )  # fmt: skip
    return person


def approved_case(relief: Relief, case_no: str, household_no: str, amount: str) -> None:
    """Take a 低保 补差 case of a registered household through to approval."""
    person = relief.ok("household", "show", household_no, "--json").output
    applicant = person.split('"person_ref": "')[1][:64]
    relief.ok(
        "case", "apply", case_no, "低保", "补差", household_no,
        "--applicant", applicant, "--consent", "授权书-1", "--promise", "承诺书-1",
        *as_("T1", "2024-03-01"),
    )  # fmt: skip
    relief.ok("case", "accept", case_no, *as_("T1", "2024-03-01"))
    relief.ok(
        "case", "request-check", case_no, "--source", "户籍", *as_("T1", "2024-03-01")
    )
    relief.ok(
        "case", "record-check", case_no, "300", "--report", "核对-1",
        *as_("C1", "2024-03-04"),
    )  # fmt: skip
    relief.ok(
        "case", "visit", case_no, "--level", "township",
        "--investigator", "T1", "--investigator", "T2", *as_("T1", "2024-03-05"),
    )  # fmt: skip
    relief.ok("case", "opinion", case_no, "approve", amount, *as_("T1", "2024-03-06"))
    relief.ok(
        "case", "notice", case_no, "--from", "2024-03-07", "--until", "2024-03-14",
        *as_("T1", "2024-03-07"),
    )  # fmt: skip
    relief.ok("case", "approve", case_no, amount, *as_("A1", "2024-03-15"))
