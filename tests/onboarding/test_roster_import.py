"""An existing co-op moves onto the platform (issue 15): its roster comes in from a CSV file.

Each row is hired through worker_hire (and invited like a hire), its prior hours become one
opening entry of the hours ledger, a candidate gets a candidacy and an owner their ownership
(status history naming the import), and the equity already paid goes through the equity
services. The preview writes nothing; the import is all or nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope
from rest_framework.test import APIClient

from alliedup.models import AuditEvent, Invitation
from insights.metrics import hours_by_classification
from members import selectors
from members.models import (
    Candidacy,
    EquityAccount,
    EquityEntry,
    HoursEntry,
    MemberStatus,
    MemberStatusChange,
    Worker,
)
from members.services.equity import equity_account_open, equity_payment_record
from members.services.hours import hours_opening_post, hours_post, hours_reverse
from members.services.retention import retention_status
from members.services.exit import ownership_exit
from onboarding.services.roster_import import MAX_ROWS, roster_import, roster_read
from patronage.models import CapitalAccountEntry
from patronage.selectors import capital_account
from patronage.services.capital import capital_opening_post
from payroll.selectors import sick_caps
from tests.factories import UserFactory
from tests.members.factories import JobClassificationFactory, WorkerFactory

pytestmark = pytest.mark.today("2026-11-23")
TODAY = date(2026, 11, 23)
PAGE = "/c/alliedup/members/workers/import/"
API = "/api/v1/c/alliedup/members/workers/import/"
HEADER = "first_name,last_name,email,phone,hire_date,classification,wage_step,prior_hours,status,owner_since,equity_paid,invite"
OWNER = "Rosa,Diaz,Rosa@Example.com,555-0101,2023-04-03,ma,2,412.50,worker_owner,2024-09-01,250.00,no"
CANDIDATE = "Ana,Ruiz,ana@example.com,,2024-01-08,cna,1,360,candidate,,100,yes"
EMPLOYEE = "Sam,Lee,sam@example.com,,2025-06-16,ma,,80.25,employee,,,"


def _csv(*rows, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.fixture
def cna(alliedup):
    return JobClassificationFactory(cooperative=alliedup, code="cna", name="Certified Nursing Assistant")


@pytest.fixture
def admin(alliedup_users):
    return alliedup_users["admin"]


def _written() -> tuple:
    """Everything an import writes, counted: nothing may change when it fails."""
    return (Worker.objects.count(), HoursEntry.objects.count(), MemberStatusChange.objects.count(),
            Candidacy.objects.count(), EquityAccount.objects.count(), EquityEntry.objects.count(),
            Invitation.objects.count(), CapitalAccountEntry.objects.count(), AuditEvent.objects.count())


# --- the happy path --------------------------------------------------------------------------


def test_a_roster_comes_in_with_prior_hours_candidacy_ownership_equity_and_invitations(alliedup, ma, cna, admin):
    result = roster_import(cooperative=alliedup, csv_file=_csv(OWNER, CANDIDATE, EMPLOYEE), imported_by=admin)

    assert result.counts == {"rows": 3, "employees": 1, "candidates": 1, "owners": 1, "invitations": 2,
                             "prior_hours": Decimal("852.75"), "equity_paid": Decimal("350.00"),
                             "capital_balance": Decimal("0.00")}
    rosa, ana, sam = (Worker.objects.get(email=e) for e in ("rosa@example.com", "ana@example.com", "sam@example.com"))
    assert [w.status for w in (rosa, ana, sam)] == [MemberStatus.OWNER, MemberStatus.CANDIDATE, MemberStatus.EMPLOYEE]
    assert rosa.worker_classifications.get().wage_step == 2 and sam.worker_classifications.get().wage_step == 1

    # The worker-owner: status history naming the import, owner classification, ownership dates.
    assert (rosa.owner_since, rosa.owner_classification) == (date(2024, 9, 1), ma)
    history = list(rosa.status_changes.order_by("effective_on").values_list("from_status", "to_status", "effective_on", "reason"))
    assert history == [
        ("", "employee", date(2023, 4, 3), "Hired"),
        ("employee", "owner", date(2024, 9, 1), "Roster import of 2026-11-23, line 2: a worker-owner since 2024-09-01"),
    ]
    assert selectors.owners_on(alliedup, date(2024, 9, 1)) == {rosa.pk}
    assert selectors.owners_on(alliedup, date(2024, 8, 31)) == set()

    # Prior hours: one opening entry per worker, dated the import day, counting toward 350.
    (entry,) = rosa.hours_entries.all()
    assert (entry.source, entry.workday, entry.hours, entry.classification) == ("opening", TODAY, Decimal("412.50"), ma)
    assert [p.hours for p in selectors.worker_hours_progress(rosa, TODAY)] == [Decimal("412.50")]
    assert retention_status(rosa, TODAY).hours == Decimal("412.50")

    # The candidate: a candidacy from today with the prior hours as qualifying hours.
    candidacy = selectors.open_candidacy(ana)
    assert (candidacy.classification, candidacy.opened_on, candidacy.qualifying_hours) == (cna, TODAY, Decimal("360.00"))
    assert candidacy.deadline == TODAY + timedelta(days=alliedup.candidacy_window_days)

    # Equity: the owner paid in full; the candidate's $100 leaves the rest on installments.
    owner_equity = selectors.equity_summary(rosa.equity_account)
    assert (owner_equity.paid, owner_equity.owed, owner_equity.status, owner_equity.plan) == (
        Decimal("250.00"), Decimal("0.00"), "paid", "full")
    candidate_equity = selectors.equity_summary(ana.equity_account)
    assert (candidate_equity.paid, candidate_equity.owed, candidate_equity.plan) == (Decimal("100.00"), Decimal("150.00"), "installments")
    assert not EquityAccount.objects.filter(worker=sam).exists()

    # Invitations like a hire's: linked to the record; `invite` no sends none.
    assert sorted(Invitation.objects.values_list("email", "worker__email")) == [
        ("ana@example.com", "ana@example.com"), ("sam@example.com", "sam@example.com")]

    # Audited: the import with its counts, and each hire as hiring does.
    (event,) = AuditEvent.objects.filter(action="members.roster.imported")
    assert (event.actor, event.data["rows"], event.data["owners"], event.data["prior_hours"]) == (admin, 3, 1, "852.75")
    assert AuditEvent.objects.filter(action="members.worker.hired").count() == 3
    assert AuditEvent.objects.filter(action="members.status.owner", data__reason__startswith="Roster import of 2026-11-23, line 2").count() == 1


def test_a_paid_in_full_owner_looks_exactly_like_one_who_paid_on_the_platform(alliedup, ma, admin):
    roster_import(cooperative=alliedup, csv_file=_csv(OWNER), imported_by=admin)
    imported = Worker.objects.get(email="rosa@example.com")
    platform = WorkerFactory(cooperative=alliedup, classifications=[ma])
    account = equity_account_open(worker=platform, plan=EquityAccount.Plan.FULL, start_on=TODAY, opened_by=admin)
    equity_payment_record(account=account, amount="250.00", effective_on=date(2024, 9, 1), reference="R-1", recorded_by=admin)

    def shape(worker):
        overview = selectors.equity_overview(worker)
        return (overview.summary, overview.schedule, [(e.kind, e.amount, e.effective_on) for e in overview.entries])

    assert shape(imported) == shape(platform)


def test_the_imported_owner_reads_right_on_the_worker_page_and_the_api(alliedup, ma, admin, login,
                                                                       django_assert_max_num_queries):
    roster_import(cooperative=alliedup, csv_file=_csv(OWNER), imported_by=admin)
    rosa = Worker.objects.get(email="rosa@example.com")
    with django_assert_max_num_queries(60):
        page = login(admin).get(f"/c/alliedup/members/workers/{rosa.uuid}/")
    body = page.content.decode()
    assert "Worker-owner</strong> since Sep 1, 2024" in body
    assert "Opening balance (roster import)" in body and "412.50" in body and "$250.00" in body

    api = APIClient()
    api.force_authenticate(admin)
    ownership = api.get(f"/api/v1/c/alliedup/members/workers/{rosa.uuid}/ownership/").json()
    assert ownership["worker"]["status"] == "owner" and ownership["worker"]["owner_since"] == "2024-09-01"
    assert ownership["progress"][0]["hours"] == "412.50"
    assert ownership["retention"]["hours"] == "412.50"
    equity = api.get(f"/api/v1/c/alliedup/members/workers/{rosa.uuid}/equity/").json()
    assert (equity["status"], equity["paid"], equity["owed"]) == ("paid", "250.00", "0.00")


def test_prior_hours_through_dates_the_opening_entry_and_it_leaves_the_window_a_year_on(alliedup, ma, admin):
    header = HEADER + ",prior_hours_through"
    roster_import(cooperative=alliedup, csv_file=_csv(EMPLOYEE + ",2026-10-31", header=header), imported_by=admin)
    sam = Worker.objects.get(email="sam@example.com")
    assert sam.hours_entries.get().workday == date(2026, 10, 31)
    assert selectors.worker_hours_progress(sam, date(2027, 10, 30))[0].hours == Decimal("80.25")
    assert selectors.worker_hours_progress(sam, date(2027, 10, 31))[0].hours == Decimal("0.00")


def test_the_opening_entry_is_no_workday_for_sick_leave_nor_the_hours_chart_and_can_be_reversed(alliedup, ma, admin):
    roster_import(cooperative=alliedup, csv_file=_csv(OWNER), imported_by=admin)
    rosa = Worker.objects.get(email="rosa@example.com")
    assert sick_caps(alliedup, [rosa.pk], TODAY + timedelta(days=1))[rosa.pk].day == Decimal("8.00")
    hours_post(worker=rosa, classification=ma, workday=TODAY, hours="7.50", source="timesheet", source_ref="ts-1")
    assert [r["hours"] for r in hours_by_classification(alliedup, date(2026, 11, 1), TODAY).rows] == [Decimal("7.50")]
    reversal = hours_reverse(entry=rosa.hours_entries.get(source="opening"), reason="Wrong total in the file", reversed_by=admin)
    assert reversal.hours == Decimal("-412.50")
    assert selectors.worker_hours_progress(rosa, TODAY)[0].hours == Decimal("7.50")


def test_the_opening_balance_goes_only_through_its_own_service(alliedup, ma, admin):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma], hire_date=date(2026, 11, 1))
    with pytest.raises(Exception, match="hours_opening_post"):
        hours_post(worker=worker, classification=ma, workday=TODAY, hours="8", source="opening", source_ref="x")
    with pytest.raises(Exception, match="more than 24 hours a day"):
        hours_opening_post(worker=worker, classification=ma, hours="553", through=TODAY, source_ref="x")
    assert hours_opening_post(worker=worker, classification=ma, hours="552", through=TODAY, source_ref="x").hours == 552


# --- capital account balances brought over ----------------------------------------------------

CAPITAL_HEADER = HEADER + ",capital_balance"
PATRONAGE = "/c/alliedup/payroll/patronage"
PATRONAGE_API = "/api/v1/c/alliedup/payroll/patronage"


def test_an_owners_capital_balance_opens_the_account_and_an_exit_repays_it_in_installments(
    alliedup, ma, cna, admin, login, django_assert_max_num_queries,
):
    data = _csv(OWNER + ",1000.01", CANDIDATE + ",", EMPLOYEE + ",0", header=CAPITAL_HEADER)
    result = roster_import(cooperative=alliedup, csv_file=data, imported_by=admin)
    assert result.counts["capital_balance"] == Decimal("1000.01")
    rosa = Worker.objects.get(email="rosa@example.com")

    # One opening entry of the capital ledger, the import day's, in this co-op; nobody else gets one.
    (entry,) = CapitalAccountEntry.objects.all()
    assert (entry.worker, entry.cooperative, entry.kind, entry.amount, entry.effective_on, entry.recorded_by) == (
        rosa, alliedup, "opening", Decimal("1000.01"), TODAY, admin)
    assert entry.reference == f"opening-{rosa.uuid}" and "Roster import of 2026-11-23, line 2" in entry.note
    account = capital_account(rosa)
    assert (account.equity_paid, account.retained_balance, account.balance) == (
        Decimal("250.00"), Decimal("1000.01"), Decimal("1250.01"))
    (event,) = AuditEvent.objects.filter(action="members.roster.imported")
    assert event.data["capital_balance"] == "1000.01"
    assert AuditEvent.objects.filter(action="patronage.capital.opening_posted", object_id=str(rosa.pk),
                                     data__amount="1000.01").count() == 1

    # Staff see it on the capital account page and through the API.
    client = login(admin)
    with django_assert_max_num_queries(20):
        page = client.get(f"{PATRONAGE}/workers/{rosa.uuid}/capital/")
    body = page.content.decode()
    assert page.status_code == 200 and "Opening balance (before the platform)" in body
    assert "$1,000.01" in body and "$1,250.01" in body
    api = APIClient()
    api.force_authenticate(admin)
    body = api.get(f"{PATRONAGE_API}/workers/{rosa.uuid}/capital-account/").json()
    assert (body["retained_balance"], body["balance"]) == ("1000.01", "1250.01")
    assert [(e["kind"], e["amount"], e["effective_on"]) for e in body["entries"]] == [("opening", "1000.01", "2026-11-23")]

    # She leaves: the brought-over balance is repaid in the bylaws' installments, the odd cent on the last.
    schedule = ownership_exit(worker=rosa, reason="withdrawal", effective_on=TODAY, recorded_by=admin)
    assert (schedule.equity_due, schedule.capital_due) == (Decimal("250.00"), Decimal("1000.01"))
    capital = list(schedule.installments.filter(part="capital").order_by("number").values_list("due_on", "amount"))
    assert alliedup.capital_redemption_installments == 5
    assert capital == [(date(2026 + n, 11, 23), Decimal("200.00")) for n in range(1, 5)] + [(date(2031, 11, 23), Decimal("200.01"))]


def test_the_preview_shows_each_owners_capital_balance(alliedup, ma, cna, alliedup_users, login):
    client = login(alliedup_users["coordinator"])
    upload = SimpleUploadedFile("roster.csv", _csv(OWNER + ",1843.27", EMPLOYEE + ",", header=CAPITAL_HEADER), content_type="text/csv")
    body = client.post(PAGE, {"file": upload}).content.decode()
    assert "Ready to import 2 workers" in body and '<th scope="col">Capital account</th>' in body
    assert "$1,843.27 of capital account balances" in body and '<td class="num">$1,843.27</td>' in body
    assert not CapitalAccountEntry.objects.exists()  # checking writes nothing


CAPITAL_ERRORS = {
    "negative": ([OWNER.replace("Rosa@Example.com", "rosa2@example.com") + ",-10.00"], "Line 3: capital_balance -10.00 is negative."),
    "3 decimals": ([OWNER.replace("Rosa@Example.com", "rosa2@example.com") + ",10.005"],
                   "Line 3: capital_balance 10.005 has more than 2 decimals."),
    "not a number": ([OWNER.replace("Rosa@Example.com", "rosa2@example.com") + ',"1,000.00"'],
                     "Line 3: capital_balance '1,000.00' is not a number of dollars"),
    "a candidate": ([CANDIDATE + ",50.00"], "Line 3: capital_balance is only for a worker_owner"),
    "an employee": ([EMPLOYEE + ",0.01"], "Line 3: capital_balance is only for a worker_owner"),
}


@pytest.mark.parametrize("kind", CAPITAL_ERRORS)
def test_a_bad_capital_balance_is_named_by_its_line_and_nothing_is_imported(kind, alliedup, ma, cna, admin):
    rows, expected = CAPITAL_ERRORS[kind]
    data = _csv(OWNER + ",500.00", *rows, header=CAPITAL_HEADER)  # line 2 is good and would post a balance
    preview = roster_read(cooperative=alliedup, csv_file=data)
    assert len(preview.errors) == 1 and preview.errors[0].startswith(expected), preview.errors
    before = _written()
    with pytest.raises(Exception) as err:
        roster_import(cooperative=alliedup, csv_file=data, imported_by=admin)
    assert err.value.message_dict == {"file": preview.errors}
    assert _written() == before and not CapitalAccountEntry.objects.exists()


def test_the_opening_capital_balance_is_refused_unless_positive_once_and_for_an_owner(alliedup, ma, admin):
    roster_import(cooperative=alliedup, csv_file=_csv(OWNER, EMPLOYEE), imported_by=admin)
    rosa, sam = Worker.objects.get(email="rosa@example.com"), Worker.objects.get(email="sam@example.com")
    post = dict(effective_on=TODAY, recorded_by=admin)
    with pytest.raises(Exception, match="not a worker-owner"):
        capital_opening_post(worker=sam, amount="10.00", reference="o-sam", **post)
    for amount in ("0", "-1.00", "1.001", "abc"):
        with pytest.raises(Exception, match="opening balance"):
            capital_opening_post(worker=rosa, amount=amount, reference="o-rosa", **post)
    capital_opening_post(worker=rosa, amount="10.00", reference="o-rosa", **post)
    with pytest.raises(Exception, match="already has its opening balance"):
        capital_opening_post(worker=rosa, amount="5.00", reference="o-rosa-2", **post)
    assert list(CapitalAccountEntry.objects.values_list("amount", flat=True)) == [Decimal("10.00")]


# --- errors: each kind, with its line; nothing written ----------------------------------------


# kind: (rows after a good first row on line 2, the one error expected)
ERRORS = {
    "duplicate in the file": (
        [EMPLOYEE, "Samuel,Lee,SAM@example.com,,2025-06-16,ma,,,,,,"], "Line 4: sam@example.com is also on line 3."),
    "bad date": (["Sam,Lee,sam@example.com,,2025-02-30,ma,,,,,,"], "Line 3: hire_date '2025-02-30' is not a date (YYYY-MM-DD)."),
    "date in the future": (["Sam,Lee,sam@example.com,,2026-11-24,ma,,,,,,"],
                           "Line 3: hire_date 2026-11-24 is not between 1900-01-01 and today (2026-11-23)."),
    "unknown classification": (["Sam,Lee,sam@example.com,,2025-06-16,xray,,,,,,"],
                               "Line 3: unknown classification 'xray' (known: cna, ma)."),
    "amount with 3 decimals": (["Ana,Ruiz,ana@example.com,,2024-01-08,cna,1,,candidate,,100.005,"],
                               "Line 3: equity_paid 100.005 has more than 2 decimals."),
    "hours with 3 decimals": (["Sam,Lee,sam@example.com,,2025-06-16,ma,,10.125,,,,"],
                              "Line 3: prior_hours 10.125 has more than 2 decimals."),
    "negative hours": (["Sam,Lee,sam@example.com,,2025-06-16,ma,,-8,,,,"], "Line 3: prior_hours -8 is negative."),
    "more hours than the days hold": (["Sam,Lee,sam@example.com,,2026-11-20,ma,,97,,,,"],
                                      "Line 3: prior_hours 97.00 is more than 24 hours a day from 2026-11-20 to 2026-11-23 (96)."),
    "equity over the buy-in": (["Ana,Ruiz,ana@example.com,,2024-01-08,cna,1,,candidate,,250.01,"],
                               "Line 3: equity_paid $250.01 is more than the buy-in ($250.00)."),
    "equity for an employee": (["Sam,Lee,sam@example.com,,2025-06-16,ma,,,employee,,50,"],
                               "Line 3: equity_paid is for candidates and worker-owners"),
    "owner without owner_since": (["Rosa,Diaz,rosa@example.com,,2023-04-03,ma,,,worker_owner,,250,"],
                                  "Line 3: owner_since is missing"),
    "owner before hire": (["Rosa,Diaz,rosa@example.com,,2023-04-03,ma,,,worker_owner,2023-04-02,250,"],
                          "Line 3: owner_since 2023-04-02 is before the hire date 2023-04-03."),
    "owner_since for an employee": (["Sam,Lee,sam@example.com,,2025-06-16,ma,,,,2025-07-01,,"],
                                    "Line 3: owner_since is only for a worker_owner."),
    "unknown status": (["Sam,Lee,sam@example.com,,2025-06-16,ma,,,boss,,,"],
                       "Line 3: status 'boss' is not employee, candidate or worker_owner."),
    "bad invite": (["Sam,Lee,sam@example.com,,2025-06-16,ma,,,,,,maybe"], "Line 3: invite 'maybe' is not yes or no."),
    "bad wage step": (["Sam,Lee,sam@example.com,,2025-06-16,ma,0,,,,,"], "Line 3: wage_step '0' is not a whole number from 1 to 99."),
    "bad email": (["Sam,Lee,sam-at-example,,2025-06-16,ma,,,,,,"], "Line 3: email 'sam-at-example' is not an email address."),
    "missing name": ([",Lee,sam@example.com,,2025-06-16,ma,,,,,,"], "Line 3: first_name is missing."),
    "too many values": (["Sam,Lee,sam@example.com,,2025-06-16,ma,,,,,,,extra"], "Line 3: 13 values for 12 columns"),
}


@pytest.mark.parametrize("kind", ERRORS)
def test_each_bad_row_is_named_by_its_line_and_nothing_is_imported(kind, alliedup, ma, cna, admin):
    rows, expected = ERRORS[kind]
    data = _csv(OWNER.replace("Rosa@Example.com", "first@example.com"), *rows)
    preview = roster_read(cooperative=alliedup, csv_file=data)
    assert not preview.valid
    assert len(preview.errors) == 1 and preview.errors[0].startswith(expected), preview.errors
    assert [bool(r.problems) for r in preview.rows][0] is False  # the good row is shown as good
    before = _written()
    with pytest.raises(Exception) as err:
        roster_import(cooperative=alliedup, csv_file=data, imported_by=admin)
    assert err.value.message_dict == {"file": preview.errors}
    assert _written() == before


def test_an_email_already_on_the_roster_is_refused(alliedup, ma, admin):
    WorkerFactory(cooperative=alliedup, first_name="Samuel", last_name="Lee", email="sam@example.com")
    preview = roster_read(cooperative=alliedup, csv_file=_csv(EMPLOYEE))
    assert preview.errors == ["Line 2: sam@example.com is already on the roster (Samuel Lee)."]


def test_another_cooperatives_classification_code_is_unknown(alliedup, nursescan, ma, admin):
    with scope(cooperative=nursescan):
        JobClassificationFactory(cooperative=nursescan, code="rt", name="Respiratory Therapist")
    preview = roster_read(cooperative=alliedup, csv_file=_csv("Sam,Lee,sam@example.com,,2025-06-16,rt,,,,,,"))
    assert preview.errors == ["Line 2: unknown classification 'rt' (known: ma)."]


FILE_ERRORS = {
    "not utf-8": (HEADER.encode() + b"\nJos\xe9,Lee,j@example.com,,2025-06-16,ma,,,,,,\n", "The file is not UTF-8 text"),
    "missing columns": (b"first_name,email\nSam,sam@example.com\n", "Line 1 must be the header"),
    "unknown column": (_csv(EMPLOYEE + ",x", header=HEADER + ",shoe_size"), "unknown shoe_size"),
    "empty": (b"", "The file is empty."),
    "header only": (_csv(), "The file has a header but no rows."),
    "too many rows": (_csv(*[f"A,B,w{i}@example.com,,2025-06-16,ma,,,,,," for i in range(MAX_ROWS + 1)]),
                      f"The file has more than {MAX_ROWS} rows"),
    "too big": (_csv("A,B,a@example.com,,2025-06-16,ma,,,,,," + "," * 150_000), "The file is larger than 128 KB"),
}


@pytest.mark.parametrize("kind", FILE_ERRORS)
def test_a_bad_file_is_refused_whole(kind, alliedup, ma, admin):
    data, expected = FILE_ERRORS[kind]
    preview = roster_read(cooperative=alliedup, csv_file=data)
    assert preview.rows == [] and len(preview.errors) == 1 and expected in preview.errors[0], preview.errors
    before = _written()
    with pytest.raises(Exception):
        roster_import(cooperative=alliedup, csv_file=data, imported_by=admin)
    assert _written() == before


def test_a_row_a_service_refuses_while_writing_undoes_the_rows_before_it(alliedup, ma, admin):
    """Sam's address belongs to an account already linked to another worker, so inviting him
    fails after Rosa was written: the whole file is undone, with Sam's line named."""
    taken = UserFactory(email="sam@example.com")
    WorkerFactory(cooperative=alliedup, email="samuel.other@example.com", user=taken)
    before = _written()
    with pytest.raises(Exception) as err:
        roster_import(cooperative=alliedup, csv_file=_csv(OWNER, EMPLOYEE), imported_by=admin)
    (message,) = err.value.message_dict["file"]
    assert message.startswith("Line 3: The account sam@example.com is already linked to the employee record")
    assert _written() == before


