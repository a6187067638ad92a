"""The public job board of a cooperative: open positions and an application form.
No sign-in; names no client."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliedup.forms_util import add_service_errors
from alliedup.permissions import public_page
from members.selectors import classifications_qs
from payroll.selectors import pay_ranges
from placements import selectors
from placements.services.applicants import application_submit


class ApplicationForm(forms.Form):
    first_name = forms.CharField(max_length=100, label=_("First name"))
    last_name = forms.CharField(max_length=100, label=_("Last name"))
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(max_length=40, required=False, label=_("Phone"))
    classification = forms.ModelChoiceField(queryset=None, required=False, label=_("Position"))
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=3000,
                              label=_("Anything you want us to know"))
    resume = forms.FileField(label=_("Resume"), help_text=_("PDF or Word (.docx), up to 5 MB"))
    # Honeypot: hidden from people by CSS; bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = classifications_qs(cooperative, active_only=True)


@public_page
def job_board(request, coop_slug):
    coop = request.cooperative
    form = ApplicationForm(request.POST or None, request.FILES or None, cooperative=coop)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return render(request, "placements/jobs/thanks.html", {"coop": coop})  # a bot: say thanks, keep nothing
        try:
            application_submit(
                cooperative=coop, first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
                phone=data["phone"], classification=data["classification"], message=data["message"], resume=data["resume"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(request, "placements/jobs/thanks.html", {"coop": coop})
    positions = selectors.open_positions(coop, timezone.now())
    ranges = pay_ranges(coop, coop.today())  # the CBA wage, lowest to highest step
    for position in positions:
        position["pay"] = ranges.get(position["classification_id"])
    context = {"coop": coop, "positions": positions, "form": form}
    return render(request, "placements/jobs/board.html", context, status=400 if form.errors else 200)
