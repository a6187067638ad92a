"""Serializers of the payroll API: output shapes of the models and typed input for the
services. Input serializers only parse; the rules (tables that never overlap, a final run
that never changes, sick leave within the balance) live in payroll/services and come back
as 400s with field errors (the adjustment's bounds are asked of the service up front).

Money is a string with 2 decimals ("363.00"); wage and premium rates have 4 ("33.0000"),
as the rate columns keep them.
"""

from datetime import date
from decimal import Decimal

from rest_framework import serializers

from alliedup.api import fields as api_fields
from payroll.models import (
    REASON_MAX_LENGTH, CollectiveAgreement, PayDeduction, PayLine, PayPeriod, PayRun, PayStatement, ShiftDifferential, SickLeaveEntry,
    WageStep, WageTable,
)
from payroll.selectors import employee_id
from payroll.services.runs_adjust import adjustment_errors

HH_MM = ["%H:%M"]
# payroll.selectors.RunException.kind
RUN_EXCEPTION_KINDS = [
    ("unapproved_timesheet", "A timesheet of the period is not approved yet"),
    ("no_bill_rate", "Hours with no bill rate: nothing billed"),
    ("negative_margin", "Paid more than billed"),
    ("corrected_timesheet", "A corrected timesheet is settled in this run"),
    ("negative_gross", "Corrections take more than this run pays the worker"),
]
MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # a co-op's wage tables or a run's results are far smaller


def Money(**kwargs):  # noqa: N802 - a field factory, read like a field class
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


def Rate(**kwargs):  # noqa: N802
    return serializers.DecimalField(max_digits=12, decimal_places=4, **kwargs)


def Hours(**kwargs):  # noqa: N802
    return serializers.DecimalField(max_digits=9, decimal_places=2, **kwargs)


# --- collective agreements, wage tables, differentials -------------------------------------


class CollectiveAgreementSerializer(serializers.ModelSerializer):
    """An agreement in lists, and the input of agreement_create (terms not given keep the
    model's defaults: statutory California overtime, 1.5 % dues)."""

    class Meta:
        model = CollectiveAgreement
        fields = ["uuid", "name", "union", "starts_on", "ends_on", "status", "benchmark_source", "step_basis", "hours_per_step",
                  "dues_kind", "dues_percent", "dues_cap", "dues_flat", "daily_overtime_after", "daily_double_time_after",
                  "weekly_overtime_after", "seventh_day_rule", "holiday_multiplier"]
        read_only_fields = ["uuid"]


class WageStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = WageStep
        fields = ["step", "hourly_rate"]


class WageTableSerializer(serializers.ModelSerializer):
    classification = serializers.CharField(source="classification.code", help_text="Classification code, e.g. 'ma'")
    classification_name = serializers.CharField(source="classification.name")
    steps = WageStepSerializer(many=True, read_only=True)

    class Meta:
        model = WageTable
        fields = ["classification", "classification_name", "effective_from", "effective_to", "benchmark_note", "steps"]


class DifferentialSerializer(serializers.ModelSerializer):
    classification = serializers.CharField(source="classification.code", allow_null=True, default=None,
                                           help_text="Classification code, or null for every classification.")
    window_start = serializers.TimeField(format="%H:%M", allow_null=True)
    window_end = serializers.TimeField(format="%H:%M", allow_null=True)

    class Meta:
        model = ShiftDifferential
        fields = ["kind", "basis", "amount", "window_start", "window_end", "classification"]


class CollectiveAgreementDetailSerializer(CollectiveAgreementSerializer):
    wage_tables = WageTableSerializer(many=True, read_only=True)
    differentials = DifferentialSerializer(many=True, read_only=True)

    class Meta(CollectiveAgreementSerializer.Meta):
        fields = CollectiveAgreementSerializer.Meta.fields + ["wage_tables", "differentials"]


class WageTableSetSerializer(serializers.Serializer):
    classification = serializers.SlugField(help_text="Classification code, e.g. 'ma'")
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(required=False, allow_null=True, default=None,
                                         help_text="Last day in force; null: until replaced.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                 help_text="Where the scale comes from (benchmark note).")
    steps = serializers.DictField(child=Rate(), help_text='Hourly wage by step, e.g. {"1": "33.00", "2": "34.00"}')

    def validate_steps(self, steps):
        parsed = {}
        for key, rate in steps.items():
            if not str(key).isdigit():
                raise serializers.ValidationError(f"Step {key!r} is not a whole number.")
            parsed[int(key)] = rate
        return parsed


class WageTableCloseSerializer(serializers.Serializer):
    """Names the table by its classification and first day (unique), and gives its last day."""

    classification = serializers.SlugField(help_text="Classification code, e.g. 'ma'")
    effective_from = serializers.DateField(help_text="First day of the table to close.")
    effective_to = serializers.DateField(help_text="Its new last day in force.")


class DifferentialAddSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ShiftDifferential.Kind.choices)
    basis = serializers.ChoiceField(choices=ShiftDifferential.Basis.choices, default=ShiftDifferential.Basis.PER_HOUR)
    amount = Rate(help_text="Dollars per hour, or percent of the base wage.")
    window_start = serializers.TimeField(input_formats=HH_MM, required=False, allow_null=True, default=None,
                                         help_text="Night differential: HH:MM in the co-op's zone.")
    window_end = serializers.TimeField(input_formats=HH_MM, required=False, allow_null=True, default=None,
                                       help_text="Night differential: HH:MM; earlier than the start wraps midnight.")
    classification = serializers.SlugField(required=False, allow_null=True, default=None,
                                           help_text="Classification code; null for every classification.")


