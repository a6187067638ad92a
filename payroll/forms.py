"""Forms of the payroll pages. They only parse input: the rules (dates inside the agreement,
no overlapping tables, rates above zero, a reason for an adjustment) live in
payroll/services/ and come back as ValidationError, shown with
alliedup.forms_util.add_service_errors. The adjustment form also asks the service's own
`adjustment_errors` first, so the co-op's bounds show next to each field."""

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliedup.forms_util import DateInput, TimeInput
from alliedup.money import ZERO, money_text
from members.selectors import classifications_qs, workers_qs
from payroll.models import REASON_MAX_LENGTH, CollectiveAgreement, PayRun, ShiftDifferential, WageTable
from payroll.services.runs_adjust import adjustment_errors

MAX_REPORT_YEARS = 10
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _read_upload(upload, text: str) -> str:
    """The CSV text of an uploaded file (UTF-8, with or without BOM) or of the pasted text."""
    if upload is not None:
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text; save it as CSV (UTF-8).") from None
    if text.strip():
        return text
    raise forms.ValidationError("Choose a CSV file (or paste its text).")


# Agreements and wage tables ---------------------------------------------------------------


class AgreementForm(forms.Form):
    name = forms.CharField(max_length=200)
    union = forms.CharField(max_length=200)
    starts_on = forms.DateField(widget=DateInput, label="Term starts")
    ends_on = forms.DateField(widget=DateInput, label="Term ends")
    status = forms.ChoiceField(choices=CollectiveAgreement.Status.choices, initial=CollectiveAgreement.Status.ACTIVE)
    benchmark_source = forms.CharField(max_length=300, required=False, label="Benchmark source")
    step_basis = forms.ChoiceField(choices=CollectiveAgreement.StepBasis.choices, label="Wage steps")
    hours_per_step = forms.DecimalField(max_digits=7, decimal_places=2, initial=Decimal("2080.00"), label="Hours per step",
                                        help_text="With steps by hours worked.")
    dues_kind = forms.ChoiceField(choices=CollectiveAgreement.DuesKind.choices, label="Union dues")
    dues_percent = forms.DecimalField(max_digits=5, decimal_places=2, initial=Decimal("1.50"), label="Dues percent")
    dues_cap = forms.DecimalField(max_digits=12, decimal_places=2, required=False, label="Dues cap per pay run")
    dues_flat = forms.DecimalField(max_digits=12, decimal_places=2, initial=ZERO, label="Flat dues per pay run")
    holiday_multiplier = forms.DecimalField(max_digits=4, decimal_places=2, initial=Decimal("1.50"), min_value=1, max_value=3,
                                            required=False, label="Holiday pay multiplier",
                                            help_text="Hours on a holiday of the calendar are paid this multiple of the "
                                                      "regular rate (empty: 1.50).")

    def clean_holiday_multiplier(self):
        value = self.cleaned_data["holiday_multiplier"]
        return Decimal("1.50") if value is None else value


STEP_PAIR = re.compile(r"^\s*(?:(\d+)\s*[=:]\s*)?\$?\s*([0-9]+(?:\.[0-9]+)?)\s*$")


def parse_steps(text: str) -> dict[int, Decimal]:
    """ "1=33.00, 2=33.99, 3=35.01" (or "33.00, 33.99, 35.01" for steps 1, 2, 3) → {step: rate}.
    Raises forms.ValidationError naming each part it cannot read."""
    parts = [p for p in re.split(r"[,;\n]+", text) if p.strip()]
    steps, bad = {}, []
    for index, part in enumerate(parts, start=1):
        match = STEP_PAIR.match(part)
        if not match:
            bad.append(part.strip())
            continue
        step = int(match.group(1)) if match.group(1) else index
        rate = Decimal(match.group(2))
        if step in steps:
            raise forms.ValidationError(f"Step {step} is given twice.")
        steps[step] = rate
    if bad:
        raise forms.ValidationError(f"Cannot read {', '.join(repr(b) for b in bad)}: write each step as step=rate, e.g. 1=33.00.")
    return steps


class WageTableForm(forms.Form):
    classification = forms.ModelChoiceField(queryset=classifications_qs().none())
    effective_from = forms.DateField(widget=DateInput, label="From")
    effective_to = forms.DateField(widget=DateInput, required=False, label="To", help_text="Empty: until replaced.")
    steps = forms.CharField(label="Hourly wage by step", widget=forms.TextInput(attrs={"placeholder": "1=33.00, 2=33.99, 3=35.01"}),
                            help_text="step=rate, separated by commas.")
    note = forms.CharField(max_length=300, required=False, label="Benchmark note")

    def __init__(self, *args, cooperative, **kwargs):
        kwargs.setdefault("prefix", "table")
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = classifications_qs(cooperative).order_by("name")

    def clean_steps(self):
        return parse_steps(self.cleaned_data["steps"])


class WageTableCloseForm(forms.Form):
    table = forms.ModelChoiceField(queryset=WageTable.objects.none(), widget=forms.HiddenInput)
    effective_to = forms.DateField(widget=DateInput, label="Last day in force")

    def __init__(self, *args, agreement, **kwargs):
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)
        self.fields["table"].queryset = WageTable.objects.filter(agreement=agreement)


class DifferentialForm(forms.Form):
    kind = forms.ChoiceField(choices=ShiftDifferential.Kind.choices)
    basis = forms.ChoiceField(choices=ShiftDifferential.Basis.choices)
    amount = forms.DecimalField(max_digits=12, decimal_places=4, help_text="Dollars per hour, or a percent of the base wage.")
    window_start = forms.TimeField(widget=TimeInput, required=False, label="Night starts")
    window_end = forms.TimeField(widget=TimeInput, required=False, label="Night ends")
    classification = forms.ModelChoiceField(queryset=classifications_qs().none(), required=False,
                                            empty_label="Every classification")

    def __init__(self, *args, cooperative, **kwargs):
        kwargs.setdefault("prefix", "diff")
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = classifications_qs(cooperative).order_by("name")


