"""Forms of the governance pages. Date-times are typed in the co-op's own time zone (the
views validate them under `timezone.override(cooperative.zone)`)."""

import json

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from alliedup.forms_util import DateInput
from governance import selectors
from governance.models import BoardSeat, BoardTerm, Committee, CommitteeMember, Election, GovernanceDocument, Resolution
from members.selectors import workers_qs


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _dt(label):
    return forms.DateTimeField(label=label, widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class ElectionForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    number_of_seats = forms.IntegerField(min_value=1, max_value=50, initial=1)
    method = forms.ChoiceField(choices=Election.Method.choices)
    nominations_open_at = _dt("Nominations open")
    nominations_close_at = _dt("Nominations close")
    voting_opens_at = _dt("Voting opens")
    voting_closes_at = _dt("Voting closes")
    record_date = forms.DateField(widget=DateInput(), help_text="The roll is the worker-owners in good standing on this day.")
    quorum_percent = forms.DecimalField(min_value=0, max_value=100, decimal_places=2, initial=50, label="Quorum (% of the roll)")


class ResolutionForm(forms.Form):
    title = forms.CharField(max_length=200)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))
    voting_opens_at = _dt("Voting opens")
    voting_closes_at = _dt("Voting closes")
    record_date = forms.DateField(widget=DateInput(), help_text="The roll is the worker-owners in good standing on this day.")
    quorum_percent = forms.DecimalField(min_value=0, max_value=100, decimal_places=2, initial=50, label="Quorum (% of the roll)")
    threshold = forms.ChoiceField(choices=Resolution.Threshold.choices)


class NameSearchInput(forms.TextInput):
    """A text box followed by its own (empty) <datalist>, which htmx fills as one types."""

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        return box + format_html('<datalist id="{}"></datalist>', self.attrs["list"])


class WorkerNameField(forms.CharField):
    """A worker typed by name: a plain text box, resolved on the server among the form's
    `people` (selectors.people_named), so it works without JavaScript; with it, the box's
    <datalist> gets at most 20 suggestions as one types (views.board.owner_search, `among`
    one of selectors.PEOPLE). Nothing here grows with the co-op: no list of every worker.
    The form calls offer() with who may be named."""

    widget = NameSearchInput

    def __init__(self, *, noun="worker-owner", unknown="No {noun} of the co-op is called “{text}”.", **kwargs):
        super().__init__(max_length=300, **kwargs)
        self.noun, self.unknown = noun, unknown
        self.people = workers_qs().none()

    def offer(self, people, *, cooperative, among: str, datalist_id: str):
        self.people = people
        self.widget.attrs.update({
            "list": datalist_id, "autocomplete": "off", "spellcheck": "false", "placeholder": "Last, First",
            # htmx sends the box's own value (as `worker`) and `among`; the answer is the <datalist>'s options.
            "hx-get": reverse("governance:owner_search", args=[cooperative.slug]), "hx-vals": json.dumps({"among": among}),
            "hx-trigger": "input changed delay:250ms", "hx-target": f"#{datalist_id}", "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
        })

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        found = selectors.people_named(self.people, text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(self.unknown.format(noun=self.noun, text=text))
        limit = selectors.NAME_SEARCH_LIMIT
        shown = [label for _, label in selectors.people_labels(found[:limit])]
        many = f"More than {limit}" if len(found) > limit else str(len(found))
        raise forms.ValidationError(f"{many} {self.noun}s match “{text}”: {'; '.join(shown)}. Type one of them as shown.")


class NominateForm(forms.Form):
    worker = WorkerNameField(label="Worker-owner", help_text="Type the name (Last, First) and choose from the suggestions.",
                             unknown="No {noun} of the co-op who is not already on the ballot is called “{text}”.")
    statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=3000, label="Candidate statement")

    def __init__(self, *args, election: Election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].offer(
            selectors.owners(election.cooperative).exclude(candidacies_for_board__election=election),
            cooperative=election.cooperative, among="owners", datalist_id="nominate-worker-options")


