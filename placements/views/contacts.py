"""Staff pages' actions on a client's sites and contacts, shown on the client page: add a
site, add a contact (invited by email), send a contact's invitation again, remove a contact.
Each posts one form and comes back to the client page with a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from alliedup.permissions import permission_required_in_coop
from placements.forms import ClientContactForm, ClientSiteForm
from placements.models import Client, ClientContact
from placements.services import contacts as contact_services


def people_context(client: Client) -> dict:
    """The client page's "Sites and contacts" section: contacts with their sign-in state."""
    return {
        "contacts": list(client.contacts.select_related("user", "invitation").order_by("name", "email")),
        "site_form": ClientSiteForm(),
        "contact_form": ClientContactForm(),
    }


def _run(request, client, form, action, done):
    if not form.is_valid():
        messages.error(request, "Check the form: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    else:
        try:
            result = action(form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done(result))
    return redirect("placements:client_detail", coop_slug=request.cooperative.slug, client_uuid=client.uuid)


@require_POST
@permission_required_in_coop("placements.manage")
def client_site_add(request, coop_slug, client_uuid):
    client = get_object_or_404(Client, uuid=client_uuid)
    return _run(
        request, client, ClientSiteForm(request.POST),
        lambda d: contact_services.client_site_add(client=client, added_by=request.user, **d),
        lambda site: f"Site {site.name} added.",
    )


@require_POST
@permission_required_in_coop("placements.manage")
def client_contact_add(request, coop_slug, client_uuid):
    client = get_object_or_404(Client, uuid=client_uuid)
    return _run(
        request, client, ClientContactForm(request.POST),
        lambda d: contact_services.client_contact_invite(client=client, invited_by=request.user, **d),
        lambda c: f"{c} can now act for {client}." if c.user_id else f"Invitation sent to {c.email}.",
    )


def _contact(contact_uuid) -> ClientContact:
    return get_object_or_404(ClientContact.objects.select_related("client"), uuid=contact_uuid)


@require_POST
@permission_required_in_coop("placements.manage")
def client_contact_resend(request, coop_slug, contact_uuid):
    contact = _contact(contact_uuid)
    try:
        contact_services.client_contact_resend(contact=contact, invited_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"A new invitation goes to {contact.email}.")
    return redirect("placements:client_detail", coop_slug=coop_slug, client_uuid=contact.client.uuid)


@require_POST
@permission_required_in_coop("placements.manage")
def client_contact_remove(request, coop_slug, contact_uuid):
    contact = _contact(contact_uuid)
    client = contact.client
    contact_services.client_contact_remove(contact=contact, removed_by=request.user)
    messages.success(request, f"{contact} no longer acts for {client}.")
    return redirect("placements:client_detail", coop_slug=coop_slug, client_uuid=client.uuid)
