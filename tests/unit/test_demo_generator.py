"""The demo county generator: deterministic, valid people, realistic amounts, plants.

Each planted pattern in the manifest is checked against the generated legacy
lines themselves: the fact that makes the red flag is there to be found.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from cli.demo import standards
from cli.demo.bank import LATE_DAY, LATE_PERIOD
from cli.demo.draw import build_county
from cli.demo.generate import DEMO_PERSON_KEY, generate
from domain import roles
from domain.case_rules import payable_on
from domain.legacy_types import LINE_TYPES
from domain.people import person_ref_of, valid_id_number

if TYPE_CHECKING:
    from cli.demo.generate import Generated


def planted(generated: Generated, rule: str) -> list[dict[str, str]]:
    found = [p for p in generated.plan.manifest() if p["rule"] == rule]
    assert found, f"nothing planted for {rule}"
    return found


def test_the_same_seed_gives_the_same_lines_and_another_seed_does_not() -> None:
    first, again, other = generate(3, 120), generate(3, 120), generate(4, 120)
    assert first.lines == again.lines
    assert first.plan.manifest() == again.plan.manifest()
    assert first.lines != other.lines


def test_every_line_has_a_known_type_a_unique_id_and_ends_with_a_newline(
    generated: Generated, lines: list[dict[str, Any]]
) -> None:
    assert {line["type"] for line in lines} <= set(LINE_TYPES)
    assert len({line["id"] for line in lines}) == len(lines)
    assert all(raw.endswith(b"\n") for raw in generated.lines)


def test_people_have_valid_id_numbers_and_the_file_carries_only_their_refs(
    generated: Generated,
) -> None:
    people = [m for h in generated.county.homes for m in h.members]
    people += [p.person for p in generated.county.posts]
    assert len({p.id_no for p in people}) == len(people)
    key = DEMO_PERSON_KEY.encode()
    for person in people[:: max(1, len(people) // 150)]:
        assert valid_id_number(person.id_no) == person.id_no
        assert person.ref == person_ref_of(person.id_no, key)
    text = b"".join(generated.lines)
    assert all(p.id_no.encode() not in text for p in people[:200])


def test_the_default_county_has_fifteen_townships_two_hundred_villages_and_staff() -> (
    None
):
    county = build_county(2026, 8_000)
    assert len(county.townships) == 15
    assert len(county.villages) == 200
    assert len(county.homes) == 8_000
    assert 400 <= len(county.posts) <= 900
    held = {p.role for p in county.posts}
    assert held == set(roles.ROLES)
    assert all(
        len(v.code) == 12 and v.code.startswith("430121") for v in county.villages
    )


def test_standards_rise_each_year_and_keep_their_ratios() -> None:
    for area in ("urban", "rural"):
        for township in range(1, 16):
            rows = [standards.dibao(area, township, y) for y in range(2021, 2027)]
            assert rows == sorted(rows)
            assert len(set(rows)) == len(rows)
            for year in range(2021, 2027):
                dibao = standards.dibao(area, township, year)
                assert standards.tekun(area, township, year) * 10 >= dibao * 13
    assert 65_000 <= standards.dibao("urban", 3, 2021) <= 75_000
    assert 42_000 <= standards.dibao("rural", 3, 2021) <= 48_000
    for year in range(2021, 2026):
        assert 5_000 <= standards.subsidy("生活补贴", year) <= 10_000
        assert 5_000 <= standards.subsidy("护理补贴", year) <= 10_000
        assert 114_000 <= standards.orphan(year) <= 144_000


def test_all_five_programmes_are_paid_every_month_of_the_history(
    generated: Generated,
) -> None:
    paid = {c.programme for c in generated.cases}
    assert paid == set(roles.PROGRAMMES)
    for period in ("2021-01", "2023-07", "2025-12"):
        assert any(
            c.payable(period) for c in generated.cases if c.programme == roles.DIBAO
        )
    assert all(generated.paid[p] > 0 for p in roles.PROGRAMMES)


def test_batches_pay_exactly_what_the_approved_schedules_say(
    generated: Generated, lines: list[dict[str, Any]]
) -> None:
    schedules: dict[str, dict[str, int]] = {}
    for line in lines:
        if line["type"] == "case.Approved":
            schedules[line["record"]] = dict(line["schedule"])
        elif line["type"] in ("case.Adjusted",):
            schedules[line["record"]][line["effective_month"]] = line["new_amount"]
        elif line["type"] == "case.Terminated":
            kept = {
                m: a
                for m, a in schedules[line["record"]].items()
                if m < line["effective_month"]
            }
            schedules[line["record"]] = {**kept, line["effective_month"]: 0}
        elif line["type"] == "case.GradualExitStarted":
            schedules[line["record"]][line["start_month"]] = line["amount"]
        elif line["type"] == "payment.batch_created":
            period = line["record"].rsplit("/", 1)[1]
            for row in line["lines"]:
                assert (
                    payable_on(schedules[row["case_no"]], period) == row["amount_fen"]
                )
    assert len(schedules) == len([c for c in generated.cases])


def _case_lines(by_record: dict[str, list[dict[str, Any]]], case_no: str) -> set[str]:
    return {line["type"] for line in by_record[case_no]}


def _kin_of(lines: list[dict[str, Any]], person: str) -> set[str]:
    kin = set()
    for line in lines:
        if line["type"] == "kinship.recorded" and line["record"] == person:
            kin.add(line["other"])
        elif line["type"] == "kinship.recorded" and line["other"] == person:
            kin.add(line["record"])
    return kin


def _head(by_record: dict[str, list[dict[str, Any]]], household: str) -> str:
    registered = by_record[household][0]
    assert registered["type"] == "household.registered"
    person: str = registered["members"][0]["person"]
    return person


def _staff_people(lines: list[dict[str, Any]]) -> dict[str, str]:
    return {
        line["person"]: line["record"]
        for line in lines
        if line["type"] == "staff.registered"
    }


def test_undeclared_relatives_of_cadres_are_kin_with_no_declaration(
    generated: Generated,
    lines: list[dict[str, Any]],
    by_record: dict[str, list[dict[str, Any]]],
) -> None:
    staff = _staff_people(lines)
    for entry in planted(generated, "RF-08"):
        assert "case.RelativeDeclared" not in _case_lines(by_record, entry["case_no"])
        kin = _kin_of(lines, _head(by_record, entry["household_no"]))
        assert kin & set(staff), entry


def test_declared_relatives_without_a_county_visit(
    generated: Generated, by_record: dict[str, list[dict[str, Any]]]
) -> None:
    for entry in planted(generated, "RF-09"):
        events = by_record[entry["case_no"]]
        assert any(e["type"] == "case.RelativeDeclared" for e in events)
        visits = [e["level"] for e in events if e["type"] == "case.HomeVisited"]
        assert visits == ["township"]
        assert any(e["type"] == "case.Approved" for e in events)


def test_an_approver_who_is_kin_of_the_household_approves_it(
    generated: Generated,
    lines: list[dict[str, Any]],
    by_record: dict[str, list[dict[str, Any]]],
) -> None:
    staff = _staff_people(lines)
    for entry in planted(generated, "RF-10"):
        approval = next(
            e for e in by_record[entry["case_no"]] if e["type"] == "case.Approved"
        )
        kin = _kin_of(lines, _head(by_record, entry["household_no"]))
        assert approval["actor"] in {staff[p] for p in kin if p in staff}


def test_one_village_holds_many_cadre_linked_recipients(generated: Generated) -> None:
    (entry,) = planted(generated, "RF-25")
    village = entry["region_code"]
    recipients = {c.home.number for c in generated.cases if c.home.village == village}
    linked = int(entry["detail"].split(" ")[0])
    assert linked >= 3
    assert linked * 4 >= len(recipients)


def test_shared_accounts_pay_several_households_into_one_account(
    generated: Generated, lines: list[dict[str, Any]]
) -> None:
    owner = {
        line["record"]: line["household_no"]
        for line in lines
        if line["type"] == "payment.bank_account_registered"
    }
    households = {c.case_no: c.home.number for c in generated.cases}
    paid_to: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line["type"] == "payment.batch_created":
            batch = line["record"]
            for number, row in enumerate(line["lines"], start=1):
                paid_to[f"{batch}#{number}"].add(row["case_no"])
    shared = {
        number
        for e in planted(generated, "RF-16")
        for number in e["detail"].split(" are ")[0].split(" ")[1:]
        if number != "and"
    }
    seen = set()
    for line in lines:
        if line["type"] == "payment.disbursed":
            (case_no,) = paid_to[f"{line['record']}#{line['line_no']}"]
            household = households[case_no]
            if owner[line["account_token"]] != household:
                seen.add(household)
    assert seen == shared


def test_payments_continue_after_a_death_on_the_register(
    generated: Generated, by_record: dict[str, list[dict[str, Any]]]
) -> None:
    for entry in planted(generated, "RF-01"):
        deaths = [
            e
            for e in by_record[entry["household_no"]]
            if e["type"] == "household.member_deceased"
        ]
        died = date.fromisoformat(deaths[0]["date_of_death"])
        case = next(c for c in generated.cases if c.case_no == entry["case_no"])
        assert case.payable("2025-12") > 0
        assert "case.Terminated" not in _case_lines(by_record, case.case_no)
        assert died < date(2025, 1, 1)


def test_skipped_and_short_notices(
    generated: Generated, by_record: dict[str, list[dict[str, Any]]]
) -> None:
    kinds = set()
    for entry in planted(generated, "RF-11"):
        notices = [
            e for e in by_record[entry["case_no"]] if e["type"] == "case.NoticePosted"
        ]
        if entry["pattern"] == "notice-skipped":
            assert notices == []
        else:
            (notice,) = notices
            days = date.fromisoformat(notice["ends_on"]) - date.fromisoformat(
                notice["posted_on"]
            )
            assert days.days < 7
        kinds.add(entry["pattern"])
    assert kinds == {"notice-skipped", "notice-short"}


def test_emergency_aid_bunched_just_under_the_township_limit(
    generated: Generated, by_record: dict[str, list[dict[str, Any]]]
) -> None:
    entries = planted(generated, "RF-24")
    assert len(entries) >= 3
    grants = [
        e
        for entry in entries
        for e in by_record[entry["case_no"]]
        if e["type"] == "case.EmergencyAidGranted"
    ]
    assert len({g["actor"] for g in grants}) == 1
    limit = standards.TOWNSHIP_LIMIT_FEN
    assert all(limit * 95 // 100 <= g["amount"] < limit for g in grants)


def test_failed_lines_left_open(
    generated: Generated, by_record: dict[str, list[dict[str, Any]]]
) -> None:
    opened = [e for e in planted(generated, "RF-19") if e["pattern"] != "paid-late"]
    assert opened
    for entry in opened:
        record = entry["detail"].split(" of ")[1].split(" ")[0]
        line_no = int(entry["detail"].split(" ")[1])
        events = [e for e in by_record[record] if e.get("line_no") == line_no]
        assert [e["type"] for e in events] == ["payment.failed"]


def test_one_batch_is_paid_after_the_pay_day_and_no_other(
    lines: list[dict[str, Any]], generated: Generated
) -> None:
    (entry,) = [e for e in planted(generated, "RF-19") if e["pattern"] == "paid-late"]
    late = {
        (line["record"], line["value_date"])
        for line in lines
        if line["type"] == "payment.disbursed" and line["value_date"][8:] > "10"
    }
    assert late == {(entry["subject"], f"{LATE_PERIOD}-{LATE_DAY}")}


def test_a_statement_that_disagrees_with_the_lines_paid(
    generated: Generated, by_record: dict[str, list[dict[str, Any]]]
) -> None:
    (entry,) = planted(generated, "RF-20")
    record = entry["detail"].split(" of ")[1].split(" ")[0]
    events = by_record[record]
    paid = {
        (e["bank_txn_ref"], e["amount_fen"])
        for e in events
        if e["type"] in ("payment.disbursed", "payment.reissued")
    }
    (statement,) = [e for e in events if e["type"] == "payment.reconciled"]
    stated = {(e["bank_txn_ref"], e["amount_fen"]) for e in statement["entries"]}
    assert stated != paid
    assert len(stated - paid) == 2


def test_overdue_reviews_have_no_review_after_approval(
    generated: Generated, by_record: dict[str, list[dict[str, Any]]]
) -> None:
    for entry in planted(generated, "RF-22"):
        types = _case_lines(by_record, entry["case_no"])
        assert "case.Approved" in types
        assert "case.ReviewCompleted" not in types