# --- cost --------------------------------------------------------------------------------------

# Each row costs a fixed number of statements, whatever the file's length: 74 for the dearest row
# (a worker-owner with prior hours, equity paid in full, a capital balance and an invitation; about
# 20 of them are the services' savepoints); the file costs a few on top (lock, classifications,
# emails, audit).
QUERIES_PER_ROW = 74  # 73 before the opening balance was added to the monthly hours rollup


def test_the_import_costs_a_fixed_number_of_queries_per_row(alliedup, ma, admin):
    def cost(prefix, n):
        rows = [OWNER.replace("Rosa@Example.com", f"{prefix}{i}@example.com").replace(",no", ",yes") + ",1843.27"
                for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            roster_import(cooperative=alliedup, csv_file=_csv(*rows, header=HEADER + ",capital_balance"), imported_by=admin)
        return len(ctx)

    two, six = cost("a", 2), cost("b", 6)
    per_row = (six - two) / 4
    assert per_row == int(per_row) and per_row <= QUERIES_PER_ROW, (two, six)
    assert two - 2 * per_row <= 6, (two, six)
    assert cost("c", 12) == two + 10 * per_row  # linear: no growth beyond the per-row constant


def test_reading_a_file_costs_the_same_whatever_its_rows(alliedup, ma, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        roster_read(cooperative=alliedup, csv_file=_csv(*[f"A,B,w{i}@example.com,,2025-06-16,ma,,,,,," for i in range(MAX_ROWS)]))


# --- the page ----------------------------------------------------------------------------------


def test_staff_check_the_file_see_each_row_then_import_it(alliedup, ma, cna, alliedup_users, login,
                                                          django_assert_max_num_queries, django_capture_on_commit_callbacks):
    client = login(alliedup_users["coordinator"])
    pipeline = client.get("/c/alliedup/members/").content.decode()
    assert f'href="{PAGE}"' in pipeline
    assert client.get(PAGE).status_code == 200

    upload = SimpleUploadedFile("roster.csv", _csv(OWNER, CANDIDATE, EMPLOYEE), content_type="text/csv")
    with django_assert_max_num_queries(12):
        checked = client.post(PAGE, {"file": upload})
    body = checked.content.decode()
    assert checked.status_code == 200 and "Ready to import 3 workers" in body
    assert "Worker-owner since Sep 1, 2024" in body and "412.50 to Nov 23, 2026" in body and "$250.00 (in full)" in body
    assert not Worker.objects.exists()  # checking writes nothing

    carried = checked.context["carried"]
    with django_capture_on_commit_callbacks(execute=True):
        imported = client.post(PAGE, {"csv_data": carried})
    assert imported.status_code == 302 and imported["Location"] == "/c/alliedup/members/"
    assert Worker.objects.count() == 3
    follow = client.get("/c/alliedup/members/").content.decode()
    assert "Imported 3 workers: 1 employee, 1 candidate, 1 worker-owner. 2 invitations to sign in go out by email." in follow

    again = client.post(PAGE, {"csv_data": carried})  # the confirmation sent twice
    assert again.status_code == 400 and "is already on the roster (Rosa Diaz)" in again.content.decode()
    assert Worker.objects.count() == 3


def test_the_page_lists_every_error_and_offers_no_import(alliedup, ma, alliedup_users, login):
    client = login(alliedup_users["admin"])
    upload = SimpleUploadedFile("roster.csv", _csv(EMPLOYEE, "X,Y,bad,,2025-13-01,zz,,-1,,,,"), content_type="text/csv")
    response = client.post(PAGE, {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported." in body
    assert "Line 3: email &#x27;bad&#x27; is not an email address" in body and "prior_hours -1 is negative" in body
    assert 'name="csv_data"' not in body
    assert client.post(PAGE, {"csv_data": "not base64!"}).status_code == 400
    assert not Worker.objects.exists()


@pytest.mark.parametrize("role,status", [("admin", 200), ("coordinator", 200), ("payroll", 403), ("worker", 403),
                                         ("board", 403), ("client", 403)])
def test_the_page_and_the_api_are_for_those_who_hire(role, status, alliedup, ma, alliedup_users, login):
    assert login(alliedup_users[role]).get(PAGE).status_code == status
    api = APIClient()
    api.force_authenticate(alliedup_users[role])
    response = api.post(API, {"file": SimpleUploadedFile("r.csv", _csv(EMPLOYEE)), "dry_run": "true"}, format="multipart")
    assert response.status_code == status
    assert not Worker.objects.exists()


# --- the API -----------------------------------------------------------------------------------


def test_the_api_previews_with_dry_run_then_imports_all_or_nothing(alliedup, ma, cna, admin):
    api = APIClient()
    api.force_authenticate(admin)

    def post(data, **extra):
        return api.post(API, {"file": SimpleUploadedFile("r.csv", data), **extra}, format="multipart")

    preview = post(_csv(OWNER, CANDIDATE), dry_run="true")
    assert preview.status_code == 200
    body = preview.json()
    assert body["valid"] is True and body["errors"] == [] and body["counts"]["owners"] == 1
    assert body["rows"][0] | {"problems": []} == {
        "line": 2, "first_name": "Rosa", "last_name": "Diaz", "email": "rosa@example.com", "phone": "555-0101",
        "hire_date": "2023-04-03", "classification": "ma", "wage_step": 2, "prior_hours": "412.50",
        "prior_hours_through": "2026-11-23", "status": "owner", "owner_since": "2024-09-01", "equity_paid": "250.00",
        "capital_balance": "0.00", "invite": False, "problems": [],
    }
    bad = post(_csv(OWNER, "Ana,Ruiz,ana@example.com,,2024-01-08,lvn,1,,,,,"), dry_run="true").json()
    assert bad["valid"] is False and bad["errors"] == ["Line 3: unknown classification 'lvn' (known: cna, ma)."]
    assert bad["rows"][1]["problems"] == ["unknown classification 'lvn' (known: cna, ma)"]
    assert not Worker.objects.exists()

    refused = post(_csv(OWNER, "Ana,Ruiz,ana@example.com,,2024-01-08,lvn,1,,,,,"))
    assert refused.status_code == 400 and refused.json() == {"file": bad["errors"]}
    assert not Worker.objects.exists()

    done = post(_csv(OWNER, CANDIDATE))
    assert done.status_code == 201
    assert done.json()["counts"]["rows"] == 2
    assert [w["email"] for w in done.json()["workers"]] == ["rosa@example.com", "ana@example.com"]
    assert post(_csv(OWNER)).status_code == 400  # once only
