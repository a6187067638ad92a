"""CSV import of shifts: every bad row reported by line, nothing written unless all are good."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from alliedup.models import AuditEvent
from placements.models import ClientSite, JobOrder, Shift
from placements.services.shift_import import MAX_ROWS, shifts_import
from tests.members.factories import JobClassificationFactory

HEADER = "date,start,end,classification,site,headcount,notes\n"

BAD_FILE = HEADER + (
    "2026-03-07,19:00,07:00,lvn,,1,a good row\n"            # 2 (good: reported rows are the others)
    "2026-02-30,07:00,15:00,lvn,,,\n"                       # 3 no such day
    "2026-03-09,7am,15:00,lvn,,,\n"                         # 4 bad time
    "2026-03-09,07:00,15:00,xyz,,,\n"                       # 5 unknown classification
    "2026-03-09,07:00,07:00,lvn,,,\n"                       # 6 zero length
    "2025-12-31,07:00,15:00,lvn,,,\n"                       # 7 before the contract
    "2026-03-09,07:00,15:00,cna,,,\n"                       # 8 no bill rate for cna
    "2026-03-09,07:00,15:00,lvn,,0,\n"                      # 9 headcount 0
    "2026-03-09,07:00,15:00,lvn,,51,\n"                     # 10 headcount over 50
    "2026-03-08,02:30,03:00,lvn,,,\n"                       # 11 falls in the spring-forward gap
    "2026-03-09,07:00,15:00,lvn,Nowhere,,\n"                # 12 unknown site
    '2026-03-10,07:00,15:00,lvn,,,"two\nlines"\n'           # 13-14 good, a quoted note over two lines
    "03/11/2026,07:00,15:00,lvn,,,\n"                       # 15 wrong date format
    "2026-03-11,07:00,15:00,lvn,,,too,many\n"               # 16 more values than columns
)
BAD_LINES = {
    3: "is not a date", 4: "'7am' is not a time", 5: "unknown classification 'xyz'", 6: "the same time", 7: "outside the contract",
    8: "no bill rate for cna", 9: "headcount '0'", 10: "headcount '51'", 11: "the clocks change", 12: "no site 'Nowhere'",
    15: "'03/11/2026' is not a date", 16: "values for 7 columns",
}


@pytest.fixture
def cna(alliedup):
    return JobClassificationFactory(cooperative=alliedup, code="cna", name="Certified Nursing Assistant")


@pytest.fixture
def west(alliedup, contract):
    return ClientSite.objects.create(cooperative=alliedup, client=contract.client, name="3 West", address="1 Bay St, Oakland")


def _errors(exc_info) -> list[str]:
    return exc_info.value.message_dict["file"]


def test_a_bad_file_reports_every_bad_row_by_line_and_writes_nothing(contract, lvn, cna, west, alliedup_users):
    with pytest.raises(ValidationError) as exc_info:
        shifts_import(contract=contract, csv_file=BAD_FILE.encode(), imported_by=alliedup_users["coordinator"])
    errors = _errors(exc_info)
    assert len(errors) == len(BAD_LINES), errors
    for (line, reason), message in zip(sorted(BAD_LINES.items()), errors):
        assert message.startswith(f"Line {line}: ") and reason in message, (line, message)
    assert not Shift.objects.exists() and not JobOrder.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="placements.shifts").exists()


def test_a_good_file_creates_the_shifts_in_the_clients_zone_across_both_dst_changes(contract, lvn, west, alliedup_users):
    csv = HEADER + (
        "2026-03-07,19:00,07:00,lvn,3 West,2,Night cover\n"    # spring forward overnight: 11 h
        "2026-10-31,19:00,07:00,LVN,,1,\n"                      # fall back overnight: 13 h
        "2026-11-02,07:00,15:30,lvn,,,\n"
    )
    shifts = shifts_import(contract=contract, csv_file=("\ufeff" + csv).encode(), imported_by=alliedup_users["coordinator"])
    assert len(shifts) == 4 and Shift.objects.count() == 4 and JobOrder.objects.count() == 3
    spring = [s for s in shifts if s.starts_at.astimezone(UTC).date() == date(2026, 3, 8)]
    assert len(spring) == 2
    # 19:00 PST is 03:00 UTC; 07:00 PDT the next morning is 14:00 UTC.
    assert spring[0].starts_at == datetime(2026, 3, 8, 3, tzinfo=UTC) and spring[0].ends_at == datetime(2026, 3, 8, 14, tzinfo=UTC)
    assert spring[0].job_order.site == west and spring[0].job_order.notes == "Night cover"
    autumn = Shift.objects.get(starts_at=datetime(2026, 11, 1, 2, tzinfo=UTC))  # 19:00 PDT
    assert autumn.ends_at - autumn.starts_at == timedelta(hours=13)
    day = Shift.objects.get(job_order__starts_on=date(2026, 11, 2))
    assert day.starts_at == datetime(2026, 11, 2, 15, tzinfo=UTC) and day.job_order.headcount == 1
    assert JobOrder.objects.filter(created_by=alliedup_users["coordinator"]).count() == 3
    assert AuditEvent.objects.filter(action="placements.shifts.imported").count() == 1


@pytest.mark.parametrize("content, message", [
    ("date,start,end,classification\n2026-03-09,07:00,15:00,lvn\n".encode("utf-16"), "not UTF-8"),
    ("date,start,end,classification,notes\n2026-03-09,07:00,15:00,lvn,Café\n".encode("latin-1"), "not UTF-8"),
    (b"", "empty"),
    (b"2026-03-09,07:00,15:00,lvn\n", "must be the header"),
    (b"day,start,end,classification\n2026-03-09,07:00,15:00,lvn\n", "missing date; unknown day"),
    (b"date,start,end,classification\n", "no rows"),
    ((HEADER + "2026-03-09,07:00,15:00,lvn,,,\n" * (MAX_ROWS + 1)).encode(), f"more than {MAX_ROWS} rows"),
])
def test_files_that_are_not_a_shift_list_are_refused(contract, content, message):
    with pytest.raises(ValidationError) as exc_info:
        shifts_import(contract=contract, csv_file=content, imported_by=None)
    assert message in " ".join(_errors(exc_info))
    assert not JobOrder.objects.exists()


def test_too_many_shifts_in_one_file_are_refused(contract, lvn):
    rows = "".join(f"{date(2026, 4, 1) + timedelta(days=i)},07:00,15:00,lvn,,50,\n" for i in range(101))  # 5,050 shifts
    with pytest.raises(ValidationError) as exc_info:
        shifts_import(contract=contract, csv_file=HEADER + rows, imported_by=None)
    assert "at most 5000" in _errors(exc_info)[0] and not JobOrder.objects.exists()


def test_the_full_2000_rows_import_in_a_fixed_number_of_queries(contract, lvn, django_assert_max_num_queries):
    rows = "".join(f"{date(2026, 4, 1) + timedelta(days=i % 300)},07:00,15:00,lvn,,,\n" for i in range(MAX_ROWS))
    with django_assert_max_num_queries(12):
        assert len(shifts_import(contract=contract, csv_file=HEADER + rows, imported_by=None)) == MAX_ROWS


# --- page and API -------------------------------------------------------------------------


def _upload(content: str, name="shifts.csv"):
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def test_the_import_page_lists_each_bad_row_and_imports_nothing(contract, lvn, cna, west, alliedup_users, login):
    staff = login(alliedup_users["coordinator"])
    url = f"/c/alliedup/placements/contracts/{contract.uuid}/shift-import/"
    page = staff.get(url)
    assert page.status_code == 200 and b"date,start,end,classification,site,headcount,notes" in page.content
    response = staff.post(url, {"file": _upload(BAD_FILE)})
    body = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported" in body
    for line in BAD_LINES:
        assert f"Line {line}: " in body
    assert not Shift.objects.exists()
    good = staff.post(url, {"file": _upload(HEADER + "2026-03-09,07:00,15:00,lvn,3 West,3,\n")})
    assert good.status_code == 302 and good["Location"] == f"/c/alliedup/placements/clients/{contract.client.uuid}/"
    assert Shift.objects.count() == 3
    assert "Import shifts from a CSV file" in staff.get(good["Location"]).content.decode()


def test_only_staff_who_manage_placements_may_import(contract, alliedup_users, login):
    url = f"/c/alliedup/placements/contracts/{contract.uuid}/shift-import/"
    for role in ("payroll", "worker", "client"):
        assert login(alliedup_users[role]).get(url).status_code == 403


def test_the_api_imports_a_multipart_file_or_lists_the_bad_rows(contract, lvn, cna, west, alliedup_users):
    api = APIClient()
    api.force_authenticate(alliedup_users["coordinator"])
    url = f"/api/v1/c/alliedup/placements/contracts/{contract.uuid}/shift-import/"
    bad = api.post(url, {"file": _upload(BAD_FILE)}, format="multipart")
    assert bad.status_code == 400 and len(bad.json()["file"]) == len(BAD_LINES)
    assert bad.json()["file"][0].startswith("Line 3: ")
    assert not JobOrder.objects.exists()
    good = api.post(url, {"file": _upload(HEADER + "2026-03-07,19:00,07:00,lvn,3 West,2,\n2026-03-09,07:00,15:00,lvn,,,\n")},
                    format="multipart")
    assert good.status_code == 201, good.json()
    assert good.json()["rows"] == 2 and good.json()["shift_count"] == 3
    assert [o["site"] for o in good.json()["job_orders"]] == ["3 West", None]
    worker = APIClient()
    worker.force_authenticate(alliedup_users["payroll"])
    assert worker.post(url, {"file": _upload(HEADER)}, format="multipart").status_code == 403
