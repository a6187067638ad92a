"""A client's sites and the people who act for it (client contacts).

Staff add a contact by email: an invitation into the client role goes out, and the account
that accepts it is linked to the contact (client_contact_invitation_accepted, called by
alliedup.services.invitation_accept). The client portal shows a user only the clients they
are a linked contact of (placements.selectors.client_ids_for).
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from alliedup.audit import audit_log
from alliedup.models import CooperativeRole, Invitation, Role
from alliedup.selectors import user_with_verified_email
from alliedup.services import invitation_create, invitation_revoke, role_revoke
from placements.models import Client, ClientContact, ClientSite


@transaction.atomic
def client_site_add(*, client: Client, name: str, address: str = "", added_by=None) -> ClientSite:
    """Add a site or unit of the client (job orders may name it). Raises ValidationError on
    an empty or duplicate name."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the site or unit."})
    if ClientSite.objects.filter(client=client, name__iexact=name).exists():
        raise ValidationError({"name": f"{client} already has a site named {name}."})
    site = ClientSite(cooperative=client.cooperative, client=client, name=name, address=address.strip())
    site.full_clean()
    site.save()
    audit_log(cooperative=client.cooperative, action="placements.site.added", user=added_by, obj=site,
              after={"client": client.name, "name": name})
    return site


@transaction.atomic
def client_contact_invite(*, client: Client, email: str, name: str = "", invited_by) -> ClientContact:
    """Add a contact of the client. Someone already holding the client role here (a contact
    of another client), with that address verified, is linked at once; anyone else is
    invited by email (role client) and linked when they accept.

    Raises ValidationError on a malformed address or someone already a contact of this client.
    """
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid email address."}) from None
    if not client.is_active:
        raise ValidationError(f"{client} is inactive; reactivate it before adding contacts.")
    if ClientContact.objects.filter(client=client, email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a contact of {client}."})
    contact = ClientContact(cooperative=client.cooperative, client=client, email=email, name=name.strip(), added_by=invited_by)
    user = user_with_verified_email(email)
    already_client = user is not None and CooperativeRole.objects.filter(
        cooperative=client.cooperative, user=user, role=Role.CLIENT
    ).exists()
    if already_client:
        if ClientContact.objects.filter(client=client, user=user).exists():
            raise ValidationError({"email": f"That person is already a contact of {client}."})
        contact.user = user
    else:
        contact.invitation = invitation_create(
            cooperative=client.cooperative, email=email, role=Role.CLIENT, invited_by=invited_by, links_record=True,
        )
    contact.full_clean()
    contact.save()
    audit_log(cooperative=client.cooperative, action="placements.contact.added", user=invited_by, obj=contact,
              after={"client": client.name, "email": email, "linked": already_client})
    return contact


@transaction.atomic
def client_contact_resend(*, contact: ClientContact, invited_by) -> ClientContact:
    """Send a contact who has not accepted yet a fresh invitation (new link, new expiry);
    the old link stops working. Raises ValidationError once the contact has an account."""
    contact = ClientContact.objects.select_for_update(of=("self",)).select_related("client", "invitation").get(pk=contact.pk)
    if contact.user_id is not None:
        raise ValidationError(f"{contact} already signs in; nothing to resend.")
    if contact.invitation is not None and contact.invitation.accepted_at is None:
        invitation_revoke(invitation=contact.invitation, revoked_by=invited_by, reason="replaced by a new invitation")
    contact.invitation = invitation_create(
        cooperative=contact.cooperative, email=contact.email, role=Role.CLIENT, invited_by=invited_by, links_record=True,
    )
    contact.save(update_fields=["invitation"])
    audit_log(cooperative=contact.cooperative, action="placements.contact.reinvited", user=invited_by, obj=contact,
              after={"client": contact.client.name, "email": contact.email})
    return contact


@transaction.atomic
def client_contact_remove(*, contact: ClientContact, removed_by) -> None:
    """Remove a contact: an open invitation is withdrawn, and an account that acts for no
    other client here loses the client role (so the portal closes to them)."""
    contact = ClientContact.objects.select_for_update(of=("self",)).select_related("client", "invitation", "user").get(pk=contact.pk)
    if contact.invitation is not None and contact.invitation.accepted_at is None:
        invitation_revoke(invitation=contact.invitation, revoked_by=removed_by, reason="contact removed")
    user, client = contact.user, contact.client
    audit_log(cooperative=contact.cooperative, action="placements.contact.removed", user=removed_by, obj=contact,
              before={"client": client.name, "email": contact.email, "account": user.email if user else None})
    contact.delete()
    if user is not None and not ClientContact.objects.filter(cooperative=client.cooperative, user=user).exists():
        role_revoke(cooperative=client.cooperative, user=user, role=Role.CLIENT, revoked_by=removed_by)


def client_contact_invitation_accepted(*, invitation: Invitation, user) -> None:
    """Called by alliedup.services.invitation_accept (inside its transaction): link the
    accepting account to the contact the invitation was sent for."""
    contact = ClientContact.objects.select_for_update(of=("self",)).select_related("client").filter(invitation=invitation).first()
    if contact is None or contact.user_id == user.pk:
        return
    if contact.user_id is not None:
        raise ValidationError("This contact is already linked to another account. Ask the cooperative's staff.")
    if ClientContact.objects.filter(client=contact.client_id, user=user).exists():
        # They already act for this client under another address: keep that one.
        contact.delete()
        return
    contact.user = user
    contact.save(update_fields=["user"])
    audit_log(cooperative=contact.cooperative, action="placements.contact.linked", user=user, obj=contact,
              after={"client": contact.client.name, "account": user.email})
