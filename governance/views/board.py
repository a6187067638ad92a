"""The board page: seats, the terms held today, the worker-owner majority (breaches
highlighted), and adding seats and terms or ending a term (the services' refusals shown)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from alliedup.forms_util import add_service_errors
from alliedup.permissions import permission_required_in_coop
from governance.forms import SeatForm, TermEndForm, TermForm
from governance.models import BoardSeat, BoardTerm
from governance.selectors import PEOPLE, majority_status, people_labels, people_matching, terms_on
from governance.services import board as board_services
from governance.views.common import can_manage


def _board_page(request, *, status=200, seat_form=None, term_form=None):
    coop = request.cooperative
    today = coop.today()
    current = list(terms_on(coop, today))
    majority = majority_status(coop, today)
    breach_ids = {t.pk for t in majority.breaches}
    held = {t.seat_id: t for t in current}
    seats = list(BoardSeat.objects.order_by("name"))
    for seat in seats:
        seat.current_term = held.get(seat.pk)
        seat.is_breach = seat.current_term is not None and seat.current_term.pk in breach_ids
    context = {
        "seats": seats, "majority": majority, "today": today, "can_manage": can_manage(request),
        "history": BoardTerm.objects.select_related("seat", "worker").order_by("seat__name", "-starts_on")[:200],
        "seat_form": seat_form or SeatForm(),
        "term_form": term_form or TermForm(cooperative=coop, initial={"starts_on": today}),
        "end_form": TermEndForm(initial={"ends_on": today}),
    }
    return render(request, "governance/staff/board.html", context, status=status)


@require_GET
@permission_required_in_coop("governance.view")
def board(request, coop_slug):
    return _board_page(request)


@require_GET
@permission_required_in_coop("governance.manage")
def owner_search(request, coop_slug):
    """The suggestions of the governance forms' name boxes (seat someone, nominate, committee
    member): <option>s of at most 20 of the co-op's `among` (selectors.PEOPLE: worker-owners
    by default) whose name has what was typed (`q`, or `worker`, the box's name, as htmx sends it)."""
    people = PEOPLE.get(request.GET.get("among", "owners"))
    if people is None:
        return HttpResponseBadRequest("Unknown `among`.")
    text = request.GET.get("q", request.GET.get("worker", ""))
    found = people_matching(people(request.cooperative), text) if len(text.strip()) >= 2 else []
    return render(request, "governance/staff/_owner_options.html", {"labels": [label for _, label in people_labels(found)]})


@require_POST
@permission_required_in_coop("governance.manage")
def seat_add(request, coop_slug):
    form = SeatForm(request.POST)
    if form.is_valid():
        try:
            seat = board_services.seat_create(cooperative=request.cooperative, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Seat {seat} added.")
            return redirect("governance:board", coop_slug=coop_slug)
    return _board_page(request, status=400, seat_form=form)


@require_POST
@permission_required_in_coop("governance.manage")
def term_add(request, coop_slug):
    form = TermForm(request.POST, cooperative=request.cooperative)
    if form.is_valid():
        d = form.cleaned_data
        worker = d["worker"]
        try:
            term = board_services.term_add(
                seat=d["seat"], holder_name=d["holder_name"] or (str(worker) if worker else ""), worker=worker,
                user=worker.user if worker else None, starts_on=d["starts_on"], ends_on=d["ends_on"], source=d["source"],
                added_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{term.holder_name} holds {term.seat} from {term.starts_on:%b %-d, %Y}.")
            return redirect("governance:board", coop_slug=coop_slug)
    return _board_page(request, status=400, term_form=form)


@require_POST
@permission_required_in_coop("governance.manage")
def term_end(request, coop_slug, term_uuid):
    term = get_object_or_404(BoardTerm.objects.select_related("seat"), uuid=term_uuid)
    form = TermEndForm(request.POST)
    if form.is_valid():
        try:
            board_services.term_end(term=term, ends_on=form.cleaned_data["ends_on"], ended_by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{term.holder_name}'s term on {term.seat} ends {form.cleaned_data['ends_on']:%b %-d, %Y}.")
    else:
        messages.error(request, "Give the last day of the term.")
    return redirect("governance:board", coop_slug=coop_slug)
