"""Forms of the governance pages. Date-times are typed in the co-op's own time zone (the
views validate them under `timezone.override(cooperative.zone)`)."""

from django import forms

from governance.models import BoardSeat, BoardTerm, Committee, CommitteeMember, Election, GovernanceDocument, Resolution
from members.models import MemberStatus, Worker


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"


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


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.last_name}, {obj.first_name}"


class NominateForm(forms.Form):
    worker = WorkerChoiceField(queryset=Worker.objects.none(), label="Worker-owner")
    statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=3000, label="Candidate statement")

    def __init__(self, *args, election: Election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = (
            Worker.objects.filter(cooperative=election.cooperative, status=MemberStatus.OWNER)
            .exclude(candidacies_for_board__election=election).order_by("last_name", "first_name")
        )


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
    receipt = forms.CharField(max_length=40, label="Your receipt code", widget=forms.TextInput(attrs={
        "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "placeholder": "ABCD-EFGH-JKLM"}))


class SeatForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=BoardSeat.Kind.choices)
    officer_role = forms.CharField(max_length=60, required=False, label="Officer role (chair, secretary, treasurer…)")


class TermForm(forms.Form):
    seat = forms.ModelChoiceField(queryset=BoardSeat.objects.none())
    worker = WorkerChoiceField(queryset=Worker.objects.none(), required=False, label="Worker of the co-op (for a worker-owner)")
    holder_name = forms.CharField(max_length=200, required=False, label="Holder's name (if not a worker)")
    source = forms.ChoiceField(choices=BoardTerm.Source.choices)
    starts_on = forms.DateField(widget=DateInput())
    ends_on = forms.DateField(widget=DateInput(), required=False)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = BoardSeat.objects.filter(cooperative=cooperative, is_active=True).order_by("name")
        self.fields["worker"].queryset = (
            Worker.objects.filter(cooperative=cooperative).exclude(status=MemberStatus.WITHDRAWN).order_by("last_name", "first_name")
        )


class TermEndForm(forms.Form):
    ends_on = forms.DateField(widget=DateInput(), label="Last day")


class CommitteeForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Committee.Kind.choices)
    equal_representation = forms.BooleanField(required=False, help_text="As many management as worker members (always so for the LMC).")


class MemberForm(forms.Form):
    worker = WorkerChoiceField(queryset=Worker.objects.none(), required=False, label="Worker of the co-op")
    name = forms.CharField(max_length=200, required=False, label="Name (if not a worker)")
    side = forms.ChoiceField(choices=CommitteeMember.Side.choices)
    chosen_by_peers = forms.BooleanField(required=False, label="Chosen by peers (worker side)")
    starts_on = forms.DateField(widget=DateInput())
    ends_on = forms.DateField(widget=DateInput(), required=False)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = (
            Worker.objects.filter(cooperative=cooperative).exclude(status=MemberStatus.WITHDRAWN).order_by("last_name", "first_name")
        )


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
