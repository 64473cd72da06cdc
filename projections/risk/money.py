"""The money rules on accounts and enrolment: RF-16 and RF-14.

Each rule is a pure function over ``MoneyFacts`` (``projections.risk.
money_facts``) returning findings with the evidence that makes them: the
ledger positions and chain hashes of the events an inspector must see. A
finding cites the earliest events of its pattern (the first line paid after a
death, the first line paid through a shared account), so the same facts give
the same evidence on every scan, and a flag once cleared is not raised again.
The rules on the flow of money (RF-01, RF-19, RF-20) are in
``projections.risk.money_flow``, the rule on amounts (RF-18) in
``projections.risk.money_amounts``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from domain import roles
from projections.risk.findings import RiskFinding, rule

if TYPE_CHECKING:
    from collections.abc import Iterator

    from projections.evidence import Evidence
    from projections.risk.money_facts import CaseMoney, MoneyFacts, PaidLine

EXCLUSIVE = frozenset({frozenset({roles.TEKUN, roles.GUER})})
"""Pairs of programmes one person may not hold at once (特困认定办法 §9).

Two active cases of the same programme exclude each other too (2022 notice
§3(1)), except 临时救助, which may recur.
"""


def yuan(fen: int) -> str:
    """Return ``fen`` as yuan with two decimals (for summaries)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d} yuan"


def cite(*evidence: Evidence | None) -> tuple[Evidence, ...]:
    """Return the evidence given, each event once, in ledger order."""
    return tuple(sorted({e for e in evidence if e is not None}))


@rule("RF-16", "账户非本人/一账户多户", "Account misuse", "high")
def account_misuse(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """A payee account is not held by a member of its household, is held by a
    staff member, or pays more than one household or a household it is not
    registered to (审核确认办法 2021 §25: 社会化发放 to the recipient's own
    account; the 2019 一卡通 专项治理 on shared accounts). Lines paid to an
    account never registered are RF-20's.
    """
    for token, account in sorted(facts.accounts.items()):
        subject = f"account {token}"
        if account.holder_ref not in facts.members.get(account.household_no, ()):
            yield RiskFinding(
                "RF-16",
                "high",
                subject,
                f"held by {account.holder_ref[:12]}…, no member of household "
                f"{account.household_no}",
                (account.evidence,),
            )
        staff = facts.staff.get(account.holder_ref)
        if staff is not None:
            yield RiskFinding(
                "RF-16",
                "high",
                subject,
                f"held by staff member {staff[0]}",
                cite(account.evidence, staff[1]),
            )
    yield from _shared_accounts(facts)


def _shared_accounts(facts: MoneyFacts) -> Iterator[RiskFinding]:
    owner = {token: a.household_no for token, a in facts.accounts.items()}
    first: dict[str, dict[str, PaidLine]] = defaultdict(dict)
    for line in facts.paid:
        registered = owner.get(line.token)
        if registered is not None and registered != line.household_no:
            first[line.token].setdefault(line.household_no, line)
    for token, households in sorted(first.items()):
        account = facts.accounts[token]
        others = sorted(households)
        yield RiskFinding(
            "RF-16",
            "high",
            f"account {token}",
            f"registered to household {account.household_no}, paid lines of "
            f"{', '.join(others)}",
            cite(account.evidence, *(households[h].paid for h in others)),
        )


def _months(case: CaseMoney) -> tuple[str, str] | None:
    if case.first_month is None or case.programme == roles.LINSHI:
        return None
    end = case.end_month if case.end_month is not None else "9999-12"
    return (case.first_month, end) if case.first_month < end else None


def _excludes(a: CaseMoney, b: CaseMoney) -> bool:
    return (
        a.programme == b.programme or frozenset({a.programme, b.programme}) in EXCLUSIVE
    )


@rule("RF-14", "重复享受", "One person in two exclusive cases", "high")
def double_enrolment(facts: MoneyFacts) -> Iterator[RiskFinding]:
    """One person is covered, over the same months, by two approved cases that
    exclude each other, in any regions: two cases of the same programme
    (two 低保 households, say; 2022 notice §3(1)) or 特困 and 孤儿 together
    (特困认定办法 §9). 临时救助 may recur and is left out.
    """
    by_person: dict[str, list[tuple[CaseMoney, tuple[str, str]]]] = defaultdict(list)
    for case in facts.cases.values():
        months = _months(case)
        if months is not None:
            for person in set(case.members):
                by_person[person].append((case, months))
    for person, held in sorted(by_person.items()):
        held.sort(key=lambda item: item[0].case_no)
        for index, (a, (a_start, a_end)) in enumerate(held):
            for b, (b_start, b_end) in held[index + 1 :]:
                if _excludes(a, b) and max(a_start, b_start) < min(a_end, b_end):
                    yield RiskFinding(
                        "RF-14",
                        "high",
                        person,
                        f"covered by {a.programme} case {a.case_no} "
                        f"({a.region_code}) and {b.programme} case {b.case_no} "
                        f"({b.region_code}) from {max(a_start, b_start)}",
                        cite(a.opened, a.approved, b.opened, b.approved),
                    )
