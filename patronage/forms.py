"""Forms of the patronage pages. They only parse input: the rules (a year that has ended,
cash of at least 20%, a reserve from 0 to 100%, a redemption within the retained balance)
live in patronage/services/ and come back as ValidationError, shown with
alliedup.forms_util.add_service_errors."""

from django import forms

from alliedup.forms_util import DateInput
from governance import selectors as governance
from patronage.models import FiscalYear, PatronageAllocation


class FiscalYearForm(forms.Form):
    starts_on = forms.DateField(widget=DateInput, label="First day")
    ends_on = forms.DateField(widget=DateInput, label="Last day")


class AllocationDraftForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(queryset=FiscalYear.objects.none(), to_field_name="uuid", empty_label=None)
    net_earnings = forms.DecimalField(max_digits=14, decimal_places=2, label="Net earnings from member business ($)",
                                      help_text="A loss is negative.")
    earnings_source = forms.CharField(max_length=300, label="Source of the figure",
                                      help_text="E.g. audited financial statements 2025.")
    reserve_percent = forms.DecimalField(max_digits=5, decimal_places=2, label="Collective reserve (%)",
                                         help_text="Set by the board; kept by the co-op, never distributed.")
    reserve_resolution = forms.ModelChoiceField(
        queryset=None, to_field_name="uuid", required=False, label="Member resolution (voted online)",
        help_text="An adopted, certified resolution that set the reserve share; or name the decision below.",
    )
    reserve_decided_by = forms.CharField(max_length=300, label="Board resolution", required=False,
                                         help_text="The resolution (or who approved) the reserve share.")
    cash_percent = forms.DecimalField(max_digits=5, decimal_places=2, label="Paid in cash (%)",
                                      help_text="At least 20% of each member's allocation (IRS Subchapter T).")
    basis = forms.ChoiceField(choices=PatronageAllocation.Basis.choices, label="Patronage measured by")

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        # Only years without an approved allocation can be (re)drafted; the service re-checks.
        self.fields["fiscal_year"].queryset = FiscalYear.objects.filter(cooperative=cooperative).exclude(
            allocation__status__in=[PatronageAllocation.Status.APPROVED, PatronageAllocation.Status.ISSUED, PatronageAllocation.Status.PAID]
        )
        self.fields["reserve_resolution"].queryset = governance.certified_resolutions(cooperative)
        self.fields["fiscal_year"].label_from_instance = lambda year: f"{year.starts_on:%b %d, %Y} – {year.ends_on:%b %d, %Y}"


class AllocationApproveForm(forms.Form):
    """Approving is final (the amounts can no longer change, and issuing follows): a
    required confirmation that works without JavaScript, as for pay runs."""

    confirm = forms.BooleanField(
        label="I confirm: approve this allocation. It is final and cannot be changed afterwards.",
        error_messages={"required": "Tick the confirmation to approve the allocation."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "approve")
        super().__init__(*args, **kwargs)


class CashPaidForm(forms.Form):
    paid_on = forms.DateField(widget=DateInput, label="Cash paid on")


class RedeemForm(forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, label="Amount ($)")
    effective_on = forms.DateField(widget=DateInput, label="Paid on")
    reference = forms.CharField(max_length=80, label="Check or transfer reference")
    reason = forms.CharField(max_length=300, label="Reason", help_text="E.g. exit, first of three installments per the bylaws.")


class RedemptionPaymentForm(forms.Form):
    """A payment of an exit's redemption installment, on the worker's record page."""

    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, label="Amount ($)",
                                help_text="Blank: all that is due on the installment.")
    paid_on = forms.DateField(widget=DateInput, label="Paid on")
    reference = forms.CharField(max_length=80, label="Check or transfer reference")