class CsvUploadSerializer(serializers.Serializer):
    """A CSV as a multipart `file`, or its text in `csv` (JSON or form)."""

    file = serializers.FileField(required=False, help_text="CSV, UTF-8.")
    csv = serializers.CharField(required=False, trim_whitespace=False, help_text="The CSV's text, instead of a file.")

    def validate(self, attrs):
        if ("file" in attrs) == ("csv" in attrs):
            raise serializers.ValidationError({"file": ["Send the CSV as a file or as the text field `csv` (one of them)."]})
        if "csv" in attrs:
            text = attrs["csv"]
            if len(text.encode()) > MAX_UPLOAD_BYTES:
                raise serializers.ValidationError({"csv": [f"The text is larger than {MAX_UPLOAD_BYTES // 1024} KB."]})
            return {"text": text.removeprefix("\ufeff")}
        data = attrs["file"].read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError({"file": [f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KB."]})
        try:
            return {"text": data.decode("utf-8-sig")}
        except UnicodeDecodeError as exc:
            raise serializers.ValidationError({"file": [
                f"The file is not UTF-8 text (byte {exc.start + 1}). Save it as \"CSV UTF-8\" and upload it again."
            ]}) from None


class WageTableImportSerializer(CsvUploadSerializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        return {**super().validate(attrs), "note": attrs.get("note", "")}


class WageTableImportResultSerializer(serializers.Serializer):
    tables = WageTableSerializer(many=True, help_text="The tables created, with their steps.")


# --- periods and runs ---------------------------------------------------------------------


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayPeriod
        fields = ["uuid", "starts_on", "ends_on", "pay_date"]


class PeriodCreateSerializer(serializers.Serializer):
    starts_on = serializers.DateField(required=False, allow_null=True, default=None,
                                      help_text="Only for the first period; later ones follow the last without a gap.")
    pay_date = serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text="Default: six days after the period ends.")


class RunTotalsSerializer(serializers.Serializer):
    workers = serializers.IntegerField(source="total_workers", help_text="Statements in the run.")
    hours_worked = Hours(source="total_hours")
    gross = Money(source="total_gross")
    deductions = Money(source="total_deductions", help_text="Co-op deductions (union dues, equity installments).")


class RunSerializer(serializers.ModelSerializer):
    """A run with its period and totals (the view annotates the total_* values)."""

    period = PeriodSerializer()
    totals = RunTotalsSerializer(source="*")
    calculating = serializers.SerializerMethodField(help_text="True while the worker calculates the run (a big run).")

    class Meta:
        model = PayRun
        fields = ["uuid", "reference", "status", "period", "totals", "created_at", "calculated_at", "approved_at",
                  "exported_at", "taxes_imported_at", "calculating", "calculation_error", "negative_override_reason",
                  "negative_override_at"]
        extra_kwargs = {
            "calculation_error": {"help_text": "Why the last background calculation was refused (empty: it was not)."},
            "negative_override_reason": {"help_text": "Why the run was approved with negative pay (empty: it was not)."},
        }

    def get_calculating(self, run) -> bool:
        return run.calculation_queued_at is not None


class StatementSerializer(serializers.ModelSerializer):
    run = serializers.UUIDField(source="run.uuid")
    run_reference = serializers.CharField(source="run.reference")
    period_start = serializers.DateField(source="run.period.starts_on")
    period_end = serializers.DateField(source="run.period.ends_on")
    pay_date = serializers.DateField(source="run.period.pay_date")
    worker = serializers.UUIDField(source="worker.uuid")
    worker_name = serializers.CharField(source="worker.full_name")
    employee_id = serializers.SerializerMethodField(help_text="The employee number in the processor's files.")
    hours_worked = Hours()
    gross = Money()
    deductions = Money(help_text="Co-op deductions (union dues, equity installments).")
    taxes = Money(allow_null=True, help_text="From the processor's results; null until imported.")
    net = Money(allow_null=True, help_text="From the processor's results; null until imported.")
    sick_hours_available = Hours()

    class Meta:
        model = PayStatement
        fields = ["uuid", "run", "run_reference", "period_start", "period_end", "pay_date", "worker", "worker_name",
                  "employee_id", "hours_worked", "gross", "deductions", "taxes", "net", "sick_hours_available"]

    def get_employee_id(self, statement) -> str:
        return employee_id(statement.worker_id)


class RunExceptionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RUN_EXCEPTION_KINDS)
    message = serializers.CharField()


class RunDetailSerializer(RunSerializer):
    """The run with its statements and what staff should look at before approving (the view
    sets `statement_rows` and `exceptions`)."""

    statements = StatementSerializer(source="statement_rows", many=True)
    exceptions = RunExceptionSerializer(many=True)

    class Meta(RunSerializer.Meta):
        fields = RunSerializer.Meta.fields + ["statements", "exceptions"]


class PayLineSerializer(serializers.ModelSerializer):
    earning_code = serializers.CharField(help_text="The processor's earning code (REG, DIFF, OT15, OT20, HOL, SICK, ADJ).")
    classification = serializers.CharField(source="classification.code", allow_null=True, default=None)
    hours = Hours()
    rate = Rate()
    amount = Money()
    corrects_run = serializers.UUIDField(source="corrects_run.uuid", allow_null=True, default=None,
                                         help_text="The approved run this line corrects, if any.")
    corrects_run_reference = serializers.CharField(source="corrects_run.reference", allow_null=True, default=None)

    class Meta:
        model = PayLine
        fields = ["kind", "earning_code", "workday", "classification", "hours", "rate", "amount", "description",
                  "corrects_run", "corrects_run_reference", "is_manual"]


class AdjustmentSerializer(PayLineSerializer):
    worker = serializers.UUIDField(source="worker.uuid")
    worker_name = serializers.CharField(source="worker.full_name")

    class Meta(PayLineSerializer.Meta):
        fields = ["worker", "worker_name"] + PayLineSerializer.Meta.fields


class AdjustmentAddSerializer(serializers.Serializer):
    """Checks the co-op's bounds with the service's own `adjustment_errors` (context
    "cooperative"), so a 400 names each field; the service checks them again."""

    worker = serializers.UUIDField(help_text="The worker's uuid.")
    amount = Money(help_text="Dollars and cents, not zero; negative to claw back an overpayment. At most the co-op's "
                             "adjustment_max_amount either way (default 5000.00).")
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, allow_blank=True,
                                   help_text="Required; printed on the worker's statement.")
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0.00"),
                                     help_text="At most the co-op's adjustment_max_hours either way (default 80.00).")
    corrects_run = serializers.UUIDField(required=False, allow_null=True, default=None,
                                         help_text="The approved run this corrects (its uuid), if any.")
    workday = serializers.DateField(required=False, allow_null=True, default=None,
                                    help_text="Default: the last day of the run's period.")

    # Field by field, so one 400 names every bad figure at once.
    def _check(self, field, value):
        if error := adjustment_errors(cooperative=self.context["cooperative"], **{field: value}).get(field):
            raise serializers.ValidationError(error)
        return value

    def validate_amount(self, value):
        return self._check("amount", value)

    def validate_hours(self, value):
        return self._check("hours", value)

    def validate_reason(self, value):
        return self._check("reason", value)


