"""Pages of notifications, mounted under /c/<coop_slug>/notifications/: the worker's
preferences, the one-click unsubscribe (no sign-in), the co-op's channel settings (admins)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from alliedup.forms_util import add_service_errors
from alliedup.i18n import language_for
from alliedup.permissions import permission_required_in_coop, public_page
from members.selectors import worker_for_user
from notifications.forms import NotificationSettingsForm, PreferencesForm
from notifications.kinds import Channel, Kind
from notifications.selectors import coop_settings, worker_preferences
from notifications.services import preferences as services


@permission_required_in_coop("notifications.own")
@require_http_methods(["GET", "POST"])
def preferences(request, coop_slug):
    """Which notifications the worker gets, by email and (where the co-op sends it) by SMS."""
    worker = worker_for_user(request.cooperative, request.user)
    if worker is None:
        return render(request, "notifications/preferences.html", {"worker": None})
    current = worker_preferences(worker, settings=coop_settings(request.cooperative))
    form = PreferencesForm(request.POST or None, preferences=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_update(
                worker=worker, choices=form.choices(), changed_by=request.user,
                sms_phone=form.cleaned_data.get("sms_phone") if current.sms_available else None,
                sms_opt_in=form.cleaned_data.get("sms_opt_in") if current.sms_available else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your notification choices are saved."))
            return redirect("notifications:preferences", coop_slug=coop_slug)
    return render(request, "notifications/preferences.html", {"worker": worker, "form": form},
                  status=400 if form.errors else 200)


@public_page
@csrf_exempt  # the signed token is the credential; RFC 8058's one-click POST carries no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, coop_slug, token):
    """GET: what the link stops, and a button. POST (the button, or a mail app's one-click
    `List-Unsubscribe=One-Click`): stop it. Not genuine, or another co-op's: 404."""
    try:
        worker, kind, channel = services.unsubscribe_target(cooperative=request.cooperative, token=token)
    except ValidationError:
        raise Http404("No such unsubscribe link.") from None
    if request.method == "POST":
        services.unsubscribe(cooperative=request.cooperative, token=token)
    with translation.override(language_for(worker)):
        return render(request, "notifications/unsubscribe.html", {
            "done": request.method == "POST", "kind_label": Kind(kind).label, "channel_label": Channel(channel).label,
            "coop": request.cooperative,  # named here: a visitor who is not signed in has no current_cooperative
        })


@permission_required_in_coop("coop.settings")
@require_http_methods(["GET", "POST"])
def settings_page(request, coop_slug):
    """The co-op's channels: SMS on or off, how far ahead notices look."""
    coop = request.cooperative
    current = coop_settings(coop)
    form = NotificationSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(cooperative=coop, changes={name: form.cleaned_data[name] for name in form.fields},
                                     updated_by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Notification settings saved.")
            return redirect("notifications:settings", coop_slug=coop_slug)
    return render(request, "notifications/settings.html", {"form": form}, status=400 if form.errors else 200)
