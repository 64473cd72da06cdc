"""Pure rules of a relief case: months, amount caps, care tiers and vocabularies.

Nothing here reads state or reference data; the commands pass values in and the
functions return what the regulations say about them.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from typing import Final, Literal

from domain import roles
from domain.errors import AmountError, InvalidDataError

Status = Literal["applied", "accepted", "active", "suspended", "rejected", "terminated"]

# Programme categories chosen at application.
CATEGORIES: Final[dict[str, frozenset[str]]] = {
    roles.DIBAO: frozenset({"补差", "分档"}),
    roles.TEKUN: frozenset({"集中供养", "分散供养"}),
    roles.LINSHI: frozenset({"急难型", "支出型"}),
    roles.CANJI: frozenset({"生活补贴", "护理补贴"}),
    roles.GUER: frozenset({"孤儿", "事实无人抚养儿童"}),
}
CHANNELS: Final = frozenset({"窗口", "网上", "委托村居", "主动发现"})
# 审核确认办法 2021 §22; 2022 notice §4(1).
EXTENSION_REASONS: Final = frozenset({"公示异议", "人户分离", "异地申办", "调查困难"})
VISIT_LEVELS: Final = frozenset({"township", "county"})
RESOLUTIONS: Final = frozenset({"重新调查", "民主评议"})
REVIEW_CLASSES: Final = frozenset({"annual", "semi-annual"})
REVIEW_OUTCOMES: Final = frozenset({"no-change", "increase", "decrease", "stop"})
CHANGE_TYPES: Final = frozenset(
    {
        "death",
        "birth",
        "marriage",
        "income",
        "asset",
        "job",
        "migration",
        "imprisonment",
    }
)
CHANGE_SOURCES: Final = frozenset({"self", "village", "data-match"})
# 特困认定办法 §24; domain notes §2.4 BenefitTerminated.
TERMINATION_REASONS: Final = frozenset(
    {
        "death",
        "income-or-assets",
        "work-capacity",
        "imprisonment",
        "supporter-able",
        "voluntary",
        "non-cooperation",
        "fraud",
        "age",
        "gradual-exit-ended",
        "aid-completed",
    }
)
OVERPAYMENT_CAUSES: Final = frozenset(
    {"late-death-report", "fraud", "error", "duplicate"}
)
SELF_CARE_CATEGORIES: Final = ("self-care", "partial-loss", "full-loss")
ADL_ITEMS: Final = frozenset(
    {"eating", "dressing", "transfer", "toileting", "walking", "bathing"}
)
APPROVAL_NOTICE: Final = "初审公示"
TERMINATION_NOTICE: Final = "终止公示"
SUPPORT_MODES: Final = frozenset({"集中供养", "分散供养"})
INTAKE_ROLES: Final = frozenset({roles.TOWNSHIP_CLERK, roles.COUNTY_CLERK})
# 审核确认办法 2021 §21: the county's written reasons reach the applicant
# through the township, so its clerk records how they were served: handed
# over against a signed receipt, posted, or handed over by the 村(居)委会 on
# the township's behalf. A notice is written in every case, so the channel
# names the serving, not the form.
REJECTION_NOTICE_ROLES: Final = frozenset({roles.TOWNSHIP_CLERK})
REJECTION_NOTICE_CHANNELS: Final = frozenset({"直接送达", "邮寄送达", "委托村居送达"})
DECISION_ROLES: Final = frozenset({roles.APPROVER})
MINOR_AGE: Final = 18
ELDERLY_AGE: Final = 60
SEVERE_GRADE: Final = 2
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def month_of(day: date) -> str:
    """Return the ``YYYY-MM`` period that contains ``day``."""
    return f"{day.year:04d}-{day.month:02d}"


def checked_month(period: str, record: str) -> str:
    """Return ``period`` if it is a ``YYYY-MM`` month, else refuse it."""
    if not isinstance(period, str) or not _MONTH.match(period):
        raise InvalidDataError("period-format", record, f"{period!r} is no YYYY-MM")
    return period


def add_months(period: str, n: int) -> str:
    """Return the period ``n`` months after ``period`` (before it when negative)."""
    index = int(period[:4]) * 12 + int(period[5:]) - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def next_month(day: date) -> str:
    """Return the month after the one containing ``day``.

    Rule: 审核确认办法 2021 §21 (pay from the month after the decision) and
    特困认定办法 §17, §26 (support starts, and stops, from the next month).
    """
    return add_months(month_of(day), 1)


def day_months_later(day: date, n: int) -> date:
    """Return the day ``n`` months after ``day``, kept within the month's end."""
    year, month = divmod(day.year * 12 + day.month - 1 + n, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def months_spanned(first: str, last: str) -> int:
    """Return how many months run from ``first`` to ``last``, both included."""
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1


def age_on(birth: date, day: date) -> int:
    """Return the age in whole years on ``day`` of someone born on ``birth``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def money(value: object, record: str) -> int:
    """Return ``value`` as non-negative integer fen, or refuse it (never a float)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AmountError("money-fen", record, f"{value!r} is no whole number of fen")
    return value


def subsidy_cap(standard: int, per_capita_income: int, size: int) -> int:
    """Return the most a 补差 household may get each month, in fen.

    Rule: 审核审批办法 2012 §27 and 审核确认办法 2021 §23: the amount is the
    gap between the local standard and the per-capita income, times the
    number of household members; never below zero.
    """
    return max(standard - per_capita_income, 0) * size


def self_care_category(failed: frozenset[str]) -> str:
    """Return the 生活自理能力 category from the failed ADL items.

    Rule: 特困认定办法 §20–21: all six managed is self-care, three or fewer
    failed is partial loss, four or more failed is full loss.
    """
    if not failed:
        return SELF_CARE_CATEGORIES[0]
    return SELF_CARE_CATEGORIES[1] if len(failed) <= 3 else SELF_CARE_CATEGORIES[2]


def ineligibility(
    programme: str, category: str, age: int, grade: int | None, in_school: bool
) -> str | None:
    """Return why a covered person cannot have ``programme``, or None if they can.

    Rules: 特困认定办法 §4–5 and 2020 意见 (elderly ≥60, disabled, or under 18);
    孤儿/事实无人抚养儿童 under 18 or still at school (domain notes §1.7);
    残疾人两项补贴 needs a disability grade, and the 护理补贴 a severe one
    (grade 1–2: 2015 国务院 两项补贴意见; domain notes RF-28).
    """
    young = age < MINOR_AGE or in_school
    if programme == roles.TEKUN and not (age >= ELDERLY_AGE or grade or young):
        return "特困 covers the elderly, the disabled and minors"
    if programme == roles.GUER and not young:
        return "orphan support ends at 18 unless at school"
    if programme == roles.CANJI and grade is None:
        return "the subsidy needs a disability grade"
    if category == "护理补贴" and (grade or 0) > SEVERE_GRADE:
        return "the nursing subsidy needs a grade 1 or 2 disability"
    return None


def payable_on(schedule: dict[str, int], period: str) -> int:
    """Return the amount a schedule of ``{from_month: fen}`` steps gives ``period``.

    A step holds from its month until the next step; months before the first
    step pay nothing, and a step of 0 stops payment (suspension, exit).
    """
    latest, amount = "", 0
    for month, fen in schedule.items():
        if latest < month <= period:
            latest, amount = month, fen
    return amount


def application_fields(
    case: tuple[str, str, str],
    *,
    household: tuple[str, str, str],
    people: tuple[str, tuple[str, ...]],
    consent: tuple[str, str],
    channel: str,
) -> dict[str, object]:
    """Return the ``Applied`` payload, refusing what may not be lodged.

    ``case`` is (case no., programme, category); ``household`` is (household
    no., region code, area). Rule: 审核确认办法 2021 §4 (the applicant is a
    household member), §9 (the applicant signs the 承诺 and authorises the
    check); the programme, its category and the channel come from closed lists.
    """
    case_no, programme, category = case
    record = f"case {case_no}"
    if not case_no.strip():
        raise InvalidDataError("case-number", record, "the case has no number")
    if category not in CATEGORIES.get(programme, frozenset()):
        raise InvalidDataError(
            "programme-category", record, f"{programme}/{category} is unknown"
        )
    applicant, members = people
    if not members or applicant not in members:
        raise InvalidDataError("applicant-member", record, "the applicant is no member")
    if not all(ref.strip() for ref in consent):
        raise InvalidDataError(
            "authorisation-commitment", record, "授权核对 and 承诺 must both be signed"
        )
    if channel not in CHANNELS:
        raise InvalidDataError("channel", record, f"{channel!r} is no channel")
    return {
        "case_no": case_no,
        "programme": programme,
        "category": category,
        "household_no": household[0],
        "region_code": household[1],
        "area": household[2],
        "applicant_ref": applicant,
        "member_refs": tuple(members),
        "channel": channel,
        "authorisation_ref": consent[0],
        "commitment_ref": consent[1],
    }
