"""Serializers of the patronage API: output shapes and typed input for the services. Input
serializers only parse; the rules (a year that has ended, cash of at least 20%, a reserve
from 0 to 100%, a redemption within the balance) live in patronage/services/ and
come back as 400s with field errors.

Money is a string with 2 decimals ("32000.00"); so are units of patronage (hours or dollars).
"""

from rest_framework import serializers

from alliedup.api.fields import DateField
from members.serializers import (
    CandidacySerializer,
    EquitySerializer,
    ProgressSerializer,
    RetentionStatusSerializer,
    SignatureSerializer,
    StatusChangeSerializer,
    WorkerSerializer,
    equity_data,
)
from patronage.models import (
    CapitalAccountEntry,
    FiscalYear,
    PatronageAllocation,
    PatronageAllocationLine,
    RedemptionInstallment,
    RedemptionSchedule,
)
from payroll.selectors import employee_id


def Money(**kwargs):  # noqa: N802 - a field factory, read like a field class
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


class AllocationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatronageAllocation
        fields = ["uuid", "status", "net_earnings", "pool"]


class FiscalYearSerializer(serializers.ModelSerializer):
    """A fiscal year in lists, and the input of fiscal_year_create."""

    allocation = AllocationRefSerializer(read_only=True, allow_null=True, help_text="The year's allocation, if drafted.")

    class Meta:
        model = FiscalYear
        fields = ["uuid", "starts_on", "ends_on", "status", "allocation"]
        read_only_fields = ["uuid", "status"]
        # Overlaps are checked by fiscal_year_create, not twice here.
        validators = []


class FiscalYearRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = FiscalYear
        fields = ["uuid", "starts_on", "ends_on"]


class AllocationSerializer(serializers.ModelSerializer):
    fiscal_year = FiscalYearRefSerializer()

    class Meta:
        model = PatronageAllocation
        fields = ["uuid", "fiscal_year", "status", "net_earnings", "earnings_source", "reserve_percent", "reserve_decided_by",
                  "basis", "cash_percent", "whole_year", "reserve", "pool", "total_units", "created_at", "approved_at",
                  "issue_requested_at", "issued_at", "cash_paid_on"]


class AllocationTotalsSerializer(serializers.Serializer):
    members = serializers.IntegerField(help_text="Lines: worker-owners with patronage in the year.")
    allocated = Money()
    cash = Money()
    retained = Money()
    posted = serializers.IntegerField(help_text="Lines posted to capital accounts so far.")


class AllocationDetailSerializer(AllocationSerializer):
    """The allocation with its totals and cash deadline (the view sets `totals`,
    `cash_deadline` and `cash_deadline_warning`)."""

    totals = AllocationTotalsSerializer()
    cash_deadline = serializers.DateField(help_text="The 15th day of the 9th month after the fiscal year ends.")
    cash_deadline_warning = serializers.CharField(allow_null=True, help_text="Set as the deadline nears or once it has passed.")

    class Meta(AllocationSerializer.Meta):
        fields = AllocationSerializer.Meta.fields + ["totals", "cash_deadline", "cash_deadline_warning"]


class AllocationDraftSerializer(serializers.Serializer):
    fiscal_year = serializers.UUIDField(help_text="The fiscal year's uuid; it must have ended.")
    net_earnings = Money(help_text="Net earnings from member business; a loss is negative.")
    earnings_source = serializers.CharField(max_length=300)
    reserve_percent = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="Collective reserve, 0 to 100.")
    reserve_decided_by = serializers.CharField(max_length=300, help_text="The board resolution.")
    cash_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None,
                                            help_text="Default: the co-op's setting; at least 20.")
    basis = serializers.ChoiceField(choices=PatronageAllocation.Basis.choices, required=False, allow_null=True, default=None,
                                    help_text="Default: the co-op's bylaws setting.")


class AllocationLineSerializer(serializers.ModelSerializer):
    worker = serializers.UUIDField(source="worker.uuid")
    employee_id = serializers.SerializerMethodField()
    last_name = serializers.CharField(source="worker.last_name")
    first_name = serializers.CharField(source="worker.first_name")
    units = Money(help_text="Hours worked or gross wages, per the allocation's basis.")
    allocated = Money()
    cash = Money()
    retained = Money()

    class Meta:
        model = PatronageAllocationLine
        fields = ["uuid", "worker", "employee_id", "last_name", "first_name", "units", "allocated", "cash", "retained"]

    def get_employee_id(self, line) -> str:
        return employee_id(line.worker)


class IssueProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PatronageAllocation.Status.choices)
    issuing = serializers.BooleanField(help_text="The issue is queued or running.")
    posted = serializers.IntegerField(help_text="Lines posted to capital accounts.")
    to_post = serializers.IntegerField(help_text="Lines with a retained part (the ones the issue posts).")


class AllocationCashPaidSerializer(serializers.Serializer):
    paid_on = serializers.DateField()


