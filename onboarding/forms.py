from django import forms
from django.forms.models import fields_for_model, model_to_dict

from alliedup.models import Cooperative
from members.selectors import classifications_qs
from onboarding.selectors import EDITABLE_SETTINGS, SETTINGS_GROUPS, setting_default, setting_display

LABELS = {
    "name": "Name",
    "address": "Employer's address",
    "candidacy_hours_threshold": "Hours for candidacy (in one classification)",
    "candidacy_lookback_days": "Days those hours count in (rolling)",
    "candidacy_window_days": "Candidacy length (days)",
    "equity_buy_in": "Equity buy-in ($)",
    "equity_installments": "Installments of the buy-in",
    "ownership_starts_at_first_installment": "Ownership starts at the first installment",
    "retention_hours_per_year": "Hours a year to stay an owner",
    "retention_year": "Year counted for those hours",
    "retention_warning_days": "Warn owners this many days before the year ends",
    "equity_redemption_days": "On exit, repay the equity buy-in within (days)",
    "capital_redemption_installments": "On exit, repay the capital account in (annual installments)",
    "time_zone": "Time zone (IANA)",
    "workday_start": "Workday starts at",
    "workweek_start": "Workweek starts on",
    "pay_frequency": "Pay frequency",
    "sick_accrual_per_hours_worked": "Hours worked per hour of sick leave",
    "sick_accrual_cap_hours": "Sick leave accrual cap (hours)",
    "sick_accrual_cap_days": "Sick leave accrual cap (workdays)",
    "sick_use_cap_hours": "Sick leave use cap a year (hours)",
    "sick_use_cap_days": "Sick leave use cap a year (workdays)",
    "sick_usable_after_days": "Sick leave usable from day",
    "adjustment_max_amount": "Largest pay-run adjustment ($)",
    "adjustment_max_hours": "Largest pay-run adjustment (hours)",
    "timesheet_tolerance_minutes": "Timesheet tolerance (minutes)",
    "shift_change_cutoff_hours": "Workers may ask to drop or swap a shift until this many hours before it",
    "patronage_basis": "Patronage measured by",
    "patronage_cash_percent": "Patronage paid in cash (%)",
    "patronage_whole_year": "Count a new owner's whole year of patronage",
    "patronage_allocate_losses": "Allocate loss years to capital accounts",
    "board_owner_majority_required": "Worker-owners must hold a majority of the board",
    "placements_goal_per_year": "Placements goal a year",
}


class CooperativeSettingsForm(forms.Form):
    """The editable settings, typed and validated by the model's own fields; the service
    validates again (full_clean, history) and writes. Not a ModelForm: a refused save must
    not leave the request's cooperative changed in memory."""

    def __init__(self, *args, cooperative: Cooperative, locks: dict[str, str], **kwargs):
        super().__init__(*args, initial=model_to_dict(cooperative, fields=EDITABLE_SETTINGS), **kwargs)
        self.fields.update(fields_for_model(Cooperative, fields=EDITABLE_SETTINGS, labels=LABELS, widgets={
            "workday_start": forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
            "address": forms.TextInput(),
        }))
        self.locks = locks

    def groups(self) -> list[dict]:
        """[{title, rows: [{field, default, lock}]}] in the page's order; `default` is the
        default as text (None for a setting without one, e.g. the name)."""
        return [
            {"title": title, "rows": [
                {"field": self[name], "lock": self.locks.get(name),
                 "default": None if (default := setting_default(name)) is None else setting_display(name, default)}
                for name in names
            ]}
            for title, names in SETTINGS_GROUPS
        ]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class ClassificationForm(forms.Form):
    code = forms.SlugField(max_length=40, help_text="Short, lower case, e.g. rn or lab-tech; fixed once created.")
    name = forms.CharField(max_length=120)
    is_active = forms.BooleanField(required=False, initial=True, label="Active (offered for hires and job orders)")


class ClassificationEditForm(forms.Form):
    name = forms.CharField(max_length=120)
    is_active = forms.BooleanField(required=False, label="Active (offered for hires and job orders)")


class CredentialTypeForm(forms.Form):
    code = forms.SlugField(max_length=40, help_text="Short, lower case, e.g. bls; fixed once created.")
    name = forms.CharField(max_length=120)
    expires = forms.BooleanField(required=False, initial=True, label="Carries an expiry date")
    required_for = forms.ModelMultipleChoiceField(
        queryset=classifications_qs().none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Required for classifications",
        help_text="A worker needs a valid one on file to take a shift in these.",
    )

    def __init__(self, *args, cooperative: Cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_for"].queryset = classifications_qs(cooperative).order_by("name")


class CredentialTypeEditForm(CredentialTypeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]
