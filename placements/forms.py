"""Forms of the staff pages of placements. They only parse input: the rules (a rate above
zero, dates in order, a reason to cancel) live in placements/services/ and come back as
ValidationError, shown on the form with alliedup.forms_util.add_service_errors."""

from decimal import Decimal

from django import forms

from alliedup.forms_util import DateInput, TimeInput
from alliedup.models import validate_time_zone
from members.selectors import classifications_qs
from placements.models import ClientContract, ClientSite

WEEKDAYS = [("0", "Mon"), ("1", "Tue"), ("2", "Wed"), ("3", "Thu"), ("4", "Fri"), ("5", "Sat"), ("6", "Sun")]


class ClientForm(forms.Form):
    name = forms.CharField(max_length=200)
    address = forms.CharField(max_length=300, required=False)
    contact_name = forms.CharField(max_length=120, required=False, label="Contact name")
    contact_email = forms.EmailField(required=False, label="Contact email")
    contact_phone = forms.CharField(max_length=40, required=False, label="Contact phone")
    time_zone = forms.CharField(max_length=64, validators=[validate_time_zone], label="Time zone",
                                help_text="IANA name, e.g. America/Los_Angeles")


class ContractForm(forms.Form):
    reference = forms.CharField(max_length=80)
    starts_on = forms.DateField(widget=DateInput, label="Starts on")
    ends_on = forms.DateField(widget=DateInput, required=False, label="Ends on")


class BillRateForm(forms.Form):
    classification = forms.ModelChoiceField(queryset=None)
    effective_from = forms.DateField(widget=DateInput, label="From")
    # No min_value: "more than zero" is the service's rule and its message.
    regular_rate = forms.DecimalField(max_digits=12, decimal_places=4, label="Rate per hour")
    overtime_multiplier = forms.DecimalField(max_digits=4, decimal_places=2, initial="1.50", label="OT multiplier")
    double_time_multiplier = forms.DecimalField(max_digits=4, decimal_places=2, initial="2.00", required=False,
                                                label="Double-time multiplier", help_text="Empty: 2.00")
    holiday_multiplier = forms.DecimalField(max_digits=4, decimal_places=2, initial="1.50", label="Holiday multiplier")

    def clean_double_time_multiplier(self):
        return self.cleaned_data["double_time_multiplier"] or Decimal("2.00")

    def __init__(self, *args, cooperative, **kwargs):
        kwargs.setdefault("prefix", "rate")
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = classifications_qs(cooperative, active_only=True)


class JobOrderForm(forms.Form):
    contract = forms.ModelChoiceField(queryset=ClientContract.objects.none())
    site = forms.ModelChoiceField(queryset=ClientSite.objects.none(), required=False, empty_label="(no particular site)")
    classification = forms.ModelChoiceField(queryset=None)
    starts_on = forms.DateField(widget=DateInput, label="First day")
    ends_on = forms.DateField(widget=DateInput, label="Last day")
    shift_start = forms.TimeField(widget=TimeInput, label="Shift starts")
    shift_end = forms.TimeField(widget=TimeInput, label="Shift ends", help_text="Earlier than the start: the shift ends the next day.")
    weekdays = forms.MultipleChoiceField(choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple, initial=[d for d, _ in WEEKDAYS])
    headcount = forms.IntegerField(initial=1, label="Workers per shift")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, client, **kwargs):
        kwargs.setdefault("prefix", "order")
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = ClientContract.objects.filter(client=client)
        self.fields["site"].queryset = ClientSite.objects.filter(client=client)
        self.fields["classification"].queryset = classifications_qs(client.cooperative_id, active_only=True)


class AssignForm(forms.Form):
    worker_uuid = forms.UUIDField()


class CancelForm(forms.Form):
    # Not required here: "say why" is the service's rule and message.
    reason = forms.CharField(max_length=300, required=False, widget=forms.TextInput(attrs={"required": True}))
    no_show = forms.BooleanField(required=False, label="The worker did not show up")


class DisputeForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False)


class TimesheetQueueFilterForm(forms.Form):
    """The timesheet queue's filters (GET). The options are the clients and classifications
    with timesheets waiting, each with its count; a value that is not one of them (nothing of
    it waits any more, or another co-op's client) is dropped rather than refused."""

    client = forms.ChoiceField(required=False)
    classification = forms.ChoiceField(required=False)

    def __init__(self, data=None, *, counts):
        super().__init__(data)
        self.fields["client"].choices = [("", f"All clients ({counts.total})")] + [
            (o.value, f"{o.label} ({o.waiting})") for o in counts.clients
        ]
        self.fields["classification"].choices = [("", "All classifications")] + [
            (o.value, f"{o.label} ({o.waiting})") for o in counts.classifications
        ]

    def filters(self) -> dict[str, str | None]:
        """{"client": uuid text or None, "classification": code or None}: the valid values."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or None for name in ("client", "classification")}


class ClientSiteForm(forms.Form):
    name = forms.CharField(max_length=200, label="Site or unit", help_text='e.g. "Oakland campus, 3 West"')
    address = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "site")
        super().__init__(*args, **kwargs)


class ClientContactForm(forms.Form):
    name = forms.CharField(max_length=120, required=False)
    email = forms.EmailField(help_text="They get an invitation to sign in to the client portal.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "contact")
        super().__init__(*args, **kwargs)
