"""Money for finance officers (财务): the month's payment batches.

A batch is named by programme, township code and month. It is created from
the roll, approved by a second officer, exported as the bank instruction file
(whose SHA-256 the ledger records), closed line by line from the bank's return
file, and reconciled against the bank statement. The instruction file is made
by ``domain.instruction_file``; the files read: ``cli.bankfiles``;
funds and payee accounts: ``cli.cmd_funds``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from cli.acts import pass_services, perform
from cli.bankfiles import BankFileError, Returns, read_returns
from cli.params import acting, parse_month
from domain import roles
from domain.batches import batch_id

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date
    from uuid import UUID

    from cli.services import Services
    from domain.base import Act
    from domain.instruction_file import InstructionFile
    from domain.service import ReliefFund


T = TypeVar("T")

FINANCE = (roles.FINANCE,)
ACCOUNTS = (roles.FINANCE, roles.TOWNSHIP_CLERK, roles.COUNTY_CLERK)
INPUT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def batch() -> None:
    """Monthly payment batches: PROGRAMME TOWNSHIP MONTH name one.

    \b
    Example:
        relief batch show 低保 110101001 2024-04
    """


def batch_arguments(command: Callable[..., None]) -> Callable[..., None]:
    """Add PROGRAMME REGION PERIOD, which name a batch."""
    command = click.argument("period", callback=parse_month)(command)
    command = click.argument("region")(command)
    return click.argument("programme", type=click.Choice(sorted(roles.PROGRAMMES)))(
        command
    )


def batch_act(
    services: Services,
    actor: str,
    on: date,
    the_batch: tuple[str, str, str],
    call: Callable[[ReliefFund, Act, UUID], T],
) -> T:
    """Run one finance command on the batch named by ``the_batch``."""
    the_id = batch_id(*the_batch)
    return perform(services, actor, on, FINANCE, lambda f, a: call(f, a, the_id))


@batch.command("create")
@batch_arguments
@acting
@pass_services
def batch_create(
    services: Services,
    *,
    programme: str,
    region: str,
    period: str,
    actor: str,
    on: date,
) -> None:
    """Make the month's batch of a township from its roll.

    \b
    Example:
        relief batch create 低保 110101001 2024-04 --as F1
    """
    perform(
        services,
        actor,
        on,
        FINANCE,
        lambda f, a: f.create_batch(
            a, programme=programme, region_code=region, period=period
        ),
    )
    click.echo(f"Batch {programme}/{region}/{period} created.")


@batch.command("approve")
@batch_arguments
@acting
@pass_services
def batch_approve(
    services: Services,
    *,
    programme: str,
    region: str,
    period: str,
    actor: str,
    on: date,
) -> None:
    """Approve a batch: a second finance officer, not its maker.

    \b
    Example:
        relief batch approve 低保 110101001 2024-04 --as F2
    """
    batch_act(
        services,
        actor,
        on,
        (programme, region, period),
        lambda f, a, i: f.approve_batch(a, i),
    )
    click.echo(f"Batch {programme}/{region}/{period} approved.")


def _send(bank: str, out: Path) -> Callable[[ReliefFund, Act, UUID], str]:
    """Export the instruction, writing its bytes to ``out`` before it is recorded.

    The domain makes the file and records its SHA-256
    (``ReliefFund.export_instruction``); ``out`` is created here, never
    replacing a file, and removed again if the export is not recorded.
    """

    created: list[Path] = []

    def write(made: InstructionFile) -> None:
        with out.open("xb") as file:
            created.append(out)
            file.write(made.data)

    def send(fund: ReliefFund, act: Act, the_id: UUID) -> str:
        try:
            return fund.export_instruction(act, the_id, bank, write).sha256
        except BaseException:
            for path in created:
                path.unlink()
            raise

    return send


@batch.command("export")
@batch_arguments
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--bank", required=True, help="The paying bank's code.")
@acting
@pass_services
def batch_export(
    services: Services,
    *,
    programme: str,
    region: str,
    period: str,
    out: Path,
    bank: str,
    actor: str,
    on: date,
) -> None:
    """Write the bank instruction file of an approved batch; record its SHA-256.

    \b
    Example:
        relief batch export 低保 110101001 2024-04 --out pay-2024-04.csv \\
            --bank ICBC --as F1
    """
    if out.exists():
        raise click.BadParameter(
            f"{out} exists; it is never replaced.", param_hint="--out"
        )
    the_id = batch_id(programme, region, period)
    send = _send(bank, out)
    digest = perform(services, actor, on, FINANCE, lambda f, a: send(f, a, the_id))
    click.echo(f"Instruction written to {out}; SHA-256 {digest} recorded.")


def _close_lines(returns: Returns) -> Callable[[ReliefFund, Act, UUID], None]:
    """Record every paid and failed line in one save, or none of them."""

    def close(fund: ReliefFund, act: Act, the_id: UUID) -> None:
        with fund.batched():
            if returns.paid:
                fund.record_disbursements(act, the_id, returns.paid)
            for failure in returns.failed:
                fund.record_payment_failure(
                    act,
                    the_id,
                    line_no=failure.line_no,
                    reason_code=failure.reason_code,
                    bank_ref=failure.bank_ref,
                )

    return close


def read_file(path: Path, parse: Callable[[str], T]) -> T:
    """Parse a bank file; a malformed row is bad input (exit 2) naming its line."""
    try:
        return parse(path.read_text(encoding="utf-8"))
    except (BankFileError, UnicodeDecodeError) as error:
        raise click.BadParameter(f"{path}: {error}.", param_hint="FILE") from None


@batch.command("import")
@batch_arguments
@click.argument("file", type=INPUT_FILE)
@acting
@pass_services
def batch_import(
    services: Services,
    *,
    programme: str,
    region: str,
    period: str,
    file: Path,
    actor: str,
    on: date,
) -> None:
    """Import the bank's return file: paid lines and failed lines, all or none.

    \b
    Example:
        relief batch import 低保 110101001 2024-04 return-2024-04.csv --as F1
    """
    returns = read_file(file, read_returns)
    the_batch = (programme, region, period)
    batch_act(services, actor, on, the_batch, _close_lines(returns))
    click.echo(f"Recorded {len(returns.paid)} paid and {len(returns.failed)} failed.")
