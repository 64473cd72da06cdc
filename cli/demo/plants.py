"""The planted red-flag patterns: which households break which rule, and how.

``plant(county, rng)`` picks a small, documented minority of households (and
one village, one township clerk, a few bank lines) before the history is
written, and the writers consult the returned ``Plan``. ``Plan.manifest``
is the machine-readable list of what was planted, which ``relief demo
--manifest`` writes and the tests read; ``docs/demo-county.md`` explains each
pattern and the rule meant to catch it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from cli.demo.county import link_cadre
from cli.demo.shares import choose_village
from domain import roles

if TYPE_CHECKING:
    import random

    from cli.demo.county import County, Home, Post


@dataclass(frozen=True)
class Planted:
    """One planted instance: the pattern, the rule meant to catch it, where.

    ``subject`` is what the rule's finding names (``relief risk list``): the
    case for the case rules, ``account <token>`` for RF-16, ``<batch> line
    <n>`` for RF-19, ``<batch> <statement>`` for RF-20, ``township <code>``
    for RF-24, the village code for RF-25. Entries that share a subject
    expect one finding subject between them (RF-24's six grants, one cluster).
    """

    pattern: str
    rule: str
    household_no: str
    case_no: str
    region_code: str
    detail: str
    subject: str


@dataclass
class Plan:
    """The households and records each planted pattern applies to."""

    undeclared: set[str] = field(default_factory=set)
    no_county_visit: set[str] = field(default_factory=set)
    approver_kin: dict[str, Post] = field(default_factory=dict)
    concentrated_village: str = ""
    shared_accounts: dict[str, str] = field(default_factory=dict)
    """Household no. → the household whose account its money goes to."""
    death_paid: set[str] = field(default_factory=set)
    skipped_notice: set[str] = field(default_factory=set)
    short_notice: set[str] = field(default_factory=set)
    overdue_review: set[str] = field(default_factory=set)
    bunched_township: str = ""
    equal_village: str = ""
    """The village whose 低保 is shared out equally a head (RF-15)."""
    planted: list[Planted] = field(default_factory=list)

    def note(
        self,
        pattern: str,
        rule: str,
        home: Home,
        case_no: str,
        why: str,
        *,
        subject: str = "",
    ) -> None:
        """Record that ``case_no`` of ``home`` carries ``pattern``.

        ``subject`` is what the rule's finding will name (the case by default).
        """
        self.planted.append(
            Planted(
                pattern,
                rule,
                home.number,
                case_no,
                home.village,
                why,
                subject or case_no,
            )
        )

    def manifest(self) -> list[dict[str, str]]:
        """Return the planted instances as plain dictionaries, in order."""
        return [asdict(p) for p in self.planted]

    def special(self, number: str) -> bool:
        """Whether household ``number`` carries a planted pattern."""
        return any(
            number in group
            for group in (
                self.undeclared,
                self.no_county_visit,
                self.approver_kin,
                self.shared_accounts,
                set(self.shared_accounts.values()),
                self.death_paid,
                self.skipped_notice,
                self.short_notice,
                self.overdue_review,
            )
        )


def plant(county: County, rng: random.Random, scale: float) -> Plan:
    """Choose the planted households of ``county``; ``scale`` sizes the counts."""
    plan = Plan()
    count = max(2, round(6 * scale))
    free = _linked_homes(county, rng, count + max(1, count // 2))
    plan.undeclared = {h.number for h in free[:count]}
    plan.no_county_visit = {h.number for h in free[count : count + max(1, count // 2)]}
    _approver_kin(county, rng, plan, max(1, count // 3))
    _concentrated(county, rng, plan)
    _ordinary(county, rng, plan, count)
    township = county.townships[len(county.townships) // 2]
    plan.bunched_township = township.code
    plan.equal_village = choose_village(county, plan)
    return plan


def _linked_homes(county: County, rng: random.Random, needed: int) -> list[Home]:
    """Return cadre-linked family homes, linking more when a small county lacks them."""
    kinds = ("family", "elderly-couple")
    free = [h for h in county.homes if h.number in county.cadre_kin and h.kind in kinds]
    cadres = [p for p in county.posts if len(p.org) == 12]
    spare = [
        h for h in county.homes if h.number not in county.cadre_kin and h.kind in kinds
    ]
    rng.shuffle(spare)
    for home in spare[: max(0, needed - len(free))]:
        post = next((p for p in cadres if p.org == home.village), None)
        if post is not None:
            link_cadre(county, post, home, rng)
            free.append(home)
    rng.shuffle(free)
    return free


def _approver_kin(county: County, rng: random.Random, plan: Plan, count: int) -> None:
    approvers = [p for p in county.posts if p.role == roles.APPROVER]
    homes = [
        h
        for h in county.homes
        if h.kind == "family" and h.number not in county.cadre_kin
    ]
    for home in rng.sample(homes, count):
        approver = rng.choice(approvers)
        link_cadre(county, approver, home, rng)
        plan.approver_kin[home.number] = approver


def _concentrated(county: County, rng: random.Random, plan: Plan) -> None:
    """Link the cadres of one rural village to many of its households."""
    village = county.villages[len(county.villages) * 2 // 3]
    plan.concentrated_village = village.code
    homes = [
        h
        for h in county.homes
        if h.village == village.code and h.number not in county.cadre_kin
    ]
    cadres = [p for p in county.posts if p.org == village.code]
    for index, home in enumerate(homes[: max(4, len(homes) // 3)]):
        link_cadre(county, cadres[index % len(cadres)], home, rng)


def _ordinary(county: County, rng: random.Random, plan: Plan, count: int) -> None:
    """Pick the households of the patterns that need no kinship."""
    taken = set(county.cadre_kin)
    pool = [h for h in county.homes if h.number not in taken]
    rng.shuffle(pool)
    singles = [h for h in pool if h.kind == "elderly-single"]
    plan.death_paid = {h.number for h in singles[:count]}
    families = [h for h in pool if h.kind == "family"]
    groups = families[: count * 3]
    for index in range(0, len(groups) - 2, 3):
        owner = groups[index]
        for other in groups[index + 1 : index + 3]:
            plan.shared_accounts[other.number] = owner.number
    rest = families[count * 3 :]
    plan.skipped_notice = {h.number for h in rest[: max(1, count // 2)]}
    plan.short_notice = {h.number for h in rest[count // 2 + 1 : count + 1]}
    plan.overdue_review = {h.number for h in rest[count + 1 : count * 2 + 1]}