class PatrRowSerializer(serializers.Serializer):
    """One Form 1099-PATR recipient (allocated $10.00 or more)."""

    tax_year = serializers.IntegerField(
        allow_null=True, help_text="The calendar year the notices were issued in; null when the issue time was not recorded."
    )
    employee_id = serializers.CharField()
    worker = serializers.UUIDField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    email = serializers.EmailField()
    box1_patronage_dividends = Money(help_text="The amount allocated: cash plus the qualified notice.")
    cash_paid = Money()
    qualified_notice_retained = Money()


class CapitalEntrySerializer(serializers.ModelSerializer):
    fiscal_year_ends_on = serializers.DateField(source="allocation_line.allocation.fiscal_year.ends_on", allow_null=True, default=None)
    redemption_installment = serializers.UUIDField(
        source="redemption_installment.uuid", allow_null=True, default=None,
        help_text="The exit redemption installment this entry pays, if any.",
    )
    amount = Money()

    class Meta:
        model = CapitalAccountEntry
        fields = ["effective_on", "kind", "amount", "reference", "note", "fiscal_year_ends_on", "redemption_installment"]


class PatronageNoticeSerializer(serializers.Serializer):
    allocation = serializers.UUIDField(source="allocation.uuid")
    fiscal_year_ends_on = serializers.DateField(source="allocation.fiscal_year.ends_on")
    allocated = Money()
    cash = Money()
    retained = Money()
    pdf = serializers.CharField(help_text="Path of the notice PDF (the view sets it).")


class CapitalAccountSerializer(serializers.Serializer):
    equity_paid = Money()
    equity_redeemed = Money(help_text="Equity buy-in repaid on exit.")
    retained_balance = Money(help_text="Retained patronage less allocated losses and redemptions.")
    balance = Money()
    entries = CapitalEntrySerializer(many=True)
    latest_notice = PatronageNoticeSerializer(allow_null=True)


class CapitalRedeemSerializer(serializers.Serializer):
    amount = Money()
    effective_on = serializers.DateField()
    reference = serializers.CharField(max_length=80)
    reason = serializers.CharField(max_length=300, allow_blank=True, default="")


class RedemptionInstallmentSerializer(serializers.Serializer):
    """An installment of an exit's redemption (selectors.InstallmentRow)."""

    uuid = serializers.UUIDField(source="installment.uuid")
    number = serializers.IntegerField(source="installment.number")
    part = serializers.ChoiceField(source="installment.part", choices=RedemptionInstallment.Part.choices)
    due_on = serializers.DateField(source="installment.due_on")
    amount = Money(source="installment.amount")
    paid = Money(help_text="What the capital ledger's payments of it add up to.")
    due = Money(help_text="Still to pay.")
    is_paid = serializers.BooleanField()
    paid_on = serializers.DateField(source="installment.paid_on", allow_null=True)


class RedemptionScheduleSerializer(serializers.Serializer):
    """What the co-op repays an owner who left (selectors.RedemptionOverview)."""

    uuid = serializers.UUIDField(source="schedule.uuid")
    reason = serializers.ChoiceField(source="schedule.reason", choices=RedemptionSchedule.Reason.choices)
    effective_on = serializers.DateField(source="schedule.effective_on", help_text="The day ownership ended.")
    equity_paid = Money(source="schedule.equity_paid", help_text="Equity buy-in paid in at the exit (waived amounts are not).")
    capital_balance = Money(source="schedule.capital_balance", help_text="Retained patronage balance at the exit.")
    total = Money()
    paid = Money()
    due = Money()
    installments = RedemptionInstallmentSerializer(source="rows", many=True)


class RedemptionPaymentSerializer(serializers.Serializer):
    amount = Money(required=False, allow_null=True, default=None, help_text="Default: all that is due on the installment.")
    paid_on = DateField()
    reference = serializers.CharField(max_length=80, help_text="Check or transfer reference, unique in the co-op.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# Leaving the co-op (patronage/api/exit.py, on members' paths) -------------------------------


class OwnershipExitSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RedemptionSchedule.Reason.choices)
    effective_on = DateField(help_text="The day ownership ends.")
    note = serializers.CharField(max_length=250, help_text="Why; recorded in the status history.")


# A worker's ownership: members' part (hours toward the threshold, candidacy, history, retention,
# agreement, equity) and the redemption of each exit, which is why it is served from patronage,
# the app above members. (A comment, not a docstring: the API schema stays as it was.)
class OwnershipSerializer(serializers.Serializer):
    worker = WorkerSerializer()
    progress = ProgressSerializer(many=True)
    candidacy = CandidacySerializer(allow_null=True)
    history = StatusChangeSerializer(many=True)
    retention = RetentionStatusSerializer(allow_null=True, help_text="Null for someone who was never a worker-owner.")
    redemption = RedemptionScheduleSerializer(many=True, help_text="What the co-op repays after each exit, newest first.")
    signature = serializers.SerializerMethodField()
    equity = serializers.SerializerMethodField()

    def get_signature(self, obj) -> dict | None:
        signature = obj["worker"].agreement_signatures.select_related("agreement").first()
        return SignatureSerializer(signature).data if signature else None

    def get_equity(self, obj) -> dict | None:
        equity = equity_data(obj["worker"])
        return EquitySerializer(equity).data if equity else None
