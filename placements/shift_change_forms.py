"""Forms of drop and swap requests (placements/views/shift_changes.py). They only parse;
the cut-off and who may take a shift are placements.services.shift_changes' rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from placements.services.shift_changes import REASON_MAX


class DropForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"), required=False, max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The coordinator reads it."),
    )


class SwapForm(forms.Form):
    swap_to = forms.ChoiceField(label=_("Co-worker"), help_text=_("They accept it on their portal, then the coordinator confirms."))
    reason = forms.CharField(label=_("Message (optional)"), required=False, max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, coworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.coworkers = {str(w.uuid): w for w in coworkers}
        self.fields["swap_to"].choices = [("", _("Choose a co-worker"))] + [(u, str(w)) for u, w in self.coworkers.items()]

    def clean_swap_to(self):
        return self.coworkers[self.cleaned_data["swap_to"]]


class DeclineForm(forms.Form):
    note = forms.CharField(label="Note to the worker (optional)", required=False, max_length=REASON_MAX)
