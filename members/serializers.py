from rest_framework import serializers

from members.models import Candidacy, HoursEntry, JobClassification, MemberStatusChange, Worker
from members.selectors import equity_overview


class ClassificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobClassification
        fields = ["code", "name"]


class WorkerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Worker
        fields = ["uuid", "first_name", "last_name", "email", "phone", "hire_date", "is_active", "status", "owner_since"]


class HireSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    hire_date = serializers.DateField()
    classification = serializers.SlugField(help_text="Classification code, e.g. 'ma'")
    wage_step = serializers.IntegerField(min_value=1, default=1)
    invite = serializers.BooleanField(
        default=False, help_text="Email the worker an invitation to sign in (linked to this record)."
    )
    invite_email = serializers.EmailField(
        required=False, allow_blank=True, default="",
        help_text="Where the invitation goes; implies invite. Default: `email`.",
    )

    def validate(self, data):
        # One value for the service: the address to invite, or None for no invitation.
        invite_email = data.pop("invite_email") or (data["email"] if data.pop("invite") else "")
        data["invite_email"] = invite_email or None
        return data


class WorkerInvitationSerializer(serializers.Serializer):
    email = serializers.EmailField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    sent_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class WorkerAccountSerializer(serializers.Serializer):
    """A worker's sign-in: the linked account's address, or the open invitation."""

    account = serializers.EmailField(source="user.email", allow_null=True, default=None)
    invitation = WorkerInvitationSerializer(allow_null=True)


class WorkerInviteSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False, help_text="Default: the address on the worker's record.")


class WorkerLinkSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="An address the account has confirmed.")


class WorkerUnlinkSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ProgressSerializer(serializers.Serializer):
    classification = ClassificationSerializer()
    hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    threshold = serializers.DecimalField(max_digits=7, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=7, decimal_places=2)
    reached = serializers.BooleanField()
    oldest_falls_out_on = serializers.DateField(allow_null=True)


class CandidacySerializer(serializers.ModelSerializer):
    classification = serializers.CharField(source="classification.code")

    class Meta:
        model = Candidacy
        fields = ["uuid", "classification", "status", "opened_on", "deadline", "qualifying_hours",
                  "intake_call_on", "interviews_done_on", "education_done_on", "closed_on"]


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberStatusChange
        fields = ["from_status", "to_status", "effective_on", "changed_at", "reason"]


class HoursEntrySerializer(serializers.ModelSerializer):
    classification = serializers.CharField(source="classification.code")
    reverses = serializers.IntegerField(source="reverses_id", read_only=True)

    class Meta:
        model = HoursEntry
        fields = ["id", "workday", "classification", "hours", "source", "source_ref", "reverses", "note", "posted_at"]


class HoursPostSerializer(serializers.Serializer):
    workday = serializers.DateField()
    classification = serializers.SlugField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    source = serializers.ChoiceField(choices=[HoursEntry.Source.IMPORT, HoursEntry.Source.MANUAL])
    source_ref = serializers.CharField(max_length=64)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class StepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["intake_call", "interviews", "education"])
    done_on = serializers.DateField()


class ExtensionSerializer(serializers.Serializer):
    new_deadline = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class AgreementSerializer(serializers.Serializer):
    version = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    effective_from = serializers.DateField()


class SignatureSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(source="agreement.version", read_only=True)
    typed_name = serializers.CharField(read_only=True)
    signed_at = serializers.DateTimeField(read_only=True)


class SignSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    typed_name = serializers.CharField(max_length=200)
    consent = serializers.BooleanField()


class InstallmentSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    due_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    covered = serializers.DecimalField(max_digits=12, decimal_places=2)
    is_paid = serializers.BooleanField()


class EquityEntrySerializer(serializers.Serializer):
    kind = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    effective_on = serializers.DateField()
    reference = serializers.CharField()
    reason = serializers.CharField()


class EquitySerializer(serializers.Serializer):
    plan = serializers.CharField()
    status = serializers.CharField()
    buy_in = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid = serializers.DecimalField(max_digits=12, decimal_places=2)
    waived = serializers.DecimalField(max_digits=12, decimal_places=2)
    owed = serializers.DecimalField(max_digits=12, decimal_places=2)
    schedule = InstallmentSerializer(many=True)
    entries = EquityEntrySerializer(many=True)


class PlanSerializer(serializers.Serializer):
    plan = serializers.ChoiceField(choices=["full", "installments"])


class PaymentSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    effective_on = serializers.DateField()
    reference = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(choices=["payment", "deduction"], default="payment")
    submission_key = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)


class WaiverSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class RetentionStatusSerializer(serializers.Serializer):
    """Keeping the worker-owner status (members.services.retention.retention_status)."""

    required = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="Hours a membership year the bylaws require.")
    year_start = serializers.DateField(allow_null=True, help_text="The current membership year (owners only).")
    year_end = serializers.DateField(allow_null=True)
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True,
                                     help_text="Hours worked so far this membership year in the owner's classification.")
    checked = serializers.BooleanField(help_text="False in a first, partial membership year, which is not checked.")
    at_risk = serializers.BooleanField(help_text="Behind the pace that reaches the requirement by the year's end.")
    warning_sent_on = serializers.DateField(allow_null=True, help_text="When this year's behind-pace notice went out.")
    lapse_notice_sent_on = serializers.DateField(allow_null=True, help_text="When the lapse notice went out (a lapsed owner).")


class CredentialSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    credential_type = serializers.SlugField(help_text="Credential type code, e.g. 'bls'")
    number = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)
    issuer = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    document = serializers.FileField(required=False, allow_null=True, default=None, write_only=True)
    has_document = serializers.SerializerMethodField()

    def get_has_document(self, obj) -> bool:
        return bool(getattr(obj, "document", None))

    def to_representation(self, obj):
        data = super().to_representation(obj)
        data["credential_type"] = obj.credential_type.code
        return data


class MoveSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=["employee", "lapsed", "withdrawn"])
    reason = serializers.CharField(max_length=300)
    effective_on = serializers.DateField()


class CandidacyOpenSerializer(serializers.Serializer):
    classification = serializers.SlugField()
    reason = serializers.CharField(max_length=300)


def equity_data(worker) -> dict | None:
    """What EquitySerializer renders for a worker (entries oldest first), or None."""
    overview = equity_overview(worker)
    if overview is None:
        return None
    s = overview.summary
    return {
        "plan": s.plan, "status": s.status, "buy_in": s.buy_in, "paid": s.paid, "waived": s.waived, "owed": s.owed,
        "schedule": overview.schedule, "entries": overview.entries.order_by("effective_on", "id"),
    }
