from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Channel
from notifications.models import NotificationSettings
from notifications.selectors import WorkerPreferences


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class PreferencesForm(forms.Form):
    """A checkbox per kind and channel (SMS only where the co-op sends it), the SMS number
    and the consent."""

    sms_phone = forms.CharField(label=_("Mobile number for text messages"), max_length=40, required=False,
                                help_text=_("With the country code, like +1 510 555 0100."))
    sms_opt_in = forms.BooleanField(label=_("Yes, send me text messages. Message and data rates may apply."), required=False)

    def __init__(self, *args, preferences: WorkerPreferences, **kwargs):
        initial = {"sms_phone": preferences.sms_phone, "sms_opt_in": preferences.sms_opted_in}
        for row in preferences.rows:
            initial[field_name(row.kind, Channel.EMAIL)] = row.email
            initial[field_name(row.kind, Channel.SMS)] = row.sms
        super().__init__(*args, initial=initial, **kwargs)
        self.preferences = preferences
        channels = [Channel.EMAIL] + ([Channel.SMS] if preferences.sms_available else [])
        for row in preferences.rows:
            for channel in channels:
                label = f"{row.label}: {Channel(channel).label}"
                self.fields[field_name(row.kind, channel)] = forms.BooleanField(
                    label=label, required=False, widget=forms.CheckboxInput(attrs={"aria-label": label}))
        if not preferences.sms_available:
            del self.fields["sms_phone"], self.fields["sms_opt_in"]
        self.table = [(row, [self[field_name(row.kind, c)] for c in channels]) for row in preferences.rows]
        self.channels = [Channel(c).label for c in channels]

    def choices(self) -> dict[tuple[str, str], bool]:
        return {tuple(name.split("__")): value for name, value in self.cleaned_data.items() if "__" in name}


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["sms_enabled", "credential_notice_days", "open_shift_days"]
        labels = {"sms_enabled": "Send text messages (SMS)", "credential_notice_days": "Credential notice (days ahead)",
                  "open_shift_days": "Open-shift digest looks ahead (days)"}
