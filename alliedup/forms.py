from django import forms

from alliedup.models import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(
        label="Role", choices=Role.choices,
        help_text="A worker is invited through their employee record: the address must be on a worker of your roster.",
    )
