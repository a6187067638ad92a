"""Forms of the worker and client portals (placements/views/portal.py).

Forms only parse input; the rules (times in order, breaks shorter than the shift, active
contracts, dates in order) are the services' and come back as their ValidationErrors.
"""

from datetime import datetime, timezone as dt_timezone
from zoneinfo import ZoneInfo

from django import forms
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.selectors import classifications_qs
from placements.models import BillRate, ClientContract, ClientSite

LOCAL_INPUT = "%Y-%m-%dT%H:%M"
LOCAL_FORMATS = (LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


class SiteDateTimeField(forms.DateTimeField):
    """A wall-clock time at the client's site (an `<input type="datetime-local">`), made
    aware in the site's zone, not the server's (which is UTC)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)

    def __init__(self, *, zone: ZoneInfo, **kwargs):
        self.zone = zone
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(self.zone).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            naive = value.replace(tzinfo=None)
        else:
            naive = None
            for fmt in LOCAL_FORMATS:
                try:
                    naive = datetime.strptime(str(value).strip(), fmt)
                    break
                except ValueError:
                    continue
            if naive is None:
                raise forms.ValidationError(_("Enter a date and time."), code="invalid")
        local = naive.replace(tzinfo=self.zone)
        # A wall time inside the spring-forward gap does not exist at the site: a round trip
        # through UTC changes it. Refuse it rather than guess an hour.
        if local.astimezone(dt_timezone.utc).astimezone(self.zone).replace(tzinfo=None) != naive:
            raise forms.ValidationError(
                _("%(time)s on %(day)s does not exist in %(zone)s (the clocks jump forward).") % {
                    "time": f"{naive:%H:%M}", "day": dateformat.format(naive, _("M j")), "zone": self.zone.key},
                code="nonexistent",
            )
        return local


class TimesheetForm(forms.Form):
    """Clock-in, clock-out and unpaid breaks, typed as wall-clock times at the client's site."""

    break_minutes = forms.IntegerField(label=gettext_lazy("Unpaid break (minutes)"), min_value=0, max_value=1440, initial=0)

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        place = zone.key.split("/")[-1].replace("_", " ")
        breaks = self.fields.pop("break_minutes")
        breaks.widget.attrs.update(inputmode="numeric")
        self.fields["clock_in"] = SiteDateTimeField(zone=zone, label=_("Clock-in (%(place)s time)") % {"place": place})
        self.fields["clock_out"] = SiteDateTimeField(zone=zone, label=_("Clock-out (%(place)s time)") % {"place": place})
        self.fields["break_minutes"] = breaks


class DisputeForm(forms.Form):
    reason = forms.CharField(label="What is wrong?", max_length=300)


WEEKDAYS = [("0", "Mon"), ("1", "Tue"), ("2", "Wed"), ("3", "Thu"), ("4", "Fri"), ("5", "Sat"), ("6", "Sun")]


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contract):
        return f"{contract.client.name} · {contract.reference}"


class ClassificationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, rate):
        return rate.classification.name


class ClientJobOrderForm(forms.Form):
    """A client contact's job order, on one of their clients' active contracts."""

    contract = ContractChoiceField(queryset=ClientContract.objects.none(), label="Contract")
    classification = forms.ModelChoiceField(queryset=None, label="Job classification")
    site = forms.ModelChoiceField(queryset=ClientSite.objects.none(), required=False, label="Site or unit", empty_label="(none)")
    starts_on = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))
    shift_start = forms.TimeField(label="Shift starts", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    shift_end = forms.TimeField(label="Shift ends", help_text="Earlier than the start: the shift ends the next day.",
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    weekdays = forms.MultipleChoiceField(label="Days of the week", choices=WEEKDAYS, initial=[c for c, _ in WEEKDAYS],
                                         widget=forms.CheckboxSelectMultiple)
    headcount = forms.IntegerField(label="Workers per shift", min_value=1, max_value=50, initial=1,
                                   widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    notes = forms.CharField(label="Notes for the co-op", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, client_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        contracts = ClientContract.objects.filter(client_id__in=client_ids, status=ClientContract.Status.ACTIVE).select_related("client")
        self.fields["contract"].queryset = contracts.order_by("client__name", "reference")
        self.fields["site"].queryset = ClientSite.objects.filter(client_id__in=client_ids).select_related("client").order_by("client__name", "name")
        # A client orders what its contracts price: the classifications with a bill rate.
        priced = BillRate.objects.filter(contract__in=contracts).values("classification_id")
        self.fields["classification"].queryset = classifications_qs(ids=priced)

    def clean(self):
        data = super().clean()
        contract, classification = data.get("contract"), data.get("classification")
        if contract and classification and not BillRate.objects.filter(contract=contract, classification=classification).exists():
            self.add_error("classification", f"Contract {contract.reference} has no rate for {classification}; ask the co-op to add one.")
        return data


class TimesheetCorrectionForm(TimesheetForm):
    """Staff's corrected times of an approved timesheet, and why."""

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, zone=zone, **kwargs)
        self.fields["reason"] = forms.CharField(label="Why are the approved hours corrected?", max_length=300)