class RunApproveSerializer(serializers.Serializer):
    negative_override_reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default="",
        help_text="Needed only when a worker's gross or net in the run is negative: why the run is approved anyway "
                  "(recorded with the approver and audited). Without it such a run is refused with a 400 that lists "
                  "the workers in `negative_pay`.",
    )


class NegativePaySerializer(serializers.Serializer):
    worker = serializers.UUIDField(source="worker.uuid")
    worker_name = serializers.CharField(source="worker.full_name")
    gross = Money()
    net = Money(source="net_before_taxes", help_text="Gross less co-op deductions (before the processor's taxes).")


class NegativePayRefusedSerializer(serializers.Serializer):
    """A 400 of the approval: negative pay without an override reason (both fields), or any
    other refusal in the usual {"field": [messages]} / {"non_field_errors": [...]} shape."""

    negative_override_reason = serializers.ListField(child=serializers.CharField(), required=False)
    negative_pay = NegativePaySerializer(many=True, required=False, help_text="The workers paid less than nothing.")


class PayDeductionSerializer(serializers.ModelSerializer):
    amount = Money()

    class Meta:
        model = PayDeduction
        fields = ["kind", "code", "amount", "description"]


class RateSummarySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PayLine.Kind.choices)
    label = serializers.CharField()
    rate = Rate()
    hours = Hours()
    amount = Money()