class WageImportForm(forms.Form):
    file = forms.FileField(required=False, label="CSV file")
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label="…or paste the CSV")
    note = forms.CharField(max_length=300, required=False, label="Benchmark note")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "import")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["csv_text"] = _read_upload(data.get("file"), data.get("text") or "")
        return data


# Periods and runs ---------------------------------------------------------------------------


class PeriodForm(forms.Form):
    starts_on = forms.DateField(widget=DateInput, required=False, label="First day",
                                help_text="Only for the first period; later ones follow the last.")
    pay_date = forms.DateField(widget=DateInput, required=False, label="Pay date", help_text="Empty: the usual day after the period.")


class AdjustmentForm(forms.Form):
    worker = forms.ModelChoiceField(queryset=workers_qs().none(), to_field_name="uuid")
    amount = forms.DecimalField(max_digits=12, decimal_places=2, help_text="Negative to take back an overpayment.")
    hours = forms.DecimalField(max_digits=7, decimal_places=2, required=False, initial=ZERO)
    reason = forms.CharField(max_length=REASON_MAX_LENGTH, required=False, widget=forms.TextInput(attrs={"required": True}),
                             help_text=f"Printed on the worker's statement; at most {REASON_MAX_LENGTH} characters.")
    corrects_run = forms.ModelChoiceField(queryset=PayRun.objects.none(), required=False, to_field_name="uuid",
                                          label="Corrects pay run", empty_label="(none)")

    def __init__(self, *args, run, **kwargs):
        kwargs.setdefault("prefix", "adj")
        super().__init__(*args, **kwargs)
        self.run = run
        coop = run.cooperative
        self.fields["amount"].help_text = (f"At most {money_text(coop.adjustment_max_amount)} either way; "
                                           "negative to take back an overpayment.")
        self.fields["hours"].help_text = f"At most {coop.adjustment_max_hours} either way."
        # The run's workers (even if separated since) and everyone employed now.
        self.fields["worker"].queryset = (
            workers_qs(run.cooperative_id)
            .filter(Q(is_active=True) | Q(pay_statements__run=run)).distinct().order_by("last_name", "first_name")
        )
        self.fields["corrects_run"].queryset = (
            PayRun.objects.filter(cooperative_id=run.cooperative_id, status__in=PayRun.FINAL).exclude(pk=run.pk)
            .select_related("period").order_by("-period__starts_on")
        )
        self.fields["corrects_run"].label_from_instance = lambda r: f"{r.reference} ({r.period})"
        self.fields["worker"].label_from_instance = lambda w: f"{w.last_name}, {w.first_name}"

    def clean(self):
        """The service's own bounds (the co-op's limits), shown next to each field."""
        data = super().clean()
        parsed = {field: data[field] for field in ("amount", "hours", "reason") if field in data and field not in self.errors}
        if parsed.get("hours", 0) is None:  # left empty: no hours
            parsed["hours"] = ZERO
        for field, message in adjustment_errors(cooperative=self.run.cooperative, **parsed).items():
            self.add_error(field, message)
        return data


class RunApproveForm(forms.Form):
    """Approving a run is final: a required confirmation (works without JavaScript), and
    the override reason the service asks for when someone's pay is negative."""

    confirm = forms.BooleanField(label="I confirm: approve this pay run. It is final and cannot be changed afterwards.",
                                 error_messages={"required": "Tick the confirmation to approve the pay run."})
    negative_override_reason = forms.CharField(
        max_length=REASON_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason to approve negative pay anyway",
        help_text="Only when a worker's gross or net is negative; recorded with your name and audited.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "approve")
        super().__init__(*args, **kwargs)


class ResultsImportForm(forms.Form):
    file = forms.FileField(required=False, label="Processor results (CSV)")
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="…or paste the CSV")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "results")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["csv_text"] = _read_upload(data.get("file"), data.get("text") or "")
        return data


# Reports and sick leave --------------------------------------------------------------------


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # Feb 29 → Mar 1
        return date(day.year + years, 3, 1)


class ReportPeriodForm(forms.Form):
    first_day = forms.DateField(widget=DateInput, label="From")
    last_day = forms.DateField(widget=DateInput, label="To")

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                raise forms.ValidationError("The report ends before it starts: pick a “To” date on or after the “From” date.")
            if last >= _years_later(first, MAX_REPORT_YEARS):
                raise forms.ValidationError(f"Pick a span of at most {MAX_REPORT_YEARS} years.")
        return data


class SickLeaveUseForm(forms.Form):
    workday = forms.DateField(widget=DateInput, label="Day taken")
    hours = forms.DecimalField(max_digits=7, decimal_places=2)
    note = forms.CharField(max_length=200, required=False)


class HolidayForm(forms.Form):
    day = forms.DateField(widget=DateInput, label="Day")
    name = forms.CharField(max_length=100, label="Name")


class HolidayRemoveForm(forms.Form):
    day = forms.DateField(widget=forms.HiddenInput)


class StandardHolidaysForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, label="Year")


class SickLeaveRequestForm(forms.Form):
    workday = forms.DateField(widget=DateInput, label=_("Day off sick"))
    hours = forms.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=24, label=_("Hours"),
                               widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}))
    note = forms.CharField(max_length=200, required=False, label=_("Note for staff (optional)"))


class SickLeaveDeclineForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Why (the worker sees this)")