class CertifyForm(forms.Form):
    term_starts_on = forms.DateField(widget=DateInput(), label="Terms start on")
    term_ends_on = forms.DateField(widget=DateInput(), required=False, label="Terms end on")

    def __init__(self, *args, elected: list[str], cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        seats = BoardSeat.objects.filter(cooperative=cooperative, is_active=True).order_by("name")
        for i, name in enumerate(elected):
            self.fields[f"seat_{i}"] = forms.ModelChoiceField(queryset=seats, label=f"Seat for {name}")
        self.order_fields([f"seat_{i}" for i in range(len(elected))] + ["term_starts_on", "term_ends_on"])
        self.elected_count = len(elected)

    def seats(self):
        return [self.cleaned_data[f"seat_{i}"] for i in range(self.elected_count)]


class ReceiptForm(forms.Form):
    receipt = forms.CharField(max_length=40, label=_("Your receipt code"), widget=forms.TextInput(attrs={
        "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "placeholder": "ABCD-EFGH-JKLM"}))


class SeatForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=BoardSeat.Kind.choices)
    officer_role = forms.CharField(max_length=60, required=False, label="Officer role (chair, secretary, treasurer…)")


class TermForm(forms.Form):
    seat = forms.ModelChoiceField(queryset=BoardSeat.objects.none())
    worker = WorkerNameField(required=False, label="Worker-owner (for a worker-owner seat)",
                              help_text="Type the name (Last, First) and choose from the suggestions.")
    holder_name = forms.CharField(max_length=200, required=False, label="Holder's name (if not a worker)")
    source = forms.ChoiceField(choices=BoardTerm.Source.choices)
    starts_on = forms.DateField(widget=DateInput())
    ends_on = forms.DateField(widget=DateInput(), required=False)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = BoardSeat.objects.filter(cooperative=cooperative, is_active=True).order_by("name")
        self.fields["worker"].offer(selectors.owners(cooperative), cooperative=cooperative, among="owners",
                                    datalist_id="term-worker-options")


class TermEndForm(forms.Form):
    ends_on = forms.DateField(widget=DateInput(), label="Last day")


class CommitteeForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Committee.Kind.choices)
    equal_representation = forms.BooleanField(required=False, help_text="As many management as worker members (always so for the LMC).")


class MemberForm(forms.Form):
    worker = WorkerNameField(required=False, label="Worker of the co-op", noun="worker",
                             help_text="Type the name (Last, First) and choose from the suggestions.")
    name = forms.CharField(max_length=200, required=False, label="Name (if not a worker)")
    side = forms.ChoiceField(choices=CommitteeMember.Side.choices)
    chosen_by_peers = forms.BooleanField(required=False, label="Chosen by peers (worker side)")
    starts_on = forms.DateField(widget=DateInput())
    ends_on = forms.DateField(widget=DateInput(), required=False)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].offer(selectors.committee_workers(cooperative), cooperative=cooperative, among="workers",
                                    datalist_id="member-worker-options")


class MeetingForm(forms.Form):
    held_on = forms.DateField(widget=DateInput())
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    attendees = forms.ModelMultipleChoiceField(queryset=CommitteeMember.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple, label="Attendance")

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = CommitteeMember.objects.filter(committee=committee).order_by("side", "name")
        self.fields["attendees"].label_from_instance = lambda m: f"{m.name} ({m.get_side_display().lower()})"


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=GovernanceDocument.Kind.choices)
    title = forms.CharField(max_length=200)
    file = forms.FileField(help_text="PDF, Word (.docx) or Excel (.xlsx), up to 20 MB.")
    is_public = forms.BooleanField(required=False, label="Public to everyone in the co-op",
                                   help_text="Otherwise worker-owners, the board and staff only.")


class VotingOpenForm(forms.Form):
    """Opening voting fixes the voter roll and cannot be undone: the page asks for a ticked
    confirmation (works without JavaScript); the view refuses the POST without it."""

    confirm = forms.BooleanField(
        label="I confirm: open voting now. The voter roll is fixed at the record date and cannot be changed afterwards.",
        error_messages={"required": "Tick the confirmation to open voting: nothing was changed."},
    )
