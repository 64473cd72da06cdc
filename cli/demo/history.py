"""Five years of cases in the demo county: who applies, when, and what follows.

Each household gets the programmes its members fit (特困 for the elderly
alone, 孤儿 for grandchildren without parents, 两项补贴 for a disability,
低保 for about two in five, 临时救助 now and then); about seven cases in ten
were already paid when the history starts, the rest apply during it. After
approval come January adjustments to the new standards, reviews, deaths (with
their register entries), gradual exits and terminations. A few 低保
applications are rejected (``cli.demo.rejections``); then a group of one
village is enrolled at once (``cli.demo.bulk``), one orphan is recorded out
of school (``cli.demo.orphans``) and two imprisonments are reported, one left
alone (``cli.demo.prisons``): the last plants, which change nothing else. One
village's 低保 is shared out equally a head throughout (``cli.demo.shares``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from cli.demo import standards
from cli.demo.bulk import write_bulk_enrolment
from cli.demo.cases import Case, CaseWriter
from cli.demo.county import START
from cli.demo.deaths import register_death
from cli.demo.lines import period_of
from cli.demo.live import live_applicants
from cli.demo.management import deviations, emergency_aid, manage
from cli.demo.orphans import plant_orphan_over_age
from cli.demo.prisons import write_imprisonments
from cli.demo.rejections import write_rejections
from cli.demo.shares import equal_head, note_equal_shares
from domain import roles

if TYPE_CHECKING:
    import random

    from cli.demo.county import County, Home, Person, Post
    from cli.demo.lines import LegacyFile
    from cli.demo.plants import Plan

END: Final = date(2025, 12, 31)
"""The last day of the imported history; the live month follows."""
PREFIX: Final = {
    roles.DIBAO: "DB",
    roles.TEKUN: "TK",
    roles.LINSHI: "LS",
    roles.CANJI: "CJ",
    roles.GUER: "GE",
}


@dataclass
class Staffing:
    """The posts cases draw their actors from."""

    clerks: dict[str, list[Post]]
    county_clerks: list[Post]
    approvers: list[Post]

    @classmethod
    def of(cls, county: County) -> Staffing:
        clerks: dict[str, list[Post]] = {}
        for post in county.posts:
            if post.role == roles.TOWNSHIP_CLERK:
                clerks.setdefault(post.org, []).append(post)
        county_posts = [p for p in county.posts if len(p.org) == 6]
        return cls(
            clerks,
            [p for p in county_posts if p.role == roles.COUNTY_CLERK],
            [p for p in county_posts if p.role == roles.APPROVER],
        )


@dataclass
class History:
    """Writes every case of the county and keeps them for the payments."""

    county: County
    plan: Plan
    rng: random.Random
    out: LegacyFile
    staffing: Staffing
    cases: list[Case] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)

    def case_no(self, programme: str, year: int) -> str:
        key = f"{PREFIX[programme]}{year}"
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return f"{key}{self.numbers[key]:05d}"

    def team(self, home: Home) -> tuple[Post, Post, Post, Post]:
        clerks = self.staffing.clerks[home.township]
        first = self.rng.randrange(len(clerks))
        second = (first + 1 + self.rng.randrange(len(clerks) - 1)) % len(clerks)
        approver = self.plan.approver_kin.get(home.number) or self.rng.choice(
            self.staffing.approvers
        )
        return (
            clerks[first],
            clerks[second],
            self.rng.choice(self.staffing.county_clerks),
            approver,
        )

    def apply_day(self, existing: bool) -> date:
        if existing:
            return date(2020, 9, 1) + timedelta(days=self.rng.randrange(70))
        return date(2021, 2, 1) + timedelta(days=self.rng.randrange(1700))


def write_history(
    county: County, plan: Plan, rng: random.Random, out: LegacyFile
) -> list[Case]:
    """Write every household's cases; return them for the monthly batches."""
    history = History(county, plan, rng, out, Staffing.of(county))
    _deaths(county, plan, rng, out)
    for home in county.homes:
        for programme, category, covered in programmes_of(home, plan, rng):
            open_case(history, home, programme, category, covered)
    _bunched_aid(history)
    rejected = write_rejections(history)
    write_bulk_enrolment(history, rejected)
    plant_orphan_over_age(history)
    write_imprisonments(history)
    live = {h.number for h in live_applicants(county, history.cases)}
    note_equal_shares(history, live)
    return history.cases


def _bunched_aid(history: History) -> None:
    """Plant emergency aid bunched just under the township limit (RF-24).

    One township clerk grants several 急难型 先行救助 of 2,900–2,990 yuan
    (the township may approve up to 3,000) within six weeks.
    """
    township = history.plan.bunched_township
    homes = [h for h in history.county.homes if h.township == township]
    clerk = history.staffing.clerks[township][0]
    day = date(2024, 9, 2)
    for index, home in enumerate(homes[: max(3, min(6, len(homes)))]):
        case = Case(
            history.case_no(roles.LINSHI, 2024),
            roles.LINSHI,
            "急难型",
            home,
            [home.head],
        )
        writer = CaseWriter(history.out, case)
        fen = standards.TOWNSHIP_LIMIT_FEN - (1 + index * 2) * 1_000
        emergency_aid(
            history, writer, (clerk,), day + timedelta(days=index * 7), amount=fen
        )
        history.plan.note(
            "emergency-aid-bunched",
            "RF-24",
            home,
            case.case_no,
            f"{fen // 100} yuan granted by {clerk.staff_id}, just "
            f"under the township limit of 3,000 yuan",
            subject=f"township {township}",
        )


