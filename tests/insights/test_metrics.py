"""Each figure against a hand-worked fixture (the numbers in the comments are the working)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from insights import metrics
from placements.models import Shift, Timesheet


def rows_by(figure, key):
    return {r[key]: r for r in figure.rows}


def test_placements_per_month_count_approved_timesheets_by_the_shifts_local_month(build, alliedup):
    build.placement(datetime(2026, 1, 5, 7))
    build.placement(datetime(2026, 1, 20, 19))
    build.placement(datetime(2026, 2, 3, 7))
    build.placement(datetime(2026, 2, 4, 7), timesheet_status=Timesheet.Status.SUBMITTED)  # not approved: no placement
    build.placement(datetime(2026, 2, 5, 7), timesheet_status=Timesheet.Status.DISPUTED)
    # 23:30 on March 31 in Los Angeles is April 1 in UTC: a March placement.
    build.placement(datetime(2026, 3, 31, 23, 30))
    build.placement(datetime(2025, 12, 31, 7))  # before the period

    figure = metrics.placements(alliedup, date(2026, 1, 1), date(2026, 4, 30))

    assert [(r["period"], r["placements"]) for r in figure.rows] == [("2026-01", 2), ("2026-02", 1), ("2026-03", 1), ("2026-04", 0)]


def test_placements_by_year_against_the_goal(build, alliedup):
    alliedup.placements_goal_per_year = 8
    alliedup.save()
    for day in (5, 6, 7):
        build.placement(datetime(2026, 1, day, 7))
    build.placement(datetime(2025, 6, 1, 7))

    figure = metrics.placements_by_year(alliedup, date(2025, 1, 1), date(2026, 12, 31))

    assert figure.rows == [
        {"year": 2025, "placements": 1, "goal": 8, "percent_of_goal": Decimal("12.5")},
        {"year": 2026, "placements": 3, "goal": 8, "percent_of_goal": Decimal("37.5")},
    ]


def test_fill_rate_leaves_cancelled_shifts_out_of_requested(build, alliedup):
    build.shift(datetime(2026, 1, 5, 7), Shift.Status.OPEN)
    build.shift(datetime(2026, 1, 6, 7), Shift.Status.FILLED)
    build.shift(datetime(2026, 1, 7, 7), Shift.Status.COMPLETED)
    build.shift(datetime(2026, 1, 8, 7), Shift.Status.CANCELLED)
    build.shift(datetime(2026, 1, 9, 7), Shift.Status.CANCELLED)
    build.shift(datetime(2026, 2, 9, 7), Shift.Status.CANCELLED)  # a month of only cancelled shifts: no rate

    figure = metrics.fill_rate(alliedup, date(2026, 1, 1), date(2026, 2, 28))

    # January: requested 5 − 2 cancelled = 3, filled 1 + completed 1 = 2 → 66.7 %.
    assert figure.rows == [
        {"period": "2026-01", "requested": 3, "filled": 2, "fill_rate": Decimal("66.7")},
        {"period": "2026-02", "requested": 0, "filled": 0, "fill_rate": None},
    ]


def test_turnover_with_hires_and_separations_mid_year(build, alliedup):
    # build.worker (hired 2025, no history) + A, B, C hired in 2025; C leaves March 15;
    # E is hired July 1 and leaves October 10; F is hired and leaves in 2027 (outside).
    build.hired(date(2025, 2, 1))
    build.hired(date(2025, 3, 1))
    build.hired(date(2025, 4, 1), ("withdrawn", date(2026, 3, 15)))
    build.hired(date(2026, 7, 1), ("withdrawn", date(2026, 10, 10)))
    build.hired(date(2027, 1, 4), ("withdrawn", date(2027, 2, 1)))

    figure = metrics.turnover(alliedup, date(2026, 1, 1), date(2026, 12, 31))

    # Headcount on the 1st: Jan–Mar 4, Apr–Jun 3, Jul–Oct 4, Nov–Dec 3 → 43 ÷ 12 = 3.58;
    # 2 separations ÷ 3.58 = 55.9 %.
    (row,) = figure.rows
    assert row["separations"] == 2
    assert row["average_headcount"] == Decimal("3.58")
    assert row["turnover"] == Decimal("55.9")


def test_turnover_counts_a_rehired_workers_second_exit_and_a_partial_year(build, alliedup):
    build.hired(date(2025, 1, 6), ("withdrawn", date(2026, 2, 10)), ("employee", date(2026, 3, 1)), ("withdrawn", date(2026, 5, 20)))

    figure = metrics.turnover(alliedup, date(2026, 1, 1), date(2026, 6, 30))

    # On the 1st: Jan 2, Feb 2, Mar 2 (left Feb 10, back from Mar 1: a change counts from
    # its effective day), Apr 2, May 2, Jun 1 (left May 20) → 11 ÷ 6 = 1.83; 2 ÷ 1.83 = 109.3 %.
    (row,) = figure.rows
    assert (row["separations"], row["average_headcount"], row["turnover"]) == (2, Decimal("1.83"), Decimal("109.3"))
    assert row["to"] == date(2026, 6, 30)


def test_owners_over_time_follow_the_history_through_a_lapse(build, alliedup):
    build.hired(date(2025, 1, 6), ("candidate", date(2026, 1, 10)), ("owner", date(2026, 2, 15)),
                ("lapsed", date(2026, 5, 1)), ("owner", date(2026, 8, 1)))
    # An imported owner with no history: an owner from owner_since.
    from tests.members.factories import WorkerFactory

    WorkerFactory(cooperative=alliedup, hire_date=date(2025, 1, 6), status="owner", owner_since=date(2026, 3, 20))
    build.hired(date(2026, 4, 1), ("withdrawn", date(2026, 6, 15)))

    figure = metrics.members_over_time(alliedup, date(2026, 1, 1), date(2026, 9, 15))

    got = [(r["period"], r["active_workers"], r["candidates"], r["owners"]) for r in figure.rows]
    assert got == [
        ("2026-01", 3, 1, 0),  # build.worker, the candidate, the imported worker (an employee until March 20)
        ("2026-02", 3, 0, 1),
        ("2026-03", 3, 0, 2),
        ("2026-04", 4, 0, 2),  # the April hire
        ("2026-05", 4, 0, 1),  # lapsed: still employed, not an owner
        ("2026-06", 3, 0, 1),  # the April hire left June 15
        ("2026-07", 3, 0, 1),
        ("2026-08", 3, 0, 2),  # ownership regained
        ("2026-09", 3, 0, 2),
    ]
    assert figure.rows[-1]["on"] == date(2026, 9, 15)


def test_hours_by_classification_net_of_reversals(build, alliedup):
    from tests.members.factories import HoursEntryFactory, JobClassificationFactory

    cna = JobClassificationFactory(cooperative=alliedup, code="cna", name="Certified Nursing Assistant")
    entry = HoursEntryFactory(worker=build.worker, classification=build.ma, workday=date(2026, 1, 5), hours="8.00")
    HoursEntryFactory(worker=build.worker, classification=build.ma, workday=date(2026, 1, 6), hours="6.50")
    HoursEntryFactory(worker=build.worker, classification=build.ma, workday=date(2026, 1, 5), hours="-8.00", reverses=entry)
    HoursEntryFactory(worker=build.worker, classification=cna, workday=date(2026, 2, 1), hours="4.00")

    figure = metrics.hours_by_classification(alliedup, date(2026, 1, 1), date(2026, 3, 31))

    assert [(r["period"], r["classification"], r["hours"]) for r in figure.rows] == [
        ("2026-01", "ma", Decimal("6.50")), ("2026-02", "cna", Decimal("4.00"))]


def test_finance_by_client_and_quarter_with_absorbed(build, alliedup):
    q1 = build.placement(datetime(2026, 3, 31, 7))
    q2 = build.placement(datetime(2026, 4, 1, 7))
    build.pay(workday=date(2026, 3, 31), amount="264.00", absorbed="16.00", bill_amount="248.00", timesheet=q1, starts_on=date(2026, 3, 22))
    build.pay(workday=date(2026, 3, 31), amount="20.00", kind="ot15", hours="1.00", timesheet=q1, starts_on=date(2026, 3, 22))
    build.pay(workday=date(2026, 4, 1), amount="264.00", absorbed="16.00", bill_amount="248.00", timesheet=q2, starts_on=date(2026, 4, 5),
              status="draft")  # a draft run: not paid yet
    build.pay(workday=date(2026, 4, 1), amount="300.00", absorbed="5.00", bill_amount="310.00", timesheet=q2, starts_on=date(2026, 3, 29))
    build.invoice_line(workday=date(2026, 3, 31), amount="248.00", timesheet=q1)
    build.invoice_line(workday=date(2026, 4, 1), amount="310.00", timesheet=q2, status="paid")
    build.invoice_line(workday=date(2026, 4, 1), amount="999.00", status="draft")
    build.invoice_line(workday=date(2026, 4, 1), amount="888.00", status="void")

    figure = metrics.finance_by_client(alliedup, date(2026, 1, 1), date(2026, 6, 30))

    assert [(r["quarter"], r["billed"], r["paid"], r["margin"], r["absorbed"], r["billed_at_pay"]) for r in figure.rows] == [
        ("2026-Q1", Decimal("248.00"), Decimal("284.00"), Decimal("-36.00"), Decimal("16.00"), Decimal("248.00")),
        ("2026-Q2", Decimal("310.00"), Decimal("300.00"), Decimal("10.00"), Decimal("5.00"), Decimal("310.00")),
    ]
    assert {r["client"] for r in figure.rows} == {"Eastbay Clinic"}


def test_wage_uplift_against_the_market_reference(build, alliedup):
    build.pay(workday=date(2026, 2, 2), amount="264.00", hours="8.00")
    build.pay(workday=date(2026, 2, 3), amount="132.00", hours="4.00", starts_on=date(2026, 2, 2))
    build.pay(workday=date(2026, 2, 3), amount="99.00", hours="2.00", kind="ot15", starts_on=date(2026, 2, 2))  # not REG
    build.pay(workday=date(2026, 2, 20), amount="1000.00", hours="1.00", status="calculated")  # not final

    default = metrics.wage_uplift(alliedup, date(2026, 1, 1), date(2026, 3, 31))
    given = metrics.wage_uplift(alliedup, date(2026, 1, 1), date(2026, 3, 31), {"ma": Decimal("20.00")})

    # 396.00 ÷ 12 h = 33.00; (33 − 17.50) ÷ 17.50 = 88.6 %; against $20.00: 65.0 %.
    assert default.rows[0]["average_wage"] == Decimal("33.00")
    assert default.rows[0]["uplift"] == Decimal("88.6")
    assert given.rows[0]["uplift"] == Decimal("65.0")


def test_market_reference_parsing():
    assert metrics.parse_market_reference("") == {"ma": Decimal("17.50")}
    assert metrics.parse_market_reference("MA:18, cna:19.5") == {"ma": Decimal("18.00"), "cna": Decimal("19.50")}
    # Too large to carry cents, or rounding to $0.00: refused, not a crash or a division by zero.
    for bad in ("ma", "ma:x", "ma:-1", ":3", "ma:NaN", "ma:Infinity", "ma:1e999999", "ma:0.001"):
        with pytest.raises(ValidationError, match="code:hourly rate"):
            metrics.parse_market_reference(bad)


def test_patronage_and_capital_accounts(build, alliedup):
    from members.models import EquityAccount, EquityEntry
    from patronage.models import CapitalAccountEntry, FiscalYear, PatronageAllocation, PatronageAllocationLine

    owner = build.hired(date(2025, 1, 6), ("owner", date(2025, 2, 1)))
    year = FiscalYear.objects.create(cooperative=alliedup, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    allocation = PatronageAllocation.objects.create(
        cooperative=alliedup, fiscal_year=year, status="issued", net_earnings="1000.00", earnings_source="x", reserve_percent="10",
        reserve_decided_by="x", basis="hours", cash_percent="20", reserve="100.00", pool="900.00")
    line = PatronageAllocationLine.objects.create(cooperative=alliedup, allocation=allocation, worker=owner, units="10", allocated="900.00",
                                                  cash="180.00", retained="720.00")
    CapitalAccountEntry.objects.create(cooperative=alliedup, worker=owner, kind="patronage", amount="720.00", effective_on=date(2025, 12, 31),
                                       reference="p1", allocation_line=line)
    CapitalAccountEntry.objects.create(cooperative=alliedup, worker=owner, kind="redemption", amount="-20.00", effective_on=date(2026, 3, 1),
                                       reference="r1")
    account = EquityAccount.objects.create(cooperative=alliedup, worker=owner, buy_in="250.00")
    EquityEntry.objects.create(cooperative=alliedup, account=account, kind="payment", amount="250.00", effective_on=date(2025, 1, 20), reference="e1")

    pat = metrics.patronage(alliedup, date(2025, 1, 1), date(2026, 6, 30))
    cap = metrics.capital_accounts(alliedup, date(2025, 1, 1), date(2026, 6, 30))

    assert [(r["pool"], r["members"], r["allocated"], r["cash"], r["retained"]) for r in pat.rows] == [
        (Decimal("900.00"), 1, Decimal("900.00"), Decimal("180.00"), Decimal("720.00"))]
    assert [(r["year"], r["total"]) for r in cap.rows] == [(2025, Decimal("970.00")), (2026, Decimal("950.00"))]


def test_turnout_matches_the_governance_selector(build, alliedup):
    from datetime import UTC

    from governance.models import Election, VoterParticipation, VoterRollEntry
    from governance.selectors import turnout

    window = dict(nominations_open_at=datetime(2026, 3, 1, tzinfo=UTC), nominations_close_at=datetime(2026, 3, 2, tzinfo=UTC),
                  voting_opens_at=datetime(2026, 3, 3, tzinfo=UTC), voting_closes_at=datetime(2026, 3, 10, tzinfo=UTC),
                  record_date=date(2026, 3, 1))
    closed = Election.objects.create(cooperative=alliedup, title="Board 2026", status="closed", **window)
    Election.objects.create(cooperative=alliedup, title="Still voting", status="voting", **window)
    voters = [build.hired(date(2025, 1, 6)) for _ in range(3)]
    entries = [VoterRollEntry.objects.create(cooperative=alliedup, election=closed, worker=w) for w in voters]
    VoterParticipation.objects.create(cooperative=alliedup, roll_entry=entries[0])
    VoterParticipation.objects.create(cooperative=alliedup, roll_entry=entries[1])

    figure = metrics.turnout(alliedup, date(2026, 1, 1), date(2026, 12, 31))

    (row,) = figure.rows
    expected = turnout(closed)
    assert (row["on_roll"], row["voted"], row["percent"], row["quorum_met"]) == (
        expected["on_roll"], expected["voted"], expected["percent"], expected["quorum_met"]) == (3, 2, Decimal("66.67"), True)


def _voted_resolution(coop, voters, choices, *, title, closes, threshold="simple"):
    """A resolution through governance's own services: roll fixed at the record date, one
    ballot per choice (by the first voters), counted after the close."""
    from datetime import timedelta

    from governance.services.voting import ballot_cast, resolution_create, vote_count, voting_open

    resolution = voting_open(vote=resolution_create(
        cooperative=coop, title=title, text="Resolved: …", voting_opens_at=closes - timedelta(days=7), voting_closes_at=closes,
        record_date=(closes - timedelta(days=8)).date(), threshold=threshold))
    for worker, choice in zip(voters, choices):
        ballot_cast(vote=resolution, worker=worker, choices=choice, now=closes - timedelta(days=1))
    return vote_count(vote=resolution, now=closes + timedelta(minutes=1))


def test_resolution_turnout_by_hand(build, alliedup):
    from governance.selectors import turnout
    from governance.services.voting import resolution_certify
    from tests.insights.helpers import LA

    voters = build.voters(10)  # worker-owners since 2025: the whole roll of each vote below
    reserve = _voted_resolution(alliedup, voters, ["yes"] * 4 + ["no"] * 2 + ["abstain"], title="Reserve to 30 %",
                                closes=datetime(2026, 3, 9, 17, tzinfo=LA))
    resolution_certify(resolution=reserve, certified_by=None)
    _voted_resolution(alliedup, voters, ["yes"] * 3 + ["no"] * 2 + ["abstain"], title="Amend article 4",
                      closes=datetime(2026, 6, 1, 12, tzinfo=LA), threshold="two_thirds")
    build.resolution(datetime(2026, 12, 31, 23, 30), on_roll=8, voted=2, adopted=False, title="Budget 2027")  # Jan 1 in UTC
    build.resolution(datetime(2025, 12, 31, 23, 0), on_roll=8, voted=8, title="Before the period")  # Jan 1, 2026 in UTC
    build.resolution(datetime(2026, 7, 1, 12), on_roll=8, voted=3, status="voting", title="Still voting")
    build.resolution(datetime(2026, 8, 1, 12), on_roll=0, voted=0, status="draft", title="A draft")

    figure = metrics.resolution_turnout(alliedup, date(2026, 1, 1), date(2026, 12, 31))

    # 7 ballots of 10 on the roll = 70.00 %; 6 of 10 = 60.00 % (yes 3 of 5 decided < ⅔:
    # not adopted); 2 of 8 = 25.00 % < the 50 % quorum: not adopted.
    assert [(r["resolution"], r["closed_on"], r["on_roll"], r["voted"], r["percent"], r["quorum_met"], r["outcome"])
            for r in figure.rows] == [
        ("Reserve to 30 %", date(2026, 3, 9), 10, 7, Decimal("70.00"), True, "Adopted"),
        ("Amend article 4", date(2026, 6, 1), 10, 6, Decimal("60.00"), True, "Not adopted"),
        ("Budget 2027", date(2026, 12, 31), 8, 2, Decimal("25.00"), False, "Not adopted"),
    ]
    from governance.models import Resolution

    for row in figure.rows:
        expected = turnout(Resolution.objects.get(title=row["resolution"]))
        assert (row["on_roll"], row["voted"], row["percent"], row["quorum_met"]) == (
            expected["on_roll"], expected["voted"], expected["percent"], expected["quorum_met"])


def test_resolution_turnout_rounds_to_two_decimals_as_governance_does(build, alliedup):
    build.resolution(datetime(2026, 2, 1, 12), on_roll=3, voted=2, title="Two of three")
    build.resolution(datetime(2026, 2, 2, 12), on_roll=800, voted=1, adopted=False, title="One of 800")
    build.resolution(datetime(2026, 2, 3, 12), on_roll=0, voted=0, adopted=None, title="Nobody on the roll")

    figure = metrics.resolution_turnout(alliedup, date(2026, 1, 1), date(2026, 12, 31))

    # 66.666… → 66.67; 0.125 → 0.12 (an exact half to the even digit); an empty roll is 0 % and no quorum.
    assert [(r["percent"], r["quorum_met"], r["outcome"]) for r in figure.rows] == [
        (Decimal("66.67"), True, "Adopted"), (Decimal("0.12"), False, "Not adopted"), (Decimal("0.00"), False, None)]


def test_resolution_turnout_is_one_query_whatever_the_number_of_resolutions_and_never_reads_a_ballot(build, alliedup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure():
        with CaptureQueriesContext(connection) as captured:
            figure = metrics.resolution_turnout(alliedup, date(2026, 1, 1), date(2026, 12, 31))
        return figure, captured.captured_queries

    for day in range(1, 28):
        build.resolution(datetime(2026, 4, day, 12), on_roll=day % 5 + 1, voted=day % 3, title=f"Resolution {day}")
        if day == 2:
            small, small_queries = measure()
    large, large_queries = measure()

    assert (len(small.rows), len(large.rows)) == (2, 27)
    assert len(small_queries) == len(large_queries) == 1
    assert "resolutionballot" not in large_queries[0]["sql"].lower()  # counts from the roll, never from the ballots


@pytest.mark.parametrize("start,end,figure,message", [
    (date(2026, 5, 1), date(2026, 4, 30), None, "before the start"),
    (date(2016, 1, 1), date(2026, 1, 1), None, "at most 10 years"),
    (date(2026, 1, 1), date(2026, 2, 1), "profit", "Unknown figure 'profit'"),
    (None, date(2026, 2, 1), None, "Give both"),
    # Far from today the months, quarters and zone conversions would leave Python's dates.
    (date(9995, 1, 1), date(9999, 12, 31), None, "Choose dates from 1900-01-01 to 2999-12-31"),
    (date(1, 1, 1), date(1, 12, 31), None, "Choose dates from"),
])
def test_bad_requests_are_refused_with_a_clear_message(start, end, figure, message):
    with pytest.raises(ValidationError, match=message):
        metrics.validate_request(start, end, figure)


def test_ten_years_exactly_is_allowed():
    metrics.validate_request(date(2016, 1, 1), date(2025, 12, 31))


def test_every_figure_has_a_definition_and_permissions():
    assert set(metrics.FIGURES) == set(metrics.FIGURE_TITLES) == set(metrics.FIGURE_PERMISSIONS)
    for name in metrics.FIGURES:
        assert len(metrics.definition(name)) > 80, name


def test_docs_print_every_figures_definition_as_written():
    from pathlib import Path

    from django.conf import settings

    doc = " ".join((Path(settings.BASE_DIR) / "docs" / "insights.md").read_text().split())
    for name in metrics.FIGURES:
        assert f"### `{name}`: {metrics.FIGURE_TITLES[name]}" in doc, name
        assert " ".join(metrics.definition(name).split()) in doc, name


def test_counts_on_many_days_in_one_sweep_agree_with_each_workers_status_that_day(build, alliedup):
    """StatusHistory.counts_on_days sums every worker's sorted steps once; each day must agree
    with who is in each status that day worker by worker (in_status_on), same-day changes,
    a hire after the day and a withdrawal and return on one day included."""
    from members.models import MemberStatus
    from members.selectors.status import StatusHistory

    build.hired(date(2025, 1, 6), ("candidate", date(2026, 1, 10)), ("owner", date(2026, 1, 10)), ("lapsed", date(2026, 5, 1)))
    build.hired(date(2026, 4, 1), ("withdrawn", date(2026, 6, 15)), ("employee", date(2026, 6, 15)))
    build.hired(date(2026, 4, 1), ("withdrawn", date(2026, 6, 15)))
    build.hired(date(2026, 11, 2))
    history = StatusHistory(alliedup, date(2026, 12, 31))
    days = [date(2025, 1, 5), date(2025, 1, 6), date(2026, 1, 9), date(2026, 1, 10), date(2026, 4, 30),
            date(2026, 5, 1), date(2026, 6, 14), date(2026, 6, 15), date(2026, 11, 1), date(2026, 12, 31)]

    by_day = history.counts_on_days(reversed(days))

    for day in days:
        expected = {status: len(history.in_status_on(status, day)) for status in MemberStatus.values}
        assert by_day[day] == {status: n for status, n in expected.items() if n}, day
    assert by_day[date(2026, 1, 10)]["owner"] == 1  # candidate and owner the same day: the later change
    assert by_day[date(2026, 6, 15)]["withdrawn"] == 1  # one left and came back that day, one left
    assert history.employed_on_days([date(2026, 6, 15)]) == {date(2026, 6, 15): sum(by_day[date(2026, 6, 15)].values()) - 1}
