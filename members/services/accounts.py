"""A worker's sign-in: the account linked to their employee record, and the invitations
that link it.

A worker uses the portal (shifts, timesheets, pay, ownership, voting) only through an
account linked to their `Worker` row. Staff invite the worker by email (at hire or later);
accepting links the account and grants the worker role. Staff can also withdraw an open
invitation, unlink an account (the wrong person, a lost mailbox) and link one directly.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.models import Invitation, Role
from alliedup.selectors import user_with_verified_email
from alliedup.services import invitation_create, invitation_revoke, role_grant, role_revoke
from members.models import Worker


def worker_open_invitation(worker: Worker) -> Invitation | None:
    """The worker's invitation still waiting to be accepted (not withdrawn nor expired)."""
    return (
        Invitation.objects.filter(worker=worker, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )


def _refuse_if_linked_elsewhere(worker: Worker, user) -> None:
    other = Worker.objects.filter(cooperative=worker.cooperative_id, user=user).exclude(pk=worker.pk).first()
    if other is not None:
        raise ValidationError(
            f"The account {user.email} is already linked to the employee record of {other}; "
            "unlink it there first."
        )


@transaction.atomic
def worker_invite(*, worker: Worker, invited_by, email: str | None = None) -> Invitation:
    """Invite the worker by email (default: the address on their record) to sign in; the
    account that accepts is linked to this record. Sending again replaces an open
    invitation (its link stops working). The email goes out after commit.

    Raises ValidationError if an account is already linked, or the address belongs to an
    account linked to another worker here.
    """
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.user_id is not None:
        raise ValidationError(f"{worker} already signs in as {worker.user.email}; unlink that account first.")
    email = (email or worker.email).strip().lower()
    if not email:
        raise ValidationError({"email": "Give the address to send the invitation to."})
    existing = user_with_verified_email(email)
    if existing is not None:
        _refuse_if_linked_elsewhere(worker, existing)
    for previous in Invitation.objects.filter(worker=worker, accepted_at=None, revoked_at=None):
        invitation_revoke(invitation=previous, revoked_by=invited_by, reason="replaced by a new invitation")
    return invitation_create(
        cooperative=worker.cooperative, email=email, role=Role.WORKER, invited_by=invited_by, worker=worker,
    )


@transaction.atomic
def worker_invite_by_email(*, cooperative, email: str, invited_by) -> Invitation:
    """The Team page's (and the invitations API's) worker invitation: a worker signs in only
    through their employee record, so the address must be on one of this co-op's workers;
    the invitation then names that record and accepting it links the account
    (`worker_invite`). Raises ValidationError if no worker has the address (hire or import
    them first: hiring sends the invitation) or `worker_invite` refuses.
    """
    email = (email or "").strip().lower()
    worker = Worker.objects.filter(cooperative=cooperative, email__iexact=email).first()
    if worker is None:
        raise ValidationError({"role": (
            f"No worker of {cooperative.name} has the address {email}. A worker signs in through their employee "
            "record: hire them (Members → Hire a worker) or import your roster, which sends the invitation; for "
            "someone on the roster under another address, invite them from their record."
        )})
    return worker_invite(worker=worker, email=email, invited_by=invited_by)


@transaction.atomic
def worker_invitation_revoke(*, worker: Worker, revoked_by) -> Invitation:
    """Withdraw the worker's open invitation. Raises ValidationError if there is none."""
    invitation = worker_open_invitation(worker)
    if invitation is None:
        raise ValidationError(f"{worker} has no open invitation.")
    invitation_revoke(invitation=invitation, revoked_by=revoked_by)
    return invitation


def _link(worker: Worker, user, *, by, via: str) -> Worker:
    _refuse_if_linked_elsewhere(worker, user)
    worker.user = user
    worker.save(update_fields=["user"])
    role_grant(cooperative=worker.cooperative, user=user, role=Role.WORKER, granted_by=by)
    audit_log(
        cooperative=worker.cooperative, action="members.worker.account_linked", user=by, obj=worker,
        after={"account": user.email}, data={"via": via},
    )
    return worker


def worker_invitation_accepted(*, invitation: Invitation, user) -> None:
    """Called by alliedup.services.invitation_accept (inside its transaction): link the
    accepting account to the invitation's employee record. Raises ValidationError if the
    record is linked to another account, or the account to another record."""
    if invitation.worker_id is None:
        return
    worker = Worker.objects.select_for_update().get(pk=invitation.worker_id)
    if worker.user_id == user.pk:
        return
    if worker.user_id is not None:
        raise ValidationError(
            "This employee record is already linked to another account. Ask the cooperative's staff."
        )
    _link(worker, user, by=user, via="invitation")


@transaction.atomic
def worker_account_link(*, worker: Worker, email: str, linked_by) -> Worker:
    """Link an existing account to the record directly: the one that verified `email`
    (an unconfirmed address is never enough). Grants the worker role.

    Raises ValidationError if the record already has an account, no account verified that
    address, or that account is linked to another worker here.
    """
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.user_id is not None:
        raise ValidationError(f"{worker} already signs in as {worker.user.email}; unlink that account first.")
    user = user_with_verified_email(email)
    if user is None:
        raise ValidationError(
            {"email": "No account has confirmed that address. Send an invitation instead: accepting it links the account."}
        )
    for previous in Invitation.objects.filter(worker=worker, accepted_at=None, revoked_at=None):
        invitation_revoke(invitation=previous, revoked_by=linked_by, reason="account linked by staff")
    return _link(worker, user, by=linked_by, via="staff")


@transaction.atomic
def worker_account_unlink(*, worker: Worker, reason: str, unlinked_by) -> Worker:
    """Detach the account from the record (the wrong person, a lost mailbox), with a
    reason. The account loses the worker role here, since it no longer has a record to act
    for. Raises ValidationError without a reason or a linked account."""
    if not reason.strip():
        raise ValidationError({"reason": "Record why the account is unlinked."})
    worker = Worker.objects.select_for_update(of=("self",)).select_related("user").get(pk=worker.pk)
    if worker.user_id is None:
        raise ValidationError(f"No account is linked to {worker}.")
    user = worker.user
    worker.user = None
    worker.save(update_fields=["user"])
    role_revoke(cooperative=worker.cooperative, user=user, role=Role.WORKER, revoked_by=unlinked_by)
    audit_log(
        cooperative=worker.cooperative, action="members.worker.account_unlinked", user=unlinked_by, obj=worker,
        before={"account": user.email}, data={"reason": reason.strip()},
    )
    return worker
