"""Legacy line types of money: funds, payee accounts, batches and their lines.

Each delegates to the payments import path (``domain.payment_imports``), which
skips a fact already recorded and refuses only malformed data. A batch is
named by its record ``programme/region_code/YYYY-MM``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.batch_rules import Disbursement, Line, StatementEntry
from domain.batches import batch_id
from domain.errors import InvalidDataError
from domain.legacy_fields import LineType
from domain.reference import region_code

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from uuid import UUID

    from domain.base import Act
    from domain.legacy_lines import LegacyLine
    from domain.payment_imports import PaymentImports


def _key(record: str, kind: str, parts: int) -> list[str]:
    pieces = record.split("/")
    if len(pieces) != parts or not all(p.strip() for p in pieces):
        raise InvalidDataError(
            "legacy-record", f"{kind} {record}", f"expected {parts} parts split by /"
        )
    return pieces


def _batch(record: str) -> UUID:
    programme, region, period = _key(record, "payment batch", 3)
    return batch_id(programme, region_code(region), period)


def _funds(fund: PaymentImports, act: Act, record: str, f: Mapping[str, Any]) -> bool:
    programme, org = _key(record, "programme account", 2)
    return fund.import_funds_received(act, programme=programme, org_code=org, **f)


def _account(fund: PaymentImports, act: Act, record: str, f: Mapping[str, Any]) -> bool:
    return fund.import_bank_account(
        act,
        account_token=record,
        household_no=f["household_no"],
        holder_ref=f["holder"],
        bank_code=f["bank_code"],
        card_type=f["card_type"],
    )


def _custody(fund: PaymentImports, act: Act, record: str, f: Mapping[str, Any]) -> bool:
    return fund.import_custody_agreement(act, account_token=record, **f)


def _created(fund: PaymentImports, act: Act, record: str, f: Mapping[str, Any]) -> bool:
    programme, region, period = _key(record, "payment batch", 3)
    lines = [Line(r["case_no"], r["household_no"], r["amount_fen"]) for r in f["lines"]]
    return fund.import_batch(
        act,
        programme=programme,
        region_code=region_code(region),
        period=period,
        lines=lines,
    )


def _approved(
    fund: PaymentImports,
    act: Act,
    record: str,
    f: Mapping[str, Any],  # noqa: ARG001 (every apply takes the fields)
) -> bool:
    return fund.import_batch_approval(act, _batch(record))


def _sent(fund: PaymentImports, act: Act, record: str, f: Mapping[str, Any]) -> bool:
    return fund.import_instruction(act, _batch(record), **f)


def _paid(f: Mapping[str, Any]) -> Disbursement:
    return Disbursement(
        f["line_no"],
        f["bank_txn_ref"],
        f["value_date"],
        f["amount_fen"],
        f["account_token"],
    )


def _disbursed(
    fund: PaymentImports, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    return fund.import_disbursements(act, _batch(record), [_paid(f)]) > 0


def _disbursed_many(fund: PaymentImports, lines: Sequence[LegacyLine]) -> int:
    first = lines[0]
    items = [_paid(line.fields) for line in lines]
    return fund.import_disbursements(first.act, _batch(first.record), items)


def _same_report(line: LegacyLine) -> object:
    return (line.type.name, line.record, line.act)


def _failed(fund: PaymentImports, act: Act, record: str, f: Mapping[str, Any]) -> bool:
    return fund.import_payment_failure(act, _batch(record), **f)


def _reissued(
    fund: PaymentImports, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    return fund.import_reissue(act, _batch(record), _paid(f))


def _returned(
    fund: PaymentImports, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    return fund.import_return(act, _batch(record), **f)


def _reconciled(
    fund: PaymentImports, act: Act, record: str, f: Mapping[str, Any]
) -> bool:
    entries = [
        StatementEntry(e["bank_txn_ref"], e["amount_fen"], bool(e["reversal"]))
        for e in f["entries"]
    ]
    return fund.import_reconciliation(
        act, _batch(record), statement_id=f["statement_id"], entries=entries
    )


_PAID = {
    "line_no": "int",
    "bank_txn_ref": "text",
    "value_date": "date",
    "amount_fen": "fen",
    "account_token": "text",
}

MONEY_TYPES: tuple[LineType, ...] = (
    LineType(
        "payment.funds_received",
        {
            "source": "text",
            "amount_fen": "fen",
            "treasury_ref": "text",
            "received_on": "date",
        },
        _funds,
    ),
    LineType(
        "payment.bank_account_registered",
        {
            "household_no": "text",
            "holder": "person",
            "bank_code": "text",
            "card_type": "text",
        },
        _account,
    ),
    LineType(
        "payment.custody_agreement_filed",
        {"custodian_id": "text", "agreement_hash": "text", "filed_on": "date"},
        _custody,
    ),
    LineType(
        "payment.batch_created",
        {"lines": "members"},
        _created,
        nested={
            "lines": {"case_no": "text", "household_no": "text", "amount_fen": "fen"}
        },
    ),
    LineType("payment.batch_approved", {}, _approved),
    LineType(
        "payment.instruction_sent",
        {
            "file_sha256": "text",
            "line_count": "int",
            "total_fen": "fen",
            "bank_code": "text",
        },
        _sent,
    ),
    LineType(
        "payment.disbursed",
        _PAID,
        _disbursed,
        group_key=_same_report,
        apply_many=_disbursed_many,
    ),
    LineType(
        "payment.failed",
        {"line_no": "int", "reason_code": "text", "bank_ref": "text"},
        _failed,
    ),
    LineType("payment.reissued", _PAID, _reissued),
    LineType("payment.returned", {"line_no": "int", "treasury_ref": "text"}, _returned),
    LineType(
        "payment.reconciled",
        {"statement_id": "text", "entries": "members"},
        _reconciled,
        nested={
            "entries": {
                "bank_txn_ref": "text",
                "amount_fen": "fen",
                "?reversal": "bool",
            }
        },
    ),
)
