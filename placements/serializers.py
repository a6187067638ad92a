"""Serializers of the placements API: output shapes of the models and typed input for the
services. Input serializers only parse; the rules (rates above zero, dates in order, breaks
shorter than the shift) live in placements/services and come back as 400s with field errors.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliedup.api import fields as api_fields
from members.serializers import HoursEntrySerializer
from placements.models import Applicant, Assignment, BillRate, Client, ClientContract, ClientSite, JobOrder, Shift, Timesheet
from placements.services.timesheets import worked_hours

HH_MM = ["%H:%M"]


# --- clients, contracts, bill rates -------------------------------------------------------


class BillRateSerializer(serializers.ModelSerializer):
    classification = serializers.CharField(source="classification.code", help_text="Classification code, e.g. 'lvn'")

    class Meta:
        model = BillRate
        fields = ["classification", "effective_from", "regular_rate", "overtime_multiplier", "double_time_multiplier", "holiday_multiplier"]


class BillRateSetSerializer(serializers.Serializer):
    classification = serializers.SlugField(help_text="Classification code, e.g. 'lvn'")
    effective_from = serializers.DateField()
    regular_rate = serializers.DecimalField(max_digits=12, decimal_places=4, help_text="Per hour, e.g. \"52.00\"")
    overtime_multiplier = serializers.DecimalField(max_digits=4, decimal_places=2, default="1.50")
    double_time_multiplier = serializers.DecimalField(max_digits=4, decimal_places=2, default="2.00")
    holiday_multiplier = serializers.DecimalField(max_digits=4, decimal_places=2, default="1.50")


class ContractSerializer(serializers.ModelSerializer):
    bill_rates = BillRateSerializer(many=True, read_only=True)

    class Meta:
        model = ClientContract
        fields = ["uuid", "reference", "starts_on", "ends_on", "status", "bill_rates"]


class ContractCreateSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=80)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClientSite
        fields = ["name", "address"]


class ClientSerializer(serializers.ModelSerializer):
    """A client in lists, and the input of client_create."""

    class Meta:
        model = Client
        fields = ["uuid", "name", "address", "contact_name", "contact_email", "contact_phone", "time_zone", "is_active"]
        read_only_fields = ["uuid", "is_active"]
        # Uniqueness and the zone are checked by client_create (full_clean), not twice here.
        extra_kwargs = {"name": {"validators": []}, "time_zone": {"validators": []}}


class ClientDetailSerializer(ClientSerializer):
    sites = SiteSerializer(many=True, read_only=True)
    contracts = ContractSerializer(many=True, read_only=True)

    class Meta(ClientSerializer.Meta):
        fields = ClientSerializer.Meta.fields + ["sites", "contracts"]


# --- job orders and shifts ----------------------------------------------------------------


class JobOrderSerializer(serializers.ModelSerializer):
    contract = serializers.UUIDField(source="contract.uuid")
    client = serializers.CharField(source="contract.client.name")
    classification = serializers.CharField(source="classification.code")
    site = serializers.CharField(source="site.name", allow_null=True, default=None)
    shift_start = serializers.TimeField(format="%H:%M")
    shift_end = serializers.TimeField(format="%H:%M")
    shift_count = serializers.IntegerField(help_text="Shifts the order produced (one per position per day).")

    class Meta:
        model = JobOrder
        fields = ["uuid", "contract", "client", "site", "classification", "starts_on", "ends_on", "shift_start", "shift_end",
                  "weekdays", "headcount", "notes", "created_at", "shift_count"]


class JobOrderCreateSerializer(serializers.Serializer):
    contract = serializers.UUIDField(help_text="The contract's uuid.")
    classification = serializers.SlugField(help_text="Classification code, e.g. 'lvn'")
    site = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                 help_text="Name of one of the client's sites (optional).")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    shift_start = serializers.TimeField(input_formats=HH_MM, help_text="HH:MM at the site")
    shift_end = serializers.TimeField(input_formats=HH_MM, help_text="HH:MM at the site; earlier than the start: next day")
    weekdays = serializers.CharField(max_length=7, default="0123456", help_text="Python weekdays, Monday=0, e.g. '01234'")
    # The column's limit; the service checks at least one.
    headcount = serializers.IntegerField(default=1, max_value=32767)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class AssignmentSerializer(serializers.ModelSerializer):
    shift = serializers.UUIDField(source="shift.uuid")
    worker = serializers.UUIDField(source="worker.uuid")
    worker_name = serializers.CharField(source="worker.full_name")

    class Meta:
        model = Assignment
        fields = ["uuid", "shift", "worker", "worker_name", "status", "starts_at", "ends_at", "cancel_reason", "created_at"]


class ActiveAssignmentSerializer(serializers.ModelSerializer):
    worker = serializers.UUIDField(source="worker.uuid")
    worker_name = serializers.CharField(source="worker.full_name")

    class Meta:
        model = Assignment
        fields = ["uuid", "worker", "worker_name", "status"]


class ShiftSerializer(serializers.ModelSerializer):
    job_order = serializers.UUIDField(source="job_order.uuid")
    client = serializers.CharField(source="job_order.contract.client.name")
    contract = serializers.CharField(source="job_order.contract.reference")
    site = serializers.CharField(source="job_order.site.name", allow_null=True, default=None)
    classification = serializers.CharField(source="classification.code")
    assignment = serializers.SerializerMethodField(help_text="The active assignment, if the shift is held or filled.")

    class Meta:
        model = Shift
        fields = ["uuid", "job_order", "client", "contract", "site", "classification", "starts_at", "ends_at", "status", "assignment"]

    @extend_schema_field(ActiveAssignmentSerializer(allow_null=True))
    def get_assignment(self, shift):
        # Filled by the view's Prefetch(to_attr="active_assignments"); one query otherwise.
        active = getattr(shift, "active_assignments", None)
        if active is None:
            active = list(shift.assignments.filter(status__in=Assignment.ACTIVE).select_related("worker"))
        return ActiveAssignmentSerializer(active[0]).data if active else None


class ShiftFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Shift.Status.choices, required=False)
    classification = serializers.SlugField(required=False, help_text="Classification code")
    # `from` is a Python keyword: the field is declared under its query name below.
    to = api_fields.DateField(required=False, help_text="Shifts starting on or before this day (co-op's zone).")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = api_fields.DateField(required=False, help_text="Shifts starting on or after this day (co-op's zone).")
        return fields


class TimesheetFilterSerializer(serializers.Serializer):
    client = serializers.UUIDField(required=False, help_text="Only this client's timesheets (its uuid).")
    classification = serializers.SlugField(required=False, help_text="Classification code")


class OpenShiftSerializer(ShiftSerializer):
    """An open shift as a worker sees it, with why they may not take it."""

    reasons = serializers.ListField(child=serializers.CharField(), help_text="Empty: you may request it.")
    may_request = serializers.BooleanField()

    class Meta(ShiftSerializer.Meta):
        fields = ["uuid", "client", "site", "classification", "starts_at", "ends_at", "reasons", "may_request"]


class CandidateSerializer(serializers.Serializer):
    worker = serializers.UUIDField(source="worker.uuid")
    name = serializers.CharField(source="worker.full_name")
    hours_toward_ownership = serializers.DecimalField(max_digits=9, decimal_places=2)
    shifts_at_client = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Empty for eligible workers.")


class LeftOutSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Every active worker left out.")
    in_classification = serializers.IntegerField(help_text="Of which hired in the shift's classification.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    workers = CandidateSerializer(source="candidates", many=True, help_text=(
        "This page (20): the classification's ineligible workers first, then the co-op's other active workers, each by name."))


class CandidatesSerializer(serializers.Serializer):
    shift = ShiftSerializer()
    blocker = serializers.CharField(allow_null=True, help_text="Why nobody can fill the shift (e.g. no bill rate), or null.")
    eligible = CandidateSerializer(many=True, help_text="Ranked: closest to ownership first, then who knows the client.")
    ineligible = CandidateSerializer(many=True, help_text="Every worker hired in the classification but not eligible.")
    left_out = LeftOutSerializer(help_text="A page (`?left_out_page=N`) of everyone left out, as the fill board lists them.")


class AssignSerializer(serializers.Serializer):
    worker = serializers.UUIDField(help_text="The worker's uuid.")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)
    no_show = serializers.BooleanField(default=False)


# --- timesheets -----------------------------------------------------------------------------


class TimesheetSerializer(serializers.ModelSerializer):
    assignment = serializers.UUIDField(source="assignment.uuid")
    shift = serializers.UUIDField(source="assignment.shift.uuid")
    worker = serializers.UUIDField(source="assignment.worker.uuid")
    worker_name = serializers.CharField(source="assignment.worker.full_name")
    client = serializers.CharField(source="assignment.shift.job_order.contract.client.name")
    classification = serializers.CharField(source="assignment.shift.classification.code")
    shift_starts_at = serializers.DateTimeField(source="assignment.starts_at")
    shift_ends_at = serializers.DateTimeField(source="assignment.ends_at")
    hours = serializers.SerializerMethodField(help_text="Hours worked: elapsed time less unpaid breaks.")

    class Meta:
        model = Timesheet
        fields = ["uuid", "assignment", "shift", "worker", "worker_name", "client", "classification", "shift_starts_at",
                  "shift_ends_at", "clock_in", "clock_out", "break_minutes", "hours", "status", "submitted_at", "decided_at",
                  "decided_on_behalf_of_client", "dispute_reason"]

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2))
    def get_hours(self, timesheet):
        return str(worked_hours(timesheet.clock_in, timesheet.clock_out, timesheet.break_minutes))


class TimesheetSubmitSerializer(serializers.Serializer):
    clock_in = serializers.DateTimeField(help_text="ISO 8601 with an offset, e.g. 2026-11-02T19:02:00-08:00")
    clock_out = serializers.DateTimeField()
    break_minutes = serializers.IntegerField(default=0, min_value=0, max_value=32767, help_text="Unpaid meal breaks.")


class DisputeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)


class ApprovalSerializer(serializers.Serializer):
    timesheet = TimesheetSerializer()
    hours_entry = HoursEntrySerializer(help_text="The hours posted to the worker's ledger.")


# --- CSV import of shifts -------------------------------------------------------------------


class ShiftImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV, UTF-8: date,start,end,classification[,site,headcount,notes] (docs/placements.md).")


class ShiftImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Rows imported: one job order each.")
    shift_count = serializers.IntegerField(help_text="Shifts created (one per position).")
    job_orders = JobOrderSerializer(many=True)


# --- applicants from the public job board ---------------------------------------------------


class ApplicantSerializer(serializers.ModelSerializer):
    classification = serializers.CharField(source="classification.code", allow_null=True, default=None,
                                           help_text="The position applied for (classification code), or null for any.")

    class Meta:
        model = Applicant
        fields = ["uuid", "first_name", "last_name", "email", "phone", "classification", "status", "applied_at"]


class ApplicantDetailSerializer(ApplicantSerializer):
    hired_worker = serializers.UUIDField(source="hired_worker.uuid", allow_null=True, default=None,
                                         help_text="The employee record created by the hire.")

    class Meta(ApplicantSerializer.Meta):
        fields = ApplicantSerializer.Meta.fields + ["message", "decline_reason", "hired_worker"]


class ApplicantFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Applicant.Status.choices, default=Applicant.Status.NEW)


class ApplicantHireSerializer(serializers.Serializer):
    hire_date = serializers.DateField()
    classification = serializers.SlugField(help_text="Classification code, e.g. 'lvn'")
    wage_step = serializers.IntegerField(min_value=1, default=1)
    invite = serializers.BooleanField(default=False, help_text="Email the new worker an invitation to sign in, at the address they applied with.")


class ApplicantDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)


class ContactSerializer(serializers.Serializer):
    """A client contact: who, and whether they sign in yet ("active") or are invited."""

    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    email = serializers.EmailField(help_text="They get an invitation to sign in to the client portal.")
    status = serializers.SerializerMethodField()
    invitation_expires_at = serializers.DateTimeField(source="invitation.expires_at", read_only=True, default=None)

    def get_status(self, obj) -> str:
        if obj.user_id:
            return "active"
        return "invited" if obj.invitation is not None and obj.invitation.is_open else "invitation_lapsed"
