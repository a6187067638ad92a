"""People get in (issue 15): a client's sites and contacts.

Staff add sites and contacts on the client page and through the API; a contact is invited
by email (role client) and, once they accept, the client portal shows them only the
clients they are a contact of.
"""

import re
from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from alliedup.models import AuditEvent, CooperativeRole, Invitation, Role
from members.models import HoursEntry, WorkerCredential
from placements.models import ClientContact, ClientSite, Shift, Timesheet
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.contacts import client_contact_invite
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.services.timesheets import timesheet_submit
from tests.factories import PASSWORD, CooperativeRoleFactory, UserFactory
from tests.members.factories import WorkerFactory
from tests.placements.conftest import DAY

pytestmark = pytest.mark.today("2026-11-23")
YESTERDAY = date(2026, 11, 22)  # the day before the fixed "today" above


def _client_page(client):
    return f"/c/alliedup/placements/clients/{client.uuid}/"


def _invitation_path(message) -> str:
    (url,) = re.findall(r"https?://\S+/c/alliedup/invitations/[0-9a-f-]+/", message.body)
    return re.sub(r"^https?://[^/]+", "", url)


def _submitted_timesheet(contract, lvn, licence, first_name):
    worker = WorkerFactory(cooperative=contract.cooperative, classifications=[lvn], first_name=first_name, last_name="Worker")
    WorkerCredential.objects.create(cooperative=contract.cooperative, worker=worker, credential_type=licence,
                                    expires_on=date(2099, 12, 31))
    order = job_order_create(contract=contract, classification=lvn, starts_on=YESTERDAY, ends_on=YESTERDAY,
                             shift_start=DAY[0], shift_end=DAY[1])
    (shift,) = Shift.objects.filter(job_order=order)
    assignment = shift_assign(shift=shift, worker=worker)
    return timesheet_submit(assignment=assignment, clock_in=shift.starts_at, clock_out=shift.ends_at, break_minutes=30)


@pytest.fixture
def staff(alliedup_users, login):
    return login(alliedup_users["coordinator"])


@pytest.fixture
def other_contract(alliedup, lvn):
    other = client_create(cooperative=alliedup, name="Other Hospital")
    contract = contract_create(client=other, reference="OH-1", starts_on=date(2026, 1, 1))
    bill_rate_set(contract=contract, classification=lvn, effective_from=date(2026, 1, 1), regular_rate="60.00")
    return contract


def _add_contact(staff, client, django_capture_on_commit_callbacks, email="dana@eastbay.example.com", name="Dana Whitfield"):
    with django_capture_on_commit_callbacks(execute=True):
        return staff.post(f"{_client_page(client)}contacts/", {"contact-name": name, "contact-email": email}, follow=True)


# --- the journey: invited, accepts, sees and approves only their client's timesheets -------


