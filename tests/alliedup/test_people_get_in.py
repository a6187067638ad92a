"""People get in (issue 15): a hired worker gets a sign-in linked to their employee record.

Hiring may invite the worker by email (in the hire's transaction, sent once it commits);
accepting the invitation links the account to the record and grants the worker role. An
existing account is linked only if it verified the invited address. Staff invite, send
again, withdraw, link and unlink from the worker's record page and the API, all audited.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from alliedup import services
from alliedup.models import AuditEvent, CooperativeRole, Invitation, Role
from alliedup.tasks import invitation_send
from members.models import Worker
from members.services.accounts import worker_account_link, worker_invite
from placements.models import Applicant
from tests.factories import PASSWORD, InvitationFactory, UserFactory
from tests.members.factories import JobClassificationFactory, WorkerFactory

pytestmark = pytest.mark.today("2026-11-23")

NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture(autouse=True)
def _alliedup_scope(alliedup, in_scope):
    with in_scope(alliedup):
        yield


@pytest.fixture
def ma(alliedup):
    return JobClassificationFactory(cooperative=alliedup, code="ma", name="Medical Assistant")


@pytest.fixture
def staff(alliedup_users, login):
    return login(alliedup_users["coordinator"])


@pytest.fixture
def worker(alliedup, ma):
    return WorkerFactory(cooperative=alliedup, first_name="Rosa", last_name="Delgado", email="rosa@example.com",
                         classifications=[ma])


def _invitation_path(message) -> str:
    (url,) = re.findall(r"https?://\S+/c/alliedup/invitations/[0-9a-f-]+/", message.body)
    return re.sub(r"^https?://[^/]+", "", url)


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("created_at", "id").values_list("action", flat=True))


def _member_url(name, worker):
    return f"/c/alliedup/members/workers/{worker.uuid}/account/{name}/"


def _hire(staff, django_capture_on_commit_callbacks, ma, **extra):
    data = {"first_name": "Rosa", "last_name": "Delgado", "email": "rosa@example.com", "phone": "",
            "hire_date": "2026-11-16", "classification": ma.pk, "wage_step": 1, **extra}
    with django_capture_on_commit_callbacks(execute=True):
        return staff.post("/c/alliedup/members/workers/new/", data)


# --- hiring with an invitation, accepted by a new account -------------------------------


def test_hire_with_an_invitation_emails_a_link_tied_to_the_employee_record(staff, ma, django_capture_on_commit_callbacks):
    response = _hire(staff, django_capture_on_commit_callbacks, ma, invite="on")
    assert response.status_code == 302
    worker = Worker.objects.get(email="rosa@example.com")
    (invitation,) = Invitation.objects.all()
    assert (invitation.worker, invitation.email, invitation.role) == (worker, "rosa@example.com", Role.WORKER)
    assert invitation.sent_at is not None
    (message,) = mail.outbox
    assert message.to == ["rosa@example.com"]
    assert _invitation_path(message) == f"/c/alliedup/invitations/{invitation.token}/"
    assert "employee record" in message.body
    assert worker.user is None  # linked only when someone accepts


def test_hire_without_the_box_ticked_invites_nobody(staff, ma, django_capture_on_commit_callbacks):
    assert _hire(staff, django_capture_on_commit_callbacks, ma).status_code == 302
    assert Worker.objects.filter(email="rosa@example.com").exists()
    assert not Invitation.objects.exists() and not mail.outbox


def test_hire_can_send_the_invitation_to_another_address(staff, ma, django_capture_on_commit_callbacks):
    _hire(staff, django_capture_on_commit_callbacks, ma, invite="on", invite_email="Rosa.Home@Example.com")
    assert Invitation.objects.get().email == "rosa.home@example.com"
    assert mail.outbox[0].to == ["rosa.home@example.com"]


def test_a_hire_whose_invitation_is_refused_writes_nothing(alliedup, staff, ma, django_capture_on_commit_callbacks):
    """The address belongs to an account already linked to another worker: neither the
    hire nor the invitation is kept, and the form says why."""
    taken = UserFactory(email="rosa@example.com")
    WorkerFactory(cooperative=alliedup, email="other@example.com", user=taken)
    response = _hire(staff, django_capture_on_commit_callbacks, ma, invite="on")
    assert response.status_code == 400
    assert "already linked to the employee record" in response.content.decode()
    assert not Worker.objects.filter(email="rosa@example.com").exists()
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_new_account_signs_up_from_the_link_accepts_and_sees_its_own_ownership_page(
    alliedup, staff, ma, django_capture_on_commit_callbacks,
):
    _hire(staff, django_capture_on_commit_callbacks, ma, invite="on")
    path = _invitation_path(mail.outbox[0])
    browser = Client()
    landing = browser.get(path)
    assert landing.status_code == 200
    assert "create your account" in landing.content.decode()
    # The link reached the mailbox, so signing up from it needs no second confirmation email.
    signup = browser.post("/accounts/signup/", {"email": "rosa@example.com", "password1": NEW_PASSWORD,
                                                 "password2": NEW_PASSWORD, "next": path})
    assert signup.status_code == 302 and signup["Location"] == path
    user = EmailAddress.objects.get(email="rosa@example.com").user
    assert EmailAddress.objects.get(email="rosa@example.com").verified
    assert browser.post(path)["Location"] == "/c/alliedup/"
    worker = Worker.objects.get(email="rosa@example.com")
    assert worker.user == user
    assert CooperativeRole.objects.filter(user=user, role=Role.WORKER).exists()
    assert browser.get("/c/alliedup/", follow=True).redirect_chain[-1][0] == "/c/alliedup/me/"
    page = browser.get("/c/alliedup/members/me/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "No employee record is linked" not in body and "Employee" in body
    assert "members.worker.account_linked" in _actions()
    # The link is spent: accepting again changes nothing and says so.
    again = browser.post(path, follow=True)
    assert "already been accepted" in again.content.decode()


def test_signing_in_from_the_link_comes_back_to_it(staff, ma, django_capture_on_commit_callbacks):
    _hire(staff, django_capture_on_commit_callbacks, ma, invite="on")
    UserFactory(email="rosa@example.com")
    path = _invitation_path(mail.outbox[0])
    browser = Client()
    assert browser.post(path)["Location"].startswith("/accounts/login/?next=")
    signed_in = browser.post(f"/accounts/login/?next={path}", {"login": "rosa@example.com", "password": PASSWORD})
    assert signed_in["Location"] == path
    assert browser.post(path)["Location"] == "/c/alliedup/"
    assert Worker.objects.get(email="rosa@example.com").user.email == "rosa@example.com"


# --- existing accounts -------------------------------------------------------------------


def test_an_existing_verified_account_is_linked_on_acceptance(alliedup, alliedup_users, worker, login):
    existing = UserFactory(email="rosa@example.com")  # e.g. a member of another co-op
    invitation = worker_invite(worker=worker, invited_by=alliedup_users["coordinator"])
    browser = login(existing)
    assert b"Accept the invitation" in browser.get(f"/c/alliedup/invitations/{invitation.token}/").content
    browser.post(f"/c/alliedup/invitations/{invitation.token}/")
    worker.refresh_from_db()
    assert worker.user == existing
    assert CooperativeRole.objects.filter(user=existing, role=Role.WORKER).exists()


def test_a_verified_second_address_of_an_account_accepts_too(alliedup_users, worker):
    user = UserFactory(email="rosa.work@example.com")
    EmailAddress.objects.create(user=user, email="rosa@example.com", verified=True, primary=False)
    invitation = worker_invite(worker=worker, invited_by=alliedup_users["admin"])
    services.invitation_accept(invitation=invitation, user=user)
    assert Worker.objects.get(pk=worker.pk).user == user


@pytest.mark.parametrize("unconfirmed_row", [True, False], ids=["unconfirmed-address", "no-address-row"])
def test_an_unverified_account_with_the_same_email_is_not_silently_linked(unconfirmed_row, alliedup_users, worker, login):
    unverified = UserFactory(email="rosa@example.com", verified=False)
    if unconfirmed_row:
        EmailAddress.objects.create(user=unverified, email="rosa@example.com", verified=False, primary=True)
    invitation = worker_invite(worker=worker, invited_by=alliedup_users["coordinator"])
    browser = login(unverified)
    response = browser.post(f"/c/alliedup/invitations/{invitation.token}/", follow=True)
    assert "Confirm your email address rosa@example.com first" in response.content.decode()
    assert Worker.objects.get(pk=worker.pk).user is None
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None
    assert not CooperativeRole.objects.filter(user=unverified).exists()
    # Staff cannot link it by hand either: only a confirmed address counts.
    with pytest.raises(ValidationError, match="No account has confirmed that address"):
        worker_account_link(worker=worker, email="rosa@example.com", linked_by=alliedup_users["coordinator"])


def test_acceptance_is_refused_when_the_record_has_another_account(alliedup, alliedup_users, worker):
    invitation = InvitationFactory(cooperative=alliedup, email="rosa@example.com", worker=worker)
    worker.user = UserFactory(email="somebody@example.com")
    worker.save()
    rosa = UserFactory(email="rosa@example.com")
    with pytest.raises(ValidationError, match="already linked to another account"):
        services.invitation_accept(invitation=invitation, user=rosa)
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None
    assert not CooperativeRole.objects.filter(user=rosa).exists()  # the role grant was rolled back too


def test_acceptance_is_refused_when_the_account_has_another_record(alliedup, alliedup_users, worker, ma):
    rosa = UserFactory(email="rosa@example.com")
    WorkerFactory(cooperative=alliedup, email="old-record@example.com", user=rosa)
    invitation = InvitationFactory(cooperative=alliedup, email="rosa@example.com", worker=worker)
    with pytest.raises(ValidationError, match="already linked to the employee record"):
        services.invitation_accept(invitation=invitation, user=rosa)
    assert Worker.objects.get(pk=worker.pk).user is None


def test_someone_else_cannot_use_the_link(worker, alliedup_users, login):
    invitation = worker_invite(worker=worker, invited_by=alliedup_users["coordinator"])
    intruder = login(UserFactory(email="intruder@example.com"))
    assert intruder.get(f"/c/alliedup/invitations/{invitation.token}/").status_code == 404
    assert intruder.post(f"/c/alliedup/invitations/{invitation.token}/").status_code == 404
    assert Worker.objects.get(pk=worker.pk).user is None


# --- staff: invite, send again, withdraw, link, unlink ------------------------------------


def test_staff_resend_withdraw_link_unlink_and_relink_from_the_record_page(
    alliedup, alliedup_users, staff, worker, django_capture_on_commit_callbacks,
):
    page = staff.get(f"/c/alliedup/members/workers/{worker.uuid}/").content.decode()
    assert "No account is linked" in page and "Invite" in page

    for _ in range(2):  # invite, then send again
        with django_capture_on_commit_callbacks(execute=True):
            staff.post(_member_url("invite", worker), {"invite-email": "rosa@example.com"})
    first, second = Invitation.objects.order_by("created_at", "id")
    assert first.revoked_at is not None and second.is_open and len(mail.outbox) == 2
    assert "Invited as" in staff.get(f"/c/alliedup/members/workers/{worker.uuid}/").content.decode()
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_accept(invitation=first, user=UserFactory(email="rosa@example.com"))

    staff.post(_member_url("invitation/revoke", worker))
    second.refresh_from_db()
    assert second.revoked_at is not None and second.revoked_by == alliedup_users["coordinator"]

    rosa = EmailAddress.objects.get(email="rosa@example.com").user
    staff.post(_member_url("link", worker), {"link-email": "ROSA@example.com"})
    assert Worker.objects.get(pk=worker.pk).user == rosa
    assert CooperativeRole.objects.filter(user=rosa, role=Role.WORKER).exists()
    assert "Signs in as" in staff.get(f"/c/alliedup/members/workers/{worker.uuid}/").content.decode()

    refused = staff.post(_member_url("unlink", worker), {"unlink-reason": ""}, follow=True)
    assert "Check the form" in refused.content.decode() and Worker.objects.get(pk=worker.pk).user == rosa
    staff.post(_member_url("unlink", worker), {"unlink-reason": "Linked the wrong person"})
    assert Worker.objects.get(pk=worker.pk).user is None
    assert not CooperativeRole.objects.filter(user=rosa, role=Role.WORKER).exists()

    staff.post(_member_url("link", worker), {"link-email": "rosa@example.com"})  # re-link
    assert Worker.objects.get(pk=worker.pk).user == rosa

    actions = _actions()
    assert actions.count("alliedup.invitation.created") == 2
    assert actions.count("alliedup.invitation.revoked") == 2
    assert actions.count("members.worker.account_linked") == 2
    assert actions.count("members.worker.account_unlinked") == 1
    unlinked = AuditEvent.objects.get(action="members.worker.account_unlinked")
    assert unlinked.actor == alliedup_users["coordinator"]
    assert unlinked.data == {"reason": "Linked the wrong person"} and unlinked.before == {"account": "rosa@example.com"}
    replaced = AuditEvent.objects.filter(action="alliedup.invitation.revoked").order_by("created_at", "id").first()
    assert replaced.data == {"reason": "replaced by a new invitation"}


def test_inviting_a_worker_who_signs_in_already_is_refused(alliedup_users, staff, worker):
    worker.user = UserFactory(email="rosa@example.com")
    worker.save()
    response = staff.post(_member_url("invite", worker), {"invite-email": "rosa@example.com"}, follow=True)
    assert "already signs in as rosa@example.com" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_withdrawn_invitation_is_not_emailed(alliedup, alliedup_users, worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        invitation = worker_invite(worker=worker, invited_by=alliedup_users["coordinator"])
        services.invitation_revoke(invitation=invitation, revoked_by=alliedup_users["coordinator"])
    for callback in queued:
        callback()
    assert not mail.outbox
    assert invitation_send.delay(cooperative=alliedup.pk, invitation_id=invitation.pk).get() is False


@pytest.mark.parametrize("role", ["payroll", "worker", "client"])
def test_only_admins_and_coordinators_manage_sign_ins(role, alliedup_users, login, worker):
    browser = login(alliedup_users[role])
    assert browser.post(_member_url("invite", worker), {"invite-email": "rosa@example.com"}).status_code == 403
    assert not Invitation.objects.exists()


def test_an_outsider_cooperatives_worker_is_not_found(nursescan, staff, ma):
    with scopes_disabled():
        outsider = WorkerFactory(cooperative=nursescan, email="theirs@example.com")
    for name in ("invite", "invitation/revoke", "link", "unlink"):
        assert staff.post(_member_url(name, outsider), {"invite-email": "x@example.com"}).status_code == 404
    with scopes_disabled():
        assert not Invitation.objects.filter(worker=outsider).exists()


# --- the API ------------------------------------------------------------------------------


@pytest.fixture
def api(alliedup_users):
    client = APIClient()
    client.force_authenticate(alliedup_users["coordinator"])
    return client


def test_the_api_hires_with_an_invitation_and_manages_the_sign_in(api, ma, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/c/alliedup/members/workers/", {
            "first_name": "Li", "last_name": "Wong", "email": "li@example.com", "hire_date": "2026-11-16",
            "classification": "ma", "invite": True,
        }, format="json")
    assert created.status_code == 201, created.json()
    base = f"/api/v1/c/alliedup/members/workers/{created.json()['uuid']}/account/"
    account = api.get(base).json()
    assert account["account"] is None and account["invitation"]["email"] == "li@example.com"
    assert mail.outbox[0].to == ["li@example.com"]

    again = api.post(f"{base}invitation/", {"email": "li.wong@example.com"}, format="json")
    assert again.status_code == 201 and again.json()["invitation"]["email"] == "li.wong@example.com"
    assert api.delete(f"{base}invitation/").status_code == 204
    assert api.get(base).json()["invitation"] is None
    assert api.delete(f"{base}invitation/").status_code == 400  # nothing open any more

    assert api.post(f"{base}link/", {"email": "nobody@example.com"}, format="json").status_code == 400
    li = UserFactory(email="li@example.com")
    linked = api.post(f"{base}link/", {"email": "li@example.com"}, format="json")
    assert linked.status_code == 200 and linked.json()["account"] == "li@example.com"
    assert api.post(f"{base}unlink/", {}, format="json").status_code == 400
    unlinked = api.post(f"{base}unlink/", {"reason": "Left the co-op's portal"}, format="json")
    assert unlinked.status_code == 200 and unlinked.json()["account"] is None
    assert not CooperativeRole.objects.filter(user=li, role=Role.WORKER).exists()


def test_the_api_hire_without_invite_invites_nobody(api, ma, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/c/alliedup/members/workers/", {
            "first_name": "Li", "last_name": "Wong", "email": "li@example.com", "hire_date": "2026-11-16", "classification": "ma",
        }, format="json")
    assert created.status_code == 201 and not Invitation.objects.exists() and not mail.outbox


def test_the_api_refuses_an_outsider_cooperatives_worker(api, nursescan):
    with scopes_disabled():
        outsider = WorkerFactory(cooperative=nursescan)
    base = f"/api/v1/c/alliedup/members/workers/{outsider.uuid}/account/"
    assert api.get(base).status_code == 404
    assert api.post(f"{base}invitation/", {}, format="json").status_code == 404
    assert api.post(f"{base}link/", {"email": "a@example.com"}, format="json").status_code == 404


def test_hiring_an_applicant_can_invite_them(alliedup, api, ma, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    applicant = Applicant.objects.create(cooperative=alliedup, first_name="Lupe", last_name="Ortiz", email="lupe@example.com",
                                         classification=ma, resume=ContentFile(b"%PDF-1.7\n", name="cv.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        hired = api.post(f"/api/v1/c/alliedup/placements/applicants/{applicant.uuid}/hire/",
                         {"hire_date": "2026-11-16", "classification": "ma", "invite": True}, format="json")
    assert hired.status_code == 201, hired.json()
    invitation = Invitation.objects.get()
    assert invitation.worker.email == "lupe@example.com" and mail.outbox[0].to == ["lupe@example.com"]
