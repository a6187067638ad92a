"""Staff actions on a worker's sign-in, from the worker's record page: invite (or send
again), withdraw the open invitation, link an existing account, unlink it. Each posts one
form and comes back to the record with a message (members.views.actions.worker_form_action)."""

from django import forms
from django.views.decorators.http import require_POST

from alliedup.permissions import permission_required_in_coop
from members.forms import WorkerInviteForm, WorkerLinkForm, WorkerUnlinkForm
from members.models import Worker
from members.services import accounts
from members.views.actions import worker_form_action


def account_context(worker: Worker) -> dict:
    """What the record page's "Sign-in" section shows."""
    return {
        "open_invitation": accounts.worker_open_invitation(worker) if worker.user_id is None else None,
        "invite_form": WorkerInviteForm(initial={"email": worker.email}, prefix="invite"),
        "link_form": WorkerLinkForm(initial={"email": worker.email}, prefix="link"),
        "unlink_form": WorkerUnlinkForm(prefix="unlink"),
    }


def _action(request, coop_slug, worker_uuid, form_class, prefix, action):
    return worker_form_action(
        request, coop_slug, worker_uuid, lambda w: form_class(request.POST, prefix=prefix), action
    )


@require_POST
@permission_required_in_coop("members.manage")
def worker_invite(request, coop_slug, worker_uuid):
    return _action(
        request, coop_slug, worker_uuid, WorkerInviteForm, "invite",
        lambda w, d: accounts.worker_invite(worker=w, email=d["email"], invited_by=request.user),
    )


@require_POST
@permission_required_in_coop("members.manage")
def worker_invitation_revoke(request, coop_slug, worker_uuid):
    return _action(
        request, coop_slug, worker_uuid, _NoFields, None,
        lambda w, d: accounts.worker_invitation_revoke(worker=w, revoked_by=request.user),
    )


@require_POST
@permission_required_in_coop("members.manage")
def worker_account_link(request, coop_slug, worker_uuid):
    return _action(
        request, coop_slug, worker_uuid, WorkerLinkForm, "link",
        lambda w, d: accounts.worker_account_link(worker=w, email=d["email"], linked_by=request.user),
    )


@require_POST
@permission_required_in_coop("members.manage")
def worker_account_unlink(request, coop_slug, worker_uuid):
    return _action(
        request, coop_slug, worker_uuid, WorkerUnlinkForm, "unlink",
        lambda w, d: accounts.worker_account_unlink(worker=w, reason=d["reason"], unlinked_by=request.user),
    )


class _NoFields(forms.Form):
    """A form with nothing to fill in (the button alone says what to do)."""