def test_an_invited_contact_accepts_and_approves_only_their_own_clients_timesheets(
    contract, other_contract, lvn, licence, staff, django_capture_on_commit_callbacks,
):
    ours = _submitted_timesheet(contract, lvn, licence, "Rosa")
    theirs = _submitted_timesheet(other_contract, lvn, licence, "Marta")
    response = _add_contact(staff, contract.client, django_capture_on_commit_callbacks)
    assert "Invitation sent to dana@eastbay.example.com." in response.content.decode()
    contact = ClientContact.objects.get()
    assert (contact.client, contact.user, contact.invitation.role) == (contract.client, None, Role.CLIENT)
    (message,) = mail.outbox
    assert message.to == ["dana@eastbay.example.com"]
    path = _invitation_path(message)

    # A new account, signed up from the link (so the address counts as confirmed).
    browser = Client()
    browser.get(path)
    browser.post("/accounts/signup/", {"email": "dana@eastbay.example.com", "password1": "a long passphrase 42",
                                       "password2": "a long passphrase 42", "next": path})
    assert browser.post(path)["Location"] == "/c/alliedup/"
    contact.refresh_from_db()
    assert contact.user.email == "dana@eastbay.example.com"
    assert CooperativeRole.objects.filter(user=contact.user, role=Role.CLIENT).exists()

    body = browser.get("/c/alliedup/placements/client/timesheets/").content.decode()
    assert "Rosa Worker" in body and "Marta Worker" not in body
    approved = browser.post(f"/c/alliedup/placements/client/timesheets/{ours.uuid}/approve/", follow=True)
    assert "Approved 8.00 hours for Rosa Worker." in approved.content.decode()
    assert Timesheet.objects.get(pk=ours.pk).status == "approved"
    assert browser.post(f"/c/alliedup/placements/client/timesheets/{theirs.uuid}/approve/").status_code == 404
    assert Timesheet.objects.get(pk=theirs.pk).status == "submitted"
    assert HoursEntry.objects.count() == 1
    assert {"placements.contact.added", "placements.contact.linked"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_a_pending_contact_acts_for_nobody(alliedup, contract, lvn, licence, alliedup_users, login):
    """Holding the client role is not enough: only a linked contact sees a client."""
    _submitted_timesheet(contract, lvn, licence, "Rosa")
    client_contact_invite(client=contract.client, email="client@alliedup.example.com", invited_by=alliedup_users["admin"])
    # alliedup_users["client"] already holds the role and verified this address: linked at once.
    assert ClientContact.objects.get().user == alliedup_users["client"]
    invited = client_contact_invite(client=contract.client, email="later@eastbay.example.com", invited_by=alliedup_users["admin"])
    assert invited.user is None
    stranger = UserFactory(email="stranger@example.com")
    CooperativeRoleFactory(cooperative=alliedup, user=stranger, role=Role.CLIENT)
    assert "Rosa Worker" not in login(stranger).get("/c/alliedup/placements/client/timesheets/").content.decode()


def test_an_existing_client_user_becomes_a_contact_of_another_client_without_an_email(
    contract, other_contract, lvn, licence, alliedup_users, login, staff, django_capture_on_commit_callbacks,
):
    _submitted_timesheet(other_contract, lvn, licence, "Marta")
    ClientContact.objects.create(cooperative=contract.cooperative, client=contract.client, user=alliedup_users["client"])
    response = _add_contact(staff, other_contract.client, django_capture_on_commit_callbacks, email="client@alliedup.example.com")
    assert "can now act for Other Hospital" in response.content.decode()
    assert not mail.outbox and not Invitation.objects.exists()
    assert "Marta Worker" in login(alliedup_users["client"]).get("/c/alliedup/placements/client/timesheets/").content.decode()


def test_an_unverified_account_is_not_linked_to_a_contact(contract, alliedup_users, login):
    contact = client_contact_invite(client=contract.client, email="dana@eastbay.example.com", invited_by=alliedup_users["admin"])
    unverified = UserFactory(email="dana@eastbay.example.com", verified=False)
    response = login(unverified).post(f"/c/alliedup/invitations/{contact.invitation.token}/", follow=True)
    assert "Confirm your email address" in response.content.decode()
    assert ClientContact.objects.get(pk=contact.pk).user is None
    assert not CooperativeRole.objects.filter(user=unverified).exists()


def test_the_same_address_twice_for_one_client_is_refused(contract, staff, django_capture_on_commit_callbacks):
    _add_contact(staff, contract.client, django_capture_on_commit_callbacks)
    response = _add_contact(staff, contract.client, django_capture_on_commit_callbacks, email="DANA@eastbay.example.com")
    assert "is already a contact of Eastbay Skilled Nursing" in response.content.decode()
    assert ClientContact.objects.count() == 1 and len(mail.outbox) == 1


# --- staff: resend, remove, sites ----------------------------------------------------------


def test_staff_send_a_contact_a_new_invitation_and_the_old_link_stops_working(
    contract, alliedup_users, staff, django_capture_on_commit_callbacks,
):
    _add_contact(staff, contract.client, django_capture_on_commit_callbacks)
    contact = ClientContact.objects.get()
    first = contact.invitation
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/c/alliedup/placements/contacts/{contact.uuid}/resend/")
    contact.refresh_from_db()
    first.refresh_from_db()
    assert first.revoked_at is not None and contact.invitation.is_open and contact.invitation != first
    assert len(mail.outbox) == 2 and _invitation_path(mail.outbox[1]).endswith(f"{contact.invitation.token}/")
    dana = UserFactory(email="dana@eastbay.example.com")
    browser = Client()
    browser.login(email=dana.email, password=PASSWORD)
    assert "withdrawn" in browser.post(f"/c/alliedup/invitations/{first.token}/", follow=True).content.decode()
    assert ClientContact.objects.get(pk=contact.pk).user is None
    assert AuditEvent.objects.filter(action="placements.contact.reinvited", actor=alliedup_users["coordinator"]).exists()


def test_removing_a_contact_closes_the_portal_to_them(contract, lvn, licence, alliedup_users, staff, login):
    _submitted_timesheet(contract, lvn, licence, "Rosa")
    contact = ClientContact.objects.create(cooperative=contract.cooperative, client=contract.client,
                                           user=alliedup_users["client"], email="client@alliedup.example.com")
    portal = login(alliedup_users["client"])
    assert "Rosa Worker" in portal.get("/c/alliedup/placements/client/timesheets/").content.decode()
    staff.post(f"/c/alliedup/placements/contacts/{contact.uuid}/remove/")
    assert not ClientContact.objects.exists()
    assert not CooperativeRole.objects.filter(user=alliedup_users["client"], role=Role.CLIENT).exists()
    assert portal.get("/c/alliedup/placements/client/timesheets/").status_code == 403
    removed = AuditEvent.objects.get(action="placements.contact.removed")
    assert removed.before["account"] == "client@alliedup.example.com"


def test_removing_an_invited_contact_withdraws_the_invitation(contract, staff, django_capture_on_commit_callbacks):
    _add_contact(staff, contract.client, django_capture_on_commit_callbacks)
    invitation = ClientContact.objects.get().invitation
    staff.post(f"/c/alliedup/placements/contacts/{ClientContact.objects.get().uuid}/remove/")
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None


def test_staff_add_sites_and_contacts_on_the_client_page(contract, staff, django_capture_on_commit_callbacks):
    page = staff.get(_client_page(contract.client)).content.decode()
    assert "No contacts yet" in page and "Add a site" in page
    staff.post(f"{_client_page(contract.client)}sites/", {"site-name": "3 West", "site-address": "1 Bay St, Oakland"})
    duplicate = staff.post(f"{_client_page(contract.client)}sites/", {"site-name": "3 west"}, follow=True)
    assert "already has a site named 3 west" in duplicate.content.decode()
    assert list(ClientSite.objects.values_list("name", "address")) == [("3 West", "1 Bay St, Oakland")]
    _add_contact(staff, contract.client, django_capture_on_commit_callbacks)
    page = staff.get(_client_page(contract.client)).content.decode()
    assert "3 West" in page and "dana@eastbay.example.com" in page and "Invited" in page
    assert AuditEvent.objects.filter(action="placements.site.added").count() == 1


@pytest.mark.parametrize("role", ["payroll", "client", "worker"])
def test_only_admins_and_coordinators_add_sites_and_contacts(role, contract, alliedup_users, login):
    browser = login(alliedup_users[role])
    assert browser.post(f"{_client_page(contract.client)}contacts/", {"contact-email": "x@example.com"}).status_code == 403
    assert browser.post(f"{_client_page(contract.client)}sites/", {"site-name": "3 West"}).status_code == 403
    assert not ClientContact.objects.exists() and not ClientSite.objects.exists()


def test_an_outsider_cooperatives_client_and_contact_are_not_found(nursescan, staff):
    with scopes_disabled():
        theirs = client_create(cooperative=nursescan, name="Their Hospital")
        contact = ClientContact.objects.create(cooperative=nursescan, client=theirs, email="x@their.example.com")
    assert staff.post(f"{_client_page(theirs)}contacts/", {"contact-email": "y@example.com"}).status_code == 404
    assert staff.post(f"{_client_page(theirs)}sites/", {"site-name": "A"}).status_code == 404
    assert staff.post(f"/c/alliedup/placements/contacts/{contact.uuid}/remove/").status_code == 404
    assert staff.post(f"/c/alliedup/placements/contacts/{contact.uuid}/resend/").status_code == 404
    with scopes_disabled():
        assert ClientContact.objects.filter(client=theirs).count() == 1 and not ClientSite.objects.exists()


# --- the API --------------------------------------------------------------------------------


@pytest.fixture
def api(alliedup_users):
    client = APIClient()
    client.force_authenticate(alliedup_users["coordinator"])
    return client


def test_the_api_adds_sites_and_contacts_resends_and_removes(contract, api, django_capture_on_commit_callbacks):
    base = f"/api/v1/c/alliedup/placements/clients/{contract.client.uuid}"
    site = api.post(f"{base}/sites/", {"name": "3 West", "address": "1 Bay St"}, format="json")
    assert site.status_code == 201 and site.json() == {"name": "3 West", "address": "1 Bay St"}
    assert api.post(f"{base}/sites/", {"name": ""}, format="json").status_code == 400
    assert api.get(f"{base}/sites/").json() == [{"name": "3 West", "address": "1 Bay St"}]

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(f"{base}/contacts/", {"name": "Dana", "email": "dana@eastbay.example.com"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "invited"
    assert api.post(f"{base}/contacts/", {"email": "not-an-email"}, format="json").status_code == 400
    assert api.post(f"{base}/contacts/", {"email": "dana@eastbay.example.com"}, format="json").status_code == 400
    uuid = created.json()["uuid"]
    assert [c["email"] for c in api.get(f"{base}/contacts/").json()] == ["dana@eastbay.example.com"]
    assert api.get(f"/api/v1/c/alliedup/placements/contacts/{uuid}/").json()["name"] == "Dana"
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/c/alliedup/placements/contacts/{uuid}/resend/").status_code == 201
    assert len(mail.outbox) == 2
    assert api.delete(f"/api/v1/c/alliedup/placements/contacts/{uuid}/").status_code == 204
    assert not ClientContact.objects.exists()


def test_the_api_refuses_outsider_clients_and_contacts(nursescan, api):
    with scopes_disabled():
        theirs = client_create(cooperative=nursescan, name="Their Hospital")
        contact = ClientContact.objects.create(cooperative=nursescan, client=theirs, email="x@their.example.com")
    base = f"/api/v1/c/alliedup/placements/clients/{theirs.uuid}"
    assert api.get(f"{base}/contacts/").status_code == 404
    assert api.post(f"{base}/contacts/", {"email": "y@example.com"}, format="json").status_code == 404
    assert api.post(f"{base}/sites/", {"name": "A"}, format="json").status_code == 404
    assert api.get(f"/api/v1/c/alliedup/placements/contacts/{contact.uuid}/").status_code == 404
    assert api.delete(f"/api/v1/c/alliedup/placements/contacts/{contact.uuid}/").status_code == 404


def test_payroll_reads_contacts_but_does_not_add_them(contract, alliedup_users):
    payroll = APIClient()
    payroll.force_authenticate(alliedup_users["payroll"])
    base = f"/api/v1/c/alliedup/placements/clients/{contract.client.uuid}"
    assert payroll.get(f"{base}/contacts/").status_code == 200
    assert payroll.post(f"{base}/contacts/", {"email": "y@example.com"}, format="json").status_code == 403
    assert not ClientContact.objects.exists()