def _deaths(county: County, plan: Plan, rng: random.Random, out: LegacyFile) -> None:
    """Decide who dies during the history, and write it on the register."""
    span = (END - START).days - 40
    for home in county.homes:
        for person in home.members:
            age = person.age_on(START)
            chance = 0.2 if age >= 75 else 0.1 if age >= 60 else 0.01
            if home.number in plan.death_paid and person is home.head:
                person.died = date(2024, 3, 1) + timedelta(days=rng.randrange(120))
            elif rng.random() < chance:
                person.died = START + timedelta(days=rng.randrange(span))
            if person.died is not None:
                register_death(out, home, person)


def programmes_of(
    home: Home, plan: Plan, rng: random.Random
) -> list[tuple[str, str, list[Person]]]:
    """Return the (programme, category, covered persons) a household applies for."""
    found: list[tuple[str, str, list[Person]]] = []
    head, kind = home.head, home.kind
    if kind == "elderly-single" and (
        home.number in plan.death_paid or rng.random() < 0.55
    ):
        category = "集中供养" if rng.random() < 0.1 else "分散供养"
        found.append((roles.TEKUN, category, [head]))
    elif (
        home.number in plan.shared_accounts
        or plan.special(home.number)
        or (home.number in _linked(plan, home) or rng.random() < _dibao_share(kind))
    ):
        found.append((roles.DIBAO, "补差", list(home.members)))
    if kind == "grandchildren" and rng.random() < 0.8:
        category = "孤儿" if rng.random() < 0.3 else "事实无人抚养儿童"
        found.append((roles.GUER, category, home.members[-1:]))
    disabled = [m for m in home.members if m.grade is not None]
    if disabled and rng.random() < 0.6:
        person = disabled[0]
        category = "护理补贴" if (person.grade or 9) <= 2 else "生活补贴"
        found.append((roles.CANJI, category, [person]))
    if rng.random() < 0.09:
        kind_ = "急难型" if rng.random() < 0.35 else "支出型"
        found.append((roles.LINSHI, kind_, [head]))
    return found


def _linked(plan: Plan, home: Home) -> set[str]:
    return {home.number} if home.village == plan.concentrated_village else set()


def _dibao_share(kind: str) -> float:
    return {"elderly-single": 0.25, "grandchildren": 0.5, "disabled-single": 0.45}.get(
        kind, 0.33
    )


def open_case(
    history: History, home: Home, programme: str, category: str, covered: list[Person]
) -> None:
    """Write one case from application to its end (or the end of the history)."""
    rng = history.rng
    existing = programme != roles.LINSHI and (
        history.plan.special(home.number) or rng.random() < 0.7
    )
    applied = history.apply_day(existing)
    covered = [p for p in covered if p.died is None or p.died > applied + timedelta(60)]
    if not covered:
        return
    case = Case(
        history.case_no(programme, applied.year), programme, category, home, covered
    )
    writer = CaseWriter(history.out, case)
    staff = history.team(home)
    if programme == roles.LINSHI and category == "急难型":
        emergency_aid(history, writer, staff, applied)
        return
    income, standard = first_amount(case, applied, rng)
    head = equal_head(history.plan, case, standard)
    if head is not None:  # the village shares out equally (cli.demo.shares)
        case.monthly = head * len(case.covered)
    writer.apply(staff[0], applied, rng.choice(("窗口", "窗口", "委托村居", "网上")))
    decided = writer.procedure(applied, staff, income, deviations(history, case))
    if programme == roles.TEKUN:
        _tekun_steps(writer, staff[0], case, decided)
    writer.approve(staff[3], decided, standard)
    history.cases.append(case)
    manage(history, writer, staff, income)


def first_amount(case: Case, day: date, rng: random.Random) -> tuple[int, int]:
    """Set the case's monthly amount; return (per-capita income, standard)."""
    year = max(day.year, standards.FIRST_YEAR)
    township = int(case.home.township[-3:])
    area = case.home.area
    if case.programme == roles.DIBAO:
        standard = standards.dibao(area, township, year)
        income = rng.randrange(standard // 10, standard * 7 // 10) // 100 * 100
        case.monthly = (standard - income) * len(case.covered)
        return income, standard
    if case.programme == roles.LINSHI:
        case.monthly = rng.randrange(5, 40) * 10_000
        return 0, standards.TOWNSHIP_LIMIT_FEN
    if case.programme == roles.TEKUN:
        standard = standards.tekun(area, township, year)
    elif case.programme == roles.CANJI:
        standard = standards.subsidy(case.category, year)
    else:
        standard = standards.orphan(year)
    case.monthly = standard
    return 0, standard


def _tekun_steps(writer: CaseWriter, clerk: Post, case: Case, day: date) -> None:
    failed = ["bathing", "walking"] if case.covered[0].age_on(day) > 75 else []
    writer.event(
        "SelfCareAssessed",
        clerk,
        day - timedelta(days=2),
        person_ref=case.covered[0].ref,
        failed_items=failed,
        category="partial-loss" if failed else "self-care",
    )
    institution = "清溪县社会福利院" if case.category == "集中供养" else ""
    writer.event(
        "SupportModeChosen",
        clerk,
        day - timedelta(days=2),
        11,
        mode=case.category,
        institution=institution,
    )


__all__ = ["END", "START", "History", "period_of", "write_history"]
