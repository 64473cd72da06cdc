"""Local policy: the settings a deployment may change, with defaults from the rules.

Every number here is a rule that the regulations leave to local policy or that
a province may tighten. The defaults are those of the regulations in
``docs/domain.md``; a deployment loads its own values with ``Policy.from_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from domain import roles
from domain.errors import InvalidDataError

if TYPE_CHECKING:
    from collections.abc import Mapping

_RELATIVE_FILING_ROLES = frozenset(
    {
        roles.TOWNSHIP_CLERK,
        roles.COUNTY_CLERK,
        roles.REVIEWER,
        roles.APPROVER,
        roles.VILLAGE_COMMITTEE,
        roles.GROUP_LEADER,
    }
)


@dataclass(frozen=True)
class Policy:
    """The local-policy settings, each defaulting to the regulation it comes from.

    Attributes:
        relative_filing_roles: staff roles whose 近亲属 must be filed separately
            (审核确认办法 2021 §11; 审核审批办法 2012 §14; 村民小组长 from the
            2024 整治 campaigns, which provinces may or may not adopt).
        notice_days: length of a 公示 in calendar days (2021 §19; 特困 §15).
        review_months_stable: review interval for stable households (2021 §31).
        review_months_unstable: review interval for unstable income (2021 §31).
        gradual_exit_max_months: longest 渐退期 (2022 notice §1(3)).
        pay_day: day of the month by which benefits are paid (2012 §31).
        reissue_window_days: days to reissue or return a failed payment.
        regularise_window_days: days to regularise an emergency grant
            (2018 临时救助意见 (二)).
        default_township_emergency_limit_fen: 临时救助 approval limit of a
            township when the county has set none (2018 意见 (三); local).
        default_county_emergency_limit_fen: the county's own limit before
            一事一议 when none is set (2018 意见 (三); purely local, no national
            figure exists).
        death_review_days: days to review a household after a death
            (2022 notice §1(3): three months).
        accept_to_decision_working_days: acceptance to decision (2021 §22).
        extended_working_days: the extended limit in special cases (2021 §22).
        reference_roles: roles that may record reference data (regions,
            standards, limits, calendar, staff); a deployment choice.
        household_roles: roles that may register households and kinship
            (2021 §10: the township accepts and registers).
    """

    relative_filing_roles: frozenset[str] = _RELATIVE_FILING_ROLES
    notice_days: int = 7
    review_months_stable: int = 12
    review_months_unstable: int = 6
    gradual_exit_max_months: int = 6
    pay_day: int = 10
    reissue_window_days: int = 30
    regularise_window_days: int = 30
    default_township_emergency_limit_fen: int = 100_000
    default_county_emergency_limit_fen: int = 500_000
    death_review_days: int = 90
    accept_to_decision_working_days: int = 30
    extended_working_days: int = 45
    reference_roles: frozenset[str] = field(
        default=frozenset({roles.COUNTY_CLERK, roles.APPROVER})
    )
    household_roles: frozenset[str] = field(
        default=frozenset({roles.TOWNSHIP_CLERK, roles.COUNTY_CLERK})
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """Return the default policy with the settings in ``data`` replacing them.

        Raises:
            InvalidDataError: a key is unknown or a value has the wrong type.
        """
        known = {f.name: f for f in fields(cls)}
        changes: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise InvalidDataError("policy-setting", key, "no such policy setting")
            changes[key] = _coerce(key, getattr(cls(), key), value)
        return replace(cls(), **changes)


def _coerce(key: str, default: object, value: object) -> object:
    """Return ``value`` in the type of ``default``, or refuse it."""
    if isinstance(default, frozenset):
        if not isinstance(value, list | tuple | set | frozenset) or not all(
            isinstance(item, str) for item in value
        ):
            raise InvalidDataError("policy-setting", key, "expected a list of names")
        unknown = set(value) - roles.ROLES
        if unknown:
            raise InvalidDataError(
                "policy-setting", key, f"unknown roles {sorted(unknown)}"
            )
        return frozenset(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidDataError("policy-setting", key, "expected a whole number ≥ 0")
    return value
