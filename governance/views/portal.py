"""The worker-owner portal (phone first): my votes, a ballot with a confirm step, the
receipt (shown once, never stored with the voter), the results with every published ballot
and a "check my receipt" form."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from alliedup.permissions import permission_required_in_coop
from governance.selectors import pages
from governance.documents import results_context
from governance.forms import ReceiptForm
from governance.models import Election, Resolution, ResolutionBallot
from governance.selectors import votes_for_worker
from governance.services import voting
from governance.views.common import RESULTS_PERMISSIONS, errors_text, permission_any_in_coop
from members.selectors import worker_for_user

BALLOTS_PER_PAGE = 200

STATE_MESSAGES = {
    "no_worker": gettext_lazy("No employee record is linked to your account in this co-op, so there is no ballot for you."),
    "not_on_roll": gettext_lazy("You are not on the voter roll of this vote (worker-owners in good standing on the record date)."),
    "voted": gettext_lazy("You have voted. Thank you! Keep your receipt code to check your ballot once the votes are counted."),
    "closed": gettext_lazy("Voting is not open."),
}


@permission_required_in_coop("governance.vote")
def my_votes(request, coop_slug):
    worker = worker_for_user(request.cooperative, request.user)
    entries = votes_for_worker(worker) if worker is not None else []
    rows = []
    for entry in entries:
        vote = entry.election or entry.resolution
        rows.append({"vote": vote, "is_election": entry.election_id is not None, "voted": hasattr(entry, "participation"),
                     "open": pages.voting_is_open(vote), "counted": pages.is_counted(vote)})
    rows.sort(key=lambda r: r["vote"].voting_closes_at, reverse=True)
    return render(request, "governance/portal/my_votes.html", {"worker": worker, "rows": rows})


# --- ballots --------------------------------------------------------------------------------


def _parse_election_ballot(election, candidates, post) -> tuple[list[str], list[str]]:
    """(candidate uuids in the order given, errors) from the ballot form: checkboxes
    "candidate" (plurality) or one select per rank "rank_1", "rank_2", … (ranked)."""
    known = {str(c.uuid) for c in candidates}
    errors = []
    if election.method == Election.Method.RANKED:
        ranks = [post.get(f"rank_{i}", "").strip() for i in range(1, len(candidates) + 1)]
        last = max((i for i, r in enumerate(ranks) if r), default=-1)
        if any(not r for r in ranks[: last + 1]):
            errors.append(_("Fill your preferences in order: 1st, then 2nd, and so on, without gaps."))
        choices = [r for r in ranks if r]
        if len(set(choices)) != len(choices):
            errors.append(_("Each candidate may appear once on a ballot (no duplicate ranks)."))
    else:
        choices = [c.strip() for c in post.getlist("candidate") if c.strip()]
        if len(set(choices)) != len(choices):
            errors.append(_("Each candidate may appear once on a ballot."))
        if len(choices) > election.number_of_seats:
            errors.append(ngettext("Choose at most %(count)s candidate.", "Choose at most %(count)s candidates.",
                                   election.number_of_seats) % {"count": election.number_of_seats})
    if any(c not in known for c in choices):
        errors.append(_("The ballot names someone who is not a candidate in this election."))
    if not choices:
        errors.append(_("Choose at least one candidate."))
    return choices, errors


def _ballot_response(request, vote, template, context, status=200):
    response = render(request, template, {"vote": vote, **context}, status=status)
    response["Cache-Control"] = "no-store"  # a ballot or a receipt never sits in a shared cache or the back button
    return response


def _cast_flow(request, vote, *, choices, errors, context, confirm_context):
    """The three steps: the ballot (with errors: 400), the confirm page, the receipt."""
    state = pages.voter_state(vote, context["worker"])
    if state != "open":
        status = 200 if request.method == "GET" else 400
        return _ballot_response(request, vote, "governance/portal/ballot.html", {**context, "state_message": STATE_MESSAGES[state]}, status)
    if request.method == "GET" or request.POST.get("edit"):
        return _ballot_response(request, vote, "governance/portal/ballot.html", context)
    if errors:
        return _ballot_response(request, vote, "governance/portal/ballot.html", {**context, "errors": errors}, 400)
    if request.POST.get("confirmed") != "1":
        return _ballot_response(request, vote, "governance/portal/ballot_confirm.html", {**context, **confirm_context})
    try:
        receipt = voting.ballot_cast(vote=vote, worker=context["worker"], choices=choices)
    except ValidationError as exc:
        return _ballot_response(request, vote, "governance/portal/ballot.html", {**context, "errors": exc.messages}, 400)
    return _ballot_response(request, vote, "governance/portal/receipt.html", {"receipt": receipt, "is_election": isinstance(vote, Election)})


@require_http_methods(["GET", "POST"])
@permission_required_in_coop("governance.vote")
def election_ballot(request, coop_slug, election_uuid):
    election = get_object_or_404(Election, uuid=election_uuid)
    worker = worker_for_user(request.cooperative, request.user)
    candidates = pages.ballot_candidates(election)
    choices, errors = ([], []) if request.method == "GET" else _parse_election_ballot(election, candidates, request.POST)
    by_uuid = {str(c.uuid): c for c in candidates}
    context = {
        "worker": worker, "is_election": True, "candidates": candidates, "ranked": election.method == Election.Method.RANKED,
        "selected": set(choices), "ranks": [(i, choices[i - 1] if i <= len(choices) else "") for i in range(1, len(candidates) + 1)],
    }
    confirm = {"chosen": [(i, c, by_uuid[c]) for i, c in enumerate(choices, start=1) if c in by_uuid]}
    return _cast_flow(request, election, choices=choices, errors=errors, context=context, confirm_context=confirm)


@require_http_methods(["GET", "POST"])
@permission_required_in_coop("governance.vote")
def resolution_ballot(request, coop_slug, resolution_uuid):
    resolution = get_object_or_404(Resolution, uuid=resolution_uuid)
    worker = worker_for_user(request.cooperative, request.user)
    choice = request.POST.get("choice", "") if request.method == "POST" else ""
    errors = [] if request.method == "GET" or choice in ResolutionBallot.Choice.values else [_("Vote yes, no or abstain.")]
    context = {"worker": worker, "is_election": False, "choices": ResolutionBallot.Choice.choices, "selected_choice": choice,
               "paragraphs": [p.strip() for p in resolution.text.split("\n\n") if p.strip()]}
    confirm = {"choice_label": dict(ResolutionBallot.Choice.choices).get(choice, "")}
    return _cast_flow(request, resolution, choices=choice, errors=errors, context=context, confirm_context=confirm)


# --- results and receipts -------------------------------------------------------------------


def _results_page(request, vote):
    form = ReceiptForm(request.POST or None)
    context = {"vote": vote, "is_election": isinstance(vote, Election), "form": form, "counted": pages.is_counted(vote)}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ballot = voting.receipt_lookup(vote=vote, code=form.cleaned_data["receipt"])
        except ValidationError as exc:
            context["lookup_error"] = errors_text(exc)
            status = 400
        else:
            context["found"] = {"receipt": ballot.receipt_code, "text": pages.ballot_in_words(vote, ballot)}
    elif request.method == "POST":
        status = 400
    if context["counted"]:
        context.update(results_context(vote))
        ballots = Paginator(pages.published_ballots_queryset(vote), BALLOTS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(ballots=ballots, ballot_rows=pages.ballot_rows(vote, ballots.object_list))
    return render(request, "governance/results.html", context, status=status)


@require_http_methods(["GET", "POST"])
@permission_any_in_coop(*RESULTS_PERMISSIONS)
def election_results(request, coop_slug, election_uuid):
    return _results_page(request, get_object_or_404(Election.objects.select_related("cooperative"), uuid=election_uuid))


@require_http_methods(["GET", "POST"])
@permission_any_in_coop(*RESULTS_PERMISSIONS)
def resolution_results(request, coop_slug, resolution_uuid):
    return _results_page(request, get_object_or_404(Resolution.objects.select_related("cooperative"), uuid=resolution_uuid))
