"""Forms of the invoice pages. They only parse: the rules (dates in order, at most 93 days,
something to bill, a reason to void) live in placements/services/invoices.py."""

from django import forms

from alliedup.forms_util import DateInput
from placements.models import Client, Invoice


class InvoiceCreateForm(forms.Form):
    client = forms.ModelChoiceField(queryset=Client.objects.none(), to_field_name="uuid")
    period_start = forms.DateField(widget=DateInput, label="First day")
    period_end = forms.DateField(widget=DateInput, label="Last day")

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(cooperative=cooperative).order_by("name")


class InvoiceFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *Invoice.Status.choices], required=False)
    client = forms.ModelChoiceField(queryset=Client.objects.none(), to_field_name="uuid", required=False, empty_label="Any client")

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(cooperative=cooperative).order_by("name")


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(widget=DateInput, label="Paid on")
    reference = forms.CharField(max_length=80, required=False, label="Reference", help_text="Check number or transfer reference")


class VoidForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Why is it void?")
