"""Pay periods and runs: the run and its totals, statements, lines, adjustments, approval,
negative pay and the processor's results."""

from decimal import Decimal

from rest_framework import serializers

from payroll.models import (
    REASON_MAX_LENGTH, PayDeduction, PayLine, PayPeriod, PayRun, PayStatement,
)
from payroll.selectors import employee_id
from payroll.services.runs_adjust import adjustment_errors
from payroll.serializers.base import Hours, Money, Rate

# payroll.selectors.RunException.kind
RUN_EXCEPTION_KINDS = [
    ("unapproved_timesheet", "A timesheet of the period is not approved yet"),
    ("no_bill_rate", "Hours with no bill rate: nothing billed"),
    ("negative_margin", "Paid more than billed"),
    ("corrected_timesheet", "A corrected timesheet is settled in this run"),
    ("negative_gross", "Corrections take more than this run pays the worker"),
]


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