class StatementDetailSerializer(StatementSerializer):
    """A statement with its lines, a summary by rate (a CA wage statement lists hours at
    each rate) and the co-op's deductions (the view sets `line_rows`, `rates`, `deduction_rows`)."""

    lines = PayLineSerializer(source="line_rows", many=True)
    rates = RateSummarySerializer(many=True)
    deduction_items = PayDeductionSerializer(source="deduction_rows", many=True)

    class Meta(StatementSerializer.Meta):
        fields = StatementSerializer.Meta.fields + ["lines", "rates", "deduction_items"]


class ResultsImportSerializer(serializers.Serializer):
    statements = serializers.IntegerField(help_text="Statements completed with taxes and net pay.")
    run = RunSerializer()


# --- wage floor -----------------------------------------------------------------------------


class WageFloorQuerySerializer(serializers.Serializer):
    MAX_YEARS = 10

    start = api_fields.DateField(required=False, help_text="First workday (default: this quarter's first day).")
    end = api_fields.DateField(required=False, help_text="Last workday (default: this quarter's last day).")

    def validate(self, attrs):
        # The view passes this quarter's (first, last) day as the default span.
        default_start, default_end = self.context["default_span"]
        start, end = attrs.setdefault("start", default_start), attrs.setdefault("end", default_end)
        if end < start:
            raise serializers.ValidationError({"end": ["The end is before the start."]})
        try:
            limit = start.replace(year=start.year + self.MAX_YEARS)
        except ValueError:  # 29 February
            limit = date(start.year + self.MAX_YEARS, 3, 1)
        if end >= limit:
            raise serializers.ValidationError({"end": [f"Ask for at most {self.MAX_YEARS} years at a time."]})
        return attrs


class FloorRowSerializer(serializers.Serializer):
    client = serializers.UUIDField(source="client_uuid")
    client_name = serializers.CharField()
    hours = Hours()
    billed = Money()
    paid = Money(help_text="Everything paid for the client's timesheets: straight time, differentials, premiums.")
    margin = Money(help_text="Billed less paid.")
    absorbed = Money(help_text="What the co-op paid from margin because the bill rate is below the CBA wage.")


class QuarterSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    absorbed = Money()


class WageFloorSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    rows = FloorRowSerializer(many=True)
    absorbed_this_quarter = QuarterSerializer(help_text="Absorbed over this calendar quarter (the co-op's today).")


# --- sick leave -----------------------------------------------------------------------------


class SickLeaveEntrySerializer(serializers.ModelSerializer):
    hours = serializers.DecimalField(max_digits=9, decimal_places=4, help_text="Accrued positive, used negative.")
    run = serializers.UUIDField(source="run.uuid", allow_null=True, default=None)
    run_reference = serializers.CharField(source="run.reference", allow_null=True, default=None)

    class Meta:
        model = SickLeaveEntry
        fields = ["kind", "workday", "hours", "note", "run", "run_reference", "recorded_at"]


class SickLeaveSerializer(serializers.Serializer):
    worker = serializers.UUIDField(source="worker.uuid")
    worker_name = serializers.CharField(source="worker.full_name")
    balance = serializers.DecimalField(max_digits=9, decimal_places=4, help_text="Hours available (the ledger's sum).")
    used_this_year = serializers.DecimalField(max_digits=9, decimal_places=4)
    accrual_cap = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="Hours the balance may reach: the greater "
                                           "of the co-op's hours and its days × the worker's day (Labor Code §246).")
    use_cap = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="Hours usable a calendar year, the same way.")
    workday_hours = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="The worker's day: average hours per "
                                             "workday worked in the last 90 days (8 when none).")
    usable_from = serializers.DateField(help_text="First day sick leave may be used: the co-op's day of employment (90 by "
                                        "default), the hire date being day 1 (Labor Code §246(c)).")
    entries = SickLeaveEntrySerializer(many=True)


class SickLeaveUseSerializer(serializers.Serializer):
    workday = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# --- the worker's own wage ------------------------------------------------------------------


class MyWageSerializer(serializers.Serializer):
    classification = serializers.CharField(source="classification.code")
    classification_name = serializers.CharField(source="classification.name")
    step = serializers.IntegerField()
    wage = Rate(allow_null=True, help_text="The CBA hourly wage today; null when no table is in force.")


# --- the holiday calendar -------------------------------------------------------------------


class HolidaySerializer(serializers.Serializer):
    """A day of the co-op's holiday calendar (worktime.Holiday)."""

    day = serializers.DateField()
    name = serializers.CharField(max_length=100)


class HolidayYearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class HolidayDaySerializer(serializers.Serializer):
    day = serializers.DateField()


class StandardHolidaysSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
