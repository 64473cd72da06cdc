"""`relief batch`: failed lines reissued or returned, statements, and showing a batch.

These commands join the ``batch`` group of ``cli.cmd_money``.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import click
from rich.table import Table

from cli.acts import pass_services, query
from cli.bankfiles import read_statement
from cli.cmd_money import INPUT_FILE, batch, batch_act, batch_arguments, read_file
from cli.i18n import heading, lang_option, word
from cli.params import acting, parse_amount, parse_date, yuan
from cli.render import as_json, print_table
from domain.batch_rules import Disbursement
from domain.batches import batch_id

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from cli.services import Services
    from domain.batch_rules import Reconciliation
    from domain.batches import PaymentBatch


@batch.command("reissue")
@batch_arguments
@click.argument("line_no", type=click.IntRange(min=1))
@click.option("--bank-ref", required=True, help="The bank's transaction ref.")
@click.option("--value-date", required=True, callback=parse_date)
@click.option("--account", "token", required=True, help="Account token paid.")
@click.option("--amount", required=True, callback=parse_amount, help="Yuan paid.")
@acting
@pass_services
def batch_reissue(
    services: Services,
    *,
    programme: str,
    region: str,
    period: str,
    line_no: int,
    bank_ref: str,
    value_date: date,
    token: str,
    amount: int,
    actor: str,
    on: date,
) -> None:
    """Record a failed line paid again.

    \b
    Example:
        relief batch reissue 低保 110101001 2024-04 2 --bank-ref TXN-9 \\
            --value-date 2024-04-20 --account <token> --amount 1000 --as F1
    """
    item = Disbursement(line_no, bank_ref, value_date, amount, token)
    batch_act(
        services,
        actor,
        on,
        (programme, region, period),
        lambda f, a, i: f.reissue_payment(a, i, item),
    )
    click.echo(f"Line {line_no} reissued ({bank_ref}).")


@batch.command("return")
@batch_arguments
@click.argument("line_no", type=click.IntRange(min=1))
@click.option("--treasury-ref", required=True, help="Ref of the money returned.")
@acting
@pass_services
def batch_return(
    services: Services,
    *,
    programme: str,
    region: str,
    period: str,
    line_no: int,
    treasury_ref: str,
    actor: str,
    on: date,
) -> None:
    """Record a failed line's money returned to the programme account.

    \b
    Example:
        relief batch return 低保 110101001 2024-04 2 --treasury-ref 退库-1 --as F1
    """
    batch_act(
        services,
        actor,
        on,
        (programme, region, period),
        lambda f, a, i: f.return_payment(
            a, i, line_no=line_no, treasury_ref=treasury_ref
        ),
    )
    click.echo(f"Line {line_no} returned ({treasury_ref}).")


@batch.command("reconcile")
@batch_arguments
@click.argument("file", type=INPUT_FILE)
@click.option("--statement", "statement_id", required=True, help="Statement id.")
@click.option("--json", "json_output", is_flag=True, help="Print as JSON.")
@acting
@pass_services
def batch_reconcile(
    services: Services,
    *,
    programme: str,
    region: str,
    period: str,
    file: Path,
    statement_id: str,
    json_output: bool,
    actor: str,
    on: date,
) -> None:
    """Reconcile a bank statement (CSV) against a sent batch.

    \b
    Example:
        relief batch reconcile 低保 110101001 2024-04 statement.csv \\
            --statement ST-2024-04 --as F1
    """
    entries = read_file(file, read_statement)
    result = batch_act(
        services,
        actor,
        on,
        (programme, region, period),
        lambda f, a, i: f.reconcile_statement(
            a, i, statement_id=statement_id, entries=entries
        ),
    )
    document = reconciliation_document(result)
    if json_output:
        click.echo(as_json(document))
        return
    click.echo(
        f"Statement {statement_id}: {len(result.matched)} matched, "
        f"{len(result.unmatched)} unmatched, {len(result.reversals)} reversed, "
        f"{len(result.missing)} paid lines missing from the statement."
    )


def reconciliation_document(result: Reconciliation) -> dict[str, object]:
    """A reconciliation with stable ``--json`` field names."""
    return {
        "matched_lines": list(result.matched),
        "unmatched": [{"bank_ref": r, "amount_fen": a} for r, a in result.unmatched],
        "reversals": [
            {"line_no": n, "bank_ref": r, "amount_fen": a}
            for n, r, a in result.reversals
        ],
        "missing_lines": list(result.missing),
    }


@batch.command("show")
@batch_arguments
@click.option("--json", "json_output", is_flag=True, help="Print as JSON.")
@lang_option
@pass_services
def batch_show(
    services: Services,
    *,
    programme: str,
    region: str,
    period: str,
    json_output: bool,
    lang: str,
) -> None:
    """Show a batch: its state, total, and each line's state.

    \b
    Example:
        relief batch show 低保 110101001 2024-04 --json
    """
    the_id = batch_id(programme, region, period)
    found = query(services, lambda f: f.payment_batch(the_id))
    document = batch_document(found)
    if json_output:
        click.echo(as_json(document))
        return
    states = Counter(found.state.values())
    title = f"{heading('batch', lang)} {programme}/{region}/{period}"
    caption = (
        f"{word(found.status, lang)}; {found.line_count} {heading('lines', lang)}; "
        f"{heading('totals', lang)} {yuan(found.total_fen)}"
    )
    table = Table(title=title, caption=caption)
    table.add_column(heading("status", lang))
    table.add_column(heading("count", lang), justify="right")
    for state, count in sorted(states.items()):
        table.add_row(word(str(state), lang), str(count))
    print_table(table)


def batch_document(found: PaymentBatch) -> dict[str, object]:
    """A batch with stable ``--json`` field names (amounts in fen)."""
    return {
        "programme": found.programme,
        "region_code": found.region_code,
        "period": found.period,
        "status": found.status,
        "line_count": found.line_count,
        "total_fen": found.total_fen,
        "instruction_sha256": found.instruction_sha256,
        "lines": [
            {
                "line_no": no,
                "case_no": line[0],
                "household_no": line[1],
                "amount_fen": line[2],
                "state": found.state.get(no),
            }
            for no, line in sorted(found.lines.items())
        ],
    }
