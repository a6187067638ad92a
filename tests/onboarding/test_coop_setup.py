"""A new co-op's own administrator sets it up: the bylaws settings (page and API), the job
classifications and credential types, and the first-run checklist (onboarding/)."""

from datetime import date, time
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django_scopes import scope
from rest_framework.test import APIClient

from alliedup.models import AuditEvent, Cooperative
from members.models import CredentialRequirement, CredentialType, EquityAccount, JobClassification
from members.selectors import required_credentials
from members.services.classifications import (
    credential_type_create,
    job_classification_create,
    job_classification_delete,
)
from members.services.equity import equity_account_open
from members.services.workers import credential_record
from onboarding.forms import CooperativeSettingsForm
from onboarding.selectors import setup_checklist, setup_complete
from onboarding.services.settings import cooperative_settings_update
from payroll.services.holidays import holiday_add
from payroll.services.periods import pay_period_create
from payroll.services.wages import agreement_create, wage_table_set
from placements.models import Shift
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.matching import worker_reasons
from placements.services.orders import job_order_create
from tests.members.factories import WorkerFactory

PAGE = "/c/alliedup/settings/"
API = "/api/v1/c/alliedup/settings/"
NOT_ADMIN = ["coordinator", "payroll", "worker", "board", "client"]
# Data sits on 2026 dates (pay periods, shifts) and the checklist asks for this year's holidays.
pytestmark = pytest.mark.today("2026-03-02")


@pytest.fixture
def admin(alliedup_users):
    return alliedup_users["admin"]


@pytest.fixture
def api(admin):
    client = APIClient()
    client.force_authenticate(admin)
    return client


def _api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _posted(cooperative: Cooperative, **changes) -> dict:
    """The settings form as a browser posts it: every field at its current value but `changes`."""
    form = CooperativeSettingsForm(cooperative=cooperative, locks={})
    data = {}
    for name, field in form.fields.items():
        value = changes.get(name, form.initial.get(name))
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, time):
            data[name] = value.strftime("%H:%M")
        else:
            data[name] = "" if value is None else str(value)
    return data


def _settings_events():
    return list(AuditEvent.objects.filter(action="alliedup.cooperative.setting_changed").order_by("id"))


# --- settings: the page ---------------------------------------------------------------------


def test_admin_changes_a_setting_on_the_page_and_the_audit_trail_records_who_before_and_after(
    alliedup, admin, login, django_assert_max_num_queries
):
    client = login(admin)
    with django_assert_max_num_queries(8):  # session, user, roles, locks (2), checklist (1)
        page = client.get(PAGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ownership path" in html and "Entry guards" in html and "Patronage and governance" in html
    assert "Default: 350.00." in html and "Default: Sunday." in html and "Default: 5,000.00." in html
    assert 'name="slug"' not in html and 'name="is_active"' not in html

    response = client.post(PAGE, _posted(alliedup, candidacy_hours_threshold="300", timesheet_tolerance_minutes="90"))
    assert response.status_code == 302
    coop = Cooperative.objects.get(pk=alliedup.pk)
    assert coop.candidacy_hours_threshold == Decimal("300.00") and coop.timesheet_tolerance_minutes == 90
    events = _settings_events()
    assert [(e.actor, e.before, e.after) for e in events] == [
        (admin, {"candidacy_hours_threshold": "350.00"}, {"candidacy_hours_threshold": "300.00"}),
        (admin, {"timesheet_tolerance_minutes": 120}, {"timesheet_tolerance_minutes": 90}),
    ]
    assert "Settings saved: 2 changed." in client.get(PAGE).content.decode()


def test_saving_the_page_unchanged_records_a_review_and_changes_nothing(alliedup, admin, login):
    response = login(admin).post(PAGE, _posted(alliedup))
    assert response.status_code == 302
    assert _settings_events() == []
    reviewed = AuditEvent.objects.get(action="alliedup.cooperative.settings_reviewed")
    assert reviewed.actor == admin


def test_an_invalid_value_on_the_page_is_shown_and_nothing_is_written(alliedup, admin, login):
    response = login(admin).post(PAGE, _posted(alliedup, patronage_cash_percent="10", candidacy_window_days="60"))
    assert response.status_code == 400
    assert "greater than or equal to 20" in response.content.decode()
    coop = Cooperative.objects.get(pk=alliedup.pk)
    assert coop.candidacy_window_days == 90 and coop.patronage_cash_percent == Decimal("20.00")
    assert not AuditEvent.objects.filter(action__startswith="alliedup.cooperative.setting").exists()


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_other_roles_may_not_open_or_change_the_settings(role, alliedup, alliedup_users, login):
    client = login(alliedup_users[role])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, _posted(alliedup, equity_buy_in="1.00")).status_code == 403
    api = _api_as(alliedup_users[role])
    assert api.get(API).status_code == 403
    assert api.patch(API, {"equity_buy_in": "1.00"}, format="json").status_code == 403
    assert api.post(f"{API}classifications/", {"code": "x", "name": "X"}, format="json").status_code == 403
    assert Cooperative.objects.get(pk=alliedup.pk).equity_buy_in == Decimal("250.00")
    assert not JobClassification.objects.exists()


