from django import forms
from django.utils.translation import gettext_lazy as _

from alliedup.forms_util import DateInput
from members.models import CredentialType, JobClassification, MemberStatus
from members.services.candidacy import CHECKLIST_STEPS
from members.services.status import MANUAL_MOVES


class HireForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField()
    phone = forms.CharField(max_length=40, required=False)
    hire_date = forms.DateField(widget=DateInput)
    classification = forms.ModelChoiceField(queryset=JobClassification.objects.none(), label="Job classification")
    wage_step = forms.IntegerField(min_value=1, initial=1)
    invite = forms.BooleanField(
        required=False, initial=True, label="Email them an invitation to sign in",
        help_text="Accepting it links their account to this record: portal, pay statements, ownership, voting.",
    )
    invite_email = forms.EmailField(
        required=False, label="Send the invitation to", help_text="Empty: the email above.",
    )

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = JobClassification.objects.filter(cooperative=cooperative, is_active=True)

    def invitation_address(self) -> str | None:
        """Where the hire's invitation goes, or None when staff chose not to invite."""
        data = self.cleaned_data
        if not data.get("invite"):
            return None
        return data.get("invite_email") or data["email"]


class WorkerSearchForm(forms.Form):
    """The roster page's filters (GET)."""

    q = forms.CharField(max_length=100, required=False, label="Name or email")
    status = forms.ChoiceField(required=False, label="Status", choices=[("", "Any status"), *MemberStatus.choices])


class WorkerInviteForm(forms.Form):
    email = forms.EmailField(label="Send the invitation to")


class WorkerLinkForm(forms.Form):
    email = forms.EmailField(label="Account's confirmed email")


class WorkerUnlinkForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Why unlink")


class ChecklistStepForm(forms.Form):
    step = forms.ChoiceField(choices=[(k, k.replace("_", " ").capitalize()) for k in CHECKLIST_STEPS])
    done_on = forms.DateField(widget=DateInput, label="Done on")


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(widget=DateInput, label="New deadline")
    reason = forms.CharField(max_length=300)


class SignAgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    typed_name = forms.CharField(max_length=200, label=_("Type your full name to sign"))
    consent = forms.BooleanField(label=_("I have read the membership agreement and agree to it"), required=False)


class EquityPlanForm(forms.Form):
    plan = forms.ChoiceField(
        choices=[("full", _("Pay in full")), ("installments", _("Pay in installments"))], widget=forms.RadioSelect,
        label=_("How will you pay?"),
    )


class EquityPaymentForm(forms.Form):
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0.01)
    effective_on = forms.DateField(widget=DateInput, label="Paid on")
    reference = forms.CharField(max_length=80, label="Receipt, check or pay-run number")
    kind = forms.ChoiceField(choices=[("payment", "Payment"), ("deduction", "Payroll deduction")])
    submission_key = forms.CharField(widget=forms.HiddenInput)


class WaiverForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Hardship reason")


class AgreementPublishForm(forms.Form):
    title = forms.CharField(max_length=200, initial="Membership agreement")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), label="Agreement text")
    effective_from = forms.DateField(widget=DateInput)


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label="Move to")
    reason = forms.CharField(max_length=300)
    effective_on = forms.DateField(widget=DateInput, label="Effective on")

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, MemberStatus(s).label) for s in sorted(MANUAL_MOVES.get(worker.status, ()))]


class CandidacyOpenForm(forms.Form):
    classification = forms.ModelChoiceField(queryset=JobClassification.objects.none())
    reason = forms.CharField(max_length=300)

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = worker.classifications.all()


class CredentialForm(forms.Form):
    credential_type = forms.ModelChoiceField(queryset=None, label="Credential")
    number = forms.CharField(max_length=80, required=False)
    issuer = forms.CharField(max_length=120, required=False)
    issued_on = forms.DateField(widget=DateInput, required=False)
    expires_on = forms.DateField(widget=DateInput, required=False)
    document = forms.FileField(required=False, help_text="PDF, PNG or JPEG, up to 5 MB")

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credential_type"].queryset = CredentialType.objects.filter(cooperative=cooperative)


class OwnershipExitForm(forms.Form):
    """Staff end a worker-owner's ownership; the service schedules the redemption."""

    reason = forms.ChoiceField(
        label="Reason for leaving",
        choices=[("withdrawal", "Withdrawal (the owner leaves)"), ("lapse", "Lapse (hours below the requirement)"),
                 ("termination", "Termination")],
    )
    effective_on = forms.DateField(widget=DateInput, label="Ownership ends on")
    note = forms.CharField(max_length=250, label="Why", help_text="Recorded in the status history.")
    confirm = forms.BooleanField(
        label="I confirm: end this ownership and schedule the redemption of the equity and capital account. It cannot be undone here.",
    )
