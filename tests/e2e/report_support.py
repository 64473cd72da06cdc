"""A small demo county per backend, built once, for the report tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from click.testing import CliRunner, Result

from cli.main import cli

if TYPE_CHECKING:
    from pathlib import Path

SCALE = "60"


@dataclass(frozen=True)
class County:
    """A demo ledger and the folder its keys and checkpoint sit in."""

    url: str
    home: Path

    def run(self, *args: str) -> Result:
        runner = CliRunner()
        keys = str(self.home / "keys")
        with _Cwd(self.home):
            return runner.invoke(cli, ["--db", self.url, "--keys", keys, *args])


def build_county(url: str, home: Path) -> County:
    county = County(url, home)
    result = county.run("demo", "--scale", SCALE, "--db", url)
    assert result.exit_code == 0, result.output
    return county


class _Cwd:
    """Run a command from ``path`` (checkpoints and reports land there)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.old = ""

    def __enter__(self) -> None:
        import os

        self.old = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc: object) -> None:
        import os

        os.chdir(self.old)