def test_an_administrator_of_another_cooperative_is_refused(alliedup, nursescan_users, login):
    """No role here: the 403 with a way back (architecture.md), page and API alike."""
    outsider = nursescan_users["admin"]
    assert login(outsider).get(PAGE).status_code == 403
    assert login(outsider).post(f"{PAGE}classifications/", {"code": "x", "name": "X"}).status_code == 403
    assert _api_as(outsider).patch(API, {"equity_buy_in": "1.00"}, format="json").status_code == 403


def test_only_administrators_see_settings_in_the_navigation(alliedup_users, login):
    assert 'href="/c/alliedup/settings/"' in login(alliedup_users["admin"]).get("/c/alliedup/staff/").content.decode()
    assert 'href="/c/alliedup/settings/"' not in login(alliedup_users["coordinator"]).get("/c/alliedup/staff/").content.decode()


# --- settings: the API and the service ----------------------------------------------------------


def test_admin_reads_the_settings_with_their_defaults_and_patches_them(alliedup, admin, api):
    body = api.get(API).json()
    assert body["candidacy_hours_threshold"] == "350.00" and body["defaults"]["candidacy_hours_threshold"] == "350.00"
    assert body["defaults"]["workweek_start"] == 6 and body["defaults"]["name"] is None
    assert body["locked"] == {} and "slug" not in body

    response = api.patch(API, {"retention_hours_per_year": "120", "workweek_start": 0}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["retention_hours_per_year"] == "120.00" and response.json()["workweek_start"] == 0
    assert response.json()["defaults"]["retention_hours_per_year"] == "100.00"
    events = {e.data["setting"]: e for e in _settings_events()}
    assert set(events) == {"retention_hours_per_year", "workweek_start"}
    assert events["workweek_start"].before == {"workweek_start": 6} and events["workweek_start"].after == {"workweek_start": 0}
    assert events["retention_hours_per_year"].actor == admin


def test_the_api_refuses_operator_fields_unknown_names_and_bad_values(alliedup, api):
    response = api.patch(API, {"slug": "mine", "is_active": False, "colour": "red"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "slug": ["Set by the platform operator; ask them to change it."],
        "is_active": ["Set by the platform operator; ask them to change it."],
        "colour": ["Not a setting of the cooperative."],
    }
    response = api.patch(API, {"time_zone": "Mars/Olympus", "retention_year": "lunar"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"time_zone", "retention_year"}
    response = api.patch(API, {"equity_installments": 0, "candidacy_hours_threshold": "0"}, format="json")
    assert response.status_code == 400 and response.json() == {
        "equity_installments": ["The buy-in is paid in at least one installment."],
        "candidacy_hours_threshold": ["The hours for candidacy must be more than zero."],
    }
    coop = Cooperative.objects.get(pk=alliedup.pk)
    assert (coop.slug, coop.is_active, coop.time_zone) == ("alliedup", True, "America/Los_Angeles")
    assert _settings_events() == []


def test_the_service_refuses_operator_fields_and_leaves_nothing_half_written(alliedup, admin):
    with pytest.raises(ValidationError) as exc:
        cooperative_settings_update(cooperative=alliedup, changes={"slug": "x", "equity_buy_in": "300"}, updated_by=admin)
    assert "platform operator" in exc.value.message_dict["slug"][0]
    with pytest.raises(ValidationError) as exc:
        cooperative_settings_update(cooperative=alliedup, changes={"equity_buy_in": "300", "sick_use_cap_days": -1},
                                    updated_by=admin)
    assert set(exc.value.message_dict) == {"sick_use_cap_days"}
    assert Cooperative.objects.get(pk=alliedup.pk).equity_buy_in == Decimal("250.00")
    assert alliedup.equity_buy_in == Decimal("250.00")  # the caller's object is untouched too
    assert _settings_events() == []


def test_the_same_value_written_differently_is_no_change(alliedup, admin):
    assert cooperative_settings_update(cooperative=alliedup, changes={"candidacy_hours_threshold": "350"}, updated_by=admin) == []
    assert _settings_events() == []


def test_workweek_workday_and_time_zone_are_fixed_once_a_pay_run_exists(alliedup, admin, api, login):
    pay_period_create(cooperative=alliedup, starts_on=date(2026, 1, 4))  # a Sunday; opens its draft run
    with pytest.raises(ValidationError) as exc:
        cooperative_settings_update(cooperative=alliedup, changes={"workweek_start": 0}, updated_by=admin)
    assert "1 pay run exists (the first for the period starting Jan 4, 2026)" in exc.value.message_dict["workweek_start"][0]

    response = api.patch(API, {"workday_start": "06:00", "time_zone": "America/New_York", "retention_warning_days": 30},
                         format="json")
    assert response.status_code == 400 and set(response.json()) == {"workday_start", "time_zone"}
    assert "re-cut hours already paid" in response.json()["time_zone"][0]
    assert Cooperative.objects.get(pk=alliedup.pk).retention_warning_days == 60  # nothing half-written

    assert set(api.get(API).json()["locked"]) == {"workweek_start", "workday_start", "time_zone"}
    page = login(admin).get(PAGE).content.decode()
    assert "Fixed by history: 1 pay run exists" in page
    # Other settings still change, and saving the same workweek again is fine.
    assert api.patch(API, {"retention_warning_days": 30, "workweek_start": 6}, format="json").status_code == 200


def test_buy_in_and_installments_are_fixed_once_an_installment_plan_exists(alliedup, admin):
    worker = WorkerFactory(cooperative=alliedup)
    equity_account_open(worker=worker, plan=EquityAccount.Plan.INSTALLMENTS, start_on=date(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        cooperative_settings_update(cooperative=alliedup, changes={"equity_buy_in": "300.00", "equity_installments": 10},
                                    updated_by=admin)
    assert set(exc.value.message_dict) == {"equity_buy_in", "equity_installments"}
    assert "1 worker pays the equity buy-in by installment plan" in exc.value.message_dict["equity_buy_in"][0]
    assert cooperative_settings_update(cooperative=alliedup, changes={"workweek_start": 0}, updated_by=admin) == ["workweek_start"]


# --- job classifications and credential types -------------------------------------------------


def _shift(contract, classification, day=date(2026, 12, 8)):
    order = job_order_create(contract=contract, classification=classification, starts_on=day, ends_on=day,
                             shift_start=time(7, 0), shift_end=time(15, 0))
    return Shift.objects.get(job_order=order)


def test_created_on_the_page_and_by_api_they_drive_the_credential_check(alliedup, admin, api, login):
    client = login(admin)
    response = client.post(f"{PAGE}classifications/", {"code": "CNA", "name": "Certified Nursing Assistant", "is_active": "on"})
    assert response.status_code == 302
    cna = JobClassification.objects.get(code="cna")  # codes are kept lower case
    response = api.post(f"{API}credential-types/", {"code": "cna-cert", "name": "CNA certificate", "required_for": ["cna"]},
                        format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {"code": "cna-cert", "name": "CNA certificate", "expires": True, "required_for": ["cna"]}

    response = api.post(f"{API}classifications/", {"code": "phlebotomist", "name": "Phlebotomist"}, format="json")
    assert response.status_code == 201 and response.json()["required_credentials"] == []
    phleb = JobClassification.objects.get(code="phlebotomist")
    response = client.post(f"{PAGE}credential-types/", {"code": "cpt", "name": "Phlebotomy certificate", "expires": "on",
                                                        "required_for": [phleb.pk, cna.pk]})
    assert response.status_code == 302
    cert, cpt = CredentialType.objects.get(code="cna-cert"), CredentialType.objects.get(code="cpt")
    required = required_credentials([cna.pk, phleb.pk])
    assert {pk: sorted(c.code for c in types) for pk, types in required.items()} == {cna.pk: ["cna-cert", "cpt"], phleb.pk: ["cpt"]}
    assert api.get(f"{API}classifications/cna/").json()["required_credentials"] == ["cna-cert", "cpt"]

    # The existing credential check of shift matching now asks for them.
    contract = contract_create(client=client_create(cooperative=alliedup, name="Valley Clinic"), reference="VC-1",
                               starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=cna, effective_from=date(2026, 1, 1), regular_rate="40.00")
    shift = _shift(contract, cna)
    worker = WorkerFactory(cooperative=alliedup, classifications=[cna])
    assert sorted(worker_reasons(shift, worker)) == ["No CNA certificate on file.", "No Phlebotomy certificate on file."]
    credential_record(worker=worker, credential_type=cert, expires_on=date(2027, 1, 1))
    credential_record(worker=worker, credential_type=cpt, expires_on=date(2027, 1, 1))
    assert worker_reasons(shift, worker) == []

    # Editing the type's classifications through the API changes what the check asks.
    response = api.patch(f"{API}credential-types/cpt/", {"required_for": ["phlebotomist"]}, format="json")
    assert response.status_code == 200 and response.json()["required_for"] == ["phlebotomist"]
    assert [c.code for c in required_credentials([cna.pk])[cna.pk]] == ["cna-cert"]

    actions = set(AuditEvent.objects.filter(action__startswith="members.").values_list("action", "actor"))
    assert {("members.classification.created", admin.pk), ("members.credential_type.created", admin.pk),
            ("members.credential_type.updated", admin.pk)} <= actions


def test_duplicates_are_refused_with_a_clear_error(alliedup, nursescan, admin, api, login):
    JobClassification.objects.create(cooperative=nursescan, code="rn", name="Registered Nurse")  # another co-op: no clash
    job_classification_create(cooperative=alliedup, code="rn", name="Registered Nurse")
    response = login(admin).post(f"{PAGE}classifications/", {"code": "RN", "name": "RN again"})
    assert response.status_code == 400
    assert "The code &#x27;rn&#x27; is already used by the job classification “Registered Nurse” here." in response.content.decode()
    response = api.post(f"{API}classifications/", {"code": "rn2", "name": "registered nurse"}, format="json")
    assert response.status_code == 400 and "named “Registered Nurse” exists already" in response.json()["name"][0]

    credential_type_create(cooperative=alliedup, code="bls", name="BLS")
    response = api.post(f"{API}credential-types/", {"code": "bls", "name": "Basic Life Support"}, format="json")
    assert response.status_code == 400 and "already used by the credential type “BLS”" in response.json()["code"][0]
    response = api.post(f"{API}credential-types/", {"code": "acls", "name": "ACLS", "required_for": ["nope"]}, format="json")
    assert response.status_code == 400 and response.json() == {"required_for": ["No classification 'nope' in this cooperative."]}
    assert JobClassification.objects.filter(cooperative=alliedup).count() == 1
    assert CredentialType.objects.filter(cooperative=alliedup).count() == 1


def test_editing_on_the_page_keeps_the_code_and_checks_the_name(alliedup, admin, login, api):
    job_classification_create(cooperative=alliedup, code="ma", name="Medical Assistant")
    job_classification_create(cooperative=alliedup, code="cna", name="CNA")
    client = login(admin)
    assert client.get(f"{PAGE}classifications/ma/").status_code == 200
    response = client.post(f"{PAGE}classifications/ma/", {"name": "cna"})
    assert response.status_code == 400 and "exists already" in response.content.decode()
    assert client.post(f"{PAGE}classifications/ma/", {"name": "Medical Assistant II"}).status_code == 302
    ma = JobClassification.objects.get(code="ma")
    assert (ma.name, ma.is_active) == ("Medical Assistant II", False)  # the box left unticked deactivates it
    assert api.patch(f"{API}classifications/ma/", {"code": "ma2"}, format="json").status_code == 400
    event = AuditEvent.objects.get(action="members.classification.updated")
    assert event.before == {"name": "Medical Assistant", "is_active": True}
    assert event.after == {"name": "Medical Assistant II", "is_active": False}


def test_deleting_only_what_nothing_uses(alliedup, admin, api, login):
    ma = job_classification_create(cooperative=alliedup, code="ma", name="Medical Assistant")
    job_classification_create(cooperative=alliedup, code="typo", name="Typo")
    bls = credential_type_create(cooperative=alliedup, code="bls", name="BLS", required_for=[ma])
    assert api.delete(f"{API}classifications/typo/").status_code == 204
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma])
    response = api.delete(f"{API}classifications/ma/")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [
        "Medical Assistant is in use (1 worker classification), so it cannot be deleted; deactivate it instead."
    ]}
    credential_record(worker=worker, credential_type=bls, expires_on=date(2027, 1, 1))
    response = login(admin).post(f"{PAGE}credential-types/bls/delete/", follow=True)
    assert "BLS is in use (1 worker credential), so it cannot be deleted." in response.content.decode()
    assert set(JobClassification.objects.values_list("code", flat=True)) == {"ma"}
    assert CredentialType.objects.filter(code="bls").exists() and CredentialRequirement.objects.count() == 1
    assert AuditEvent.objects.filter(action="members.classification.deleted", actor=admin).count() == 1


def test_an_unused_classification_goes_with_its_requirements(alliedup, admin):
    rt = job_classification_create(cooperative=alliedup, code="rt", name="Respiratory Therapist")
    credential_type_create(cooperative=alliedup, code="acls", name="ACLS", required_for=[rt])
    job_classification_delete(classification=rt, deleted_by=admin)
    assert not CredentialRequirement.objects.exists() and CredentialType.objects.filter(code="acls").exists()
    assert AuditEvent.objects.get(action="members.classification.deleted").before["required_credentials"] == ["acls"]


def test_another_cooperatives_entries_are_not_found(alliedup, nursescan, admin, api, login):
    with scope(cooperative=nursescan):
        JobClassification.objects.create(cooperative=nursescan, code="lvn", name="LVN")
        CredentialType.objects.create(cooperative=nursescan, code="tb-test", name="TB test")
    client = login(admin)
    assert client.get(f"{PAGE}classifications/lvn/").status_code == 404
    assert client.post(f"{PAGE}credential-types/tb-test/delete/").status_code == 404
    assert api.get(f"{API}classifications/lvn/").status_code == 404
    assert api.patch(f"{API}credential-types/tb-test/", {"name": "Mine"}, format="json").status_code == 404
    assert api.delete(f"{API}classifications/lvn/").status_code == 404
    assert "<td>LVN</td>" not in client.get(f"{PAGE}classifications/").content.decode()  # (the standard list names an LVN licence)


def test_the_catalogue_pages_and_lists_cost_a_bounded_number_of_queries(alliedup, admin, api, login,
                                                                      django_assert_max_num_queries):
    client = login(admin)

    def count_all():
        for url in (f"{PAGE}classifications/", f"{PAGE}credential-types/", f"{PAGE}classifications/c0/",
                    f"{PAGE}credential-types/t0/"):
            with django_assert_max_num_queries(8):
                assert client.get(url).status_code == 200
        for url in (API, f"{API}classifications/", f"{API}credential-types/", f"{API}checklist/"):
            with django_assert_max_num_queries(5):
                assert api.get(url).status_code == 200

    classifications = [job_classification_create(cooperative=alliedup, code=f"c{i}", name=f"C {i}") for i in range(2)]
    for i in range(2):
        credential_type_create(cooperative=alliedup, code=f"t{i}", name=f"T {i}", required_for=classifications)
    count_all()
    classifications += [job_classification_create(cooperative=alliedup, code=f"c{i}", name=f"C {i}") for i in range(2, 12)]
    for i in range(2, 12):
        credential_type_create(cooperative=alliedup, code=f"t{i}", name=f"T {i}", required_for=classifications)
    count_all()  # twelve of each, each type required by all: the same bound


# --- the first-run checklist -----------------------------------------------------------------


def test_the_checklist_moves_from_not_done_to_done(alliedup, admin, django_assert_num_queries):
    today = date(2026, 3, 2)
    with django_assert_num_queries(1):
        items = setup_checklist(alliedup, today=today)
    assert [(i.key, i.done) for i in items] == [
        ("classifications", False), ("credential_types", False), ("settings", False), ("wage_tables", False),
        ("holidays", False), ("workers", False),
    ]
    assert items[4].label == "Holidays for 2026" and items[4].url == "/c/alliedup/payroll/holidays/?year=2026"
    assert items[5].url == "/c/alliedup/members/workers/import/"

    ma = job_classification_create(cooperative=alliedup, code="ma", name="Medical Assistant")
    credential_type_create(cooperative=alliedup, code="bls", name="BLS", required_for=[ma])
    cooperative_settings_update(cooperative=alliedup, changes={}, updated_by=admin)
    cba = agreement_create(cooperative=alliedup, name="CBA", union="SEIU-UHW", starts_on=date(2026, 1, 1),
                           ends_on=date(2027, 6, 30), dues_kind="none")
    holiday_add(cooperative=alliedup, day=date(2025, 12, 25), name="Christmas")  # last year's: not enough
    WorkerFactory(cooperative=alliedup)
    items = setup_checklist(alliedup, today=today)
    assert [i.key for i in items if not i.done] == ["wage_tables", "holidays"]
    assert items[5].detail == "1 on the roster"

    wage_table_set(agreement=cba, classification=ma, effective_from=date(2026, 1, 1), steps={1: Decimal("33.00")})
    holiday_add(cooperative=alliedup, day=date(2026, 7, 4), name="Independence Day")
    items = setup_checklist(alliedup, today=today)
    assert setup_complete(items) and items[3].detail == "1 wage table in a current agreement"
    # Once that agreement has ended, the item is to do again.
    assert [i.key for i in setup_checklist(alliedup, today=date(2027, 7, 1)) if not i.done] == ["wage_tables", "holidays"]


def test_the_staff_home_shows_the_checklist_to_administrators_until_done(alliedup, alliedup_users, admin, login,
                                                                           django_assert_max_num_queries):
    client = login(admin)
    with django_assert_max_num_queries(20):
        home = client.get("/c/alliedup/staff/").content.decode()
    assert "Getting the co-op set up" in home and "Holidays for 2026" in home
    assert "Getting the co-op set up" not in login(alliedup_users["coordinator"]).get("/c/alliedup/staff/").content.decode()
    settings_page = client.get(PAGE).content.decode()
    assert "Getting set up" in settings_page

    ma = job_classification_create(cooperative=alliedup, code="ma", name="Medical Assistant")
    credential_type_create(cooperative=alliedup, code="bls", name="BLS", required_for=[ma])
    client.post(PAGE, _posted(alliedup))
    cba = agreement_create(cooperative=alliedup, name="CBA", union="SEIU-UHW", starts_on=date(2026, 1, 1),
                           ends_on=date(2027, 6, 30), dues_kind="none")
    wage_table_set(agreement=cba, classification=ma, effective_from=date(2026, 1, 1), steps={1: Decimal("33.00")})
    client.post("/c/alliedup/payroll/holidays/standard/", {"year": 2026})
    home = client.get("/c/alliedup/staff/").content.decode()
    assert "Getting the co-op set up" in home and 'href="/c/alliedup/members/workers/import/"' in home
    WorkerFactory(cooperative=alliedup)
    assert "Getting the co-op set up" not in client.get("/c/alliedup/staff/").content.decode()
