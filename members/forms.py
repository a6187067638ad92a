from django import forms

from members.models import JobClassification
from members.services.candidacy import CHECKLIST_STEPS


class DateInput(forms.DateInput):
    input_type = "date"


class HireForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField()
    phone = forms.CharField(max_length=40, required=False)
    hire_date = forms.DateField(widget=DateInput)
    classification = forms.ModelChoiceField(queryset=JobClassification.objects.none(), label="Job classification")
    wage_step = forms.IntegerField(min_value=1, initial=1)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = JobClassification.objects.filter(cooperative=cooperative, is_active=True)


class ChecklistStepForm(forms.Form):
    step = forms.ChoiceField(choices=[(k, k.replace("_", " ").capitalize()) for k in CHECKLIST_STEPS])
    done_on = forms.DateField(widget=DateInput, label="Done on")


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(widget=DateInput, label="New deadline")
    reason = forms.CharField(max_length=300)
