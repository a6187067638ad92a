"""Elections and resolutions: the roll, secret ballots with receipts, the count, certification.

Secrecy: casting writes a VoterParticipation (who voted) and a sealed PendingBallot in one
transaction; the ballot itself (what was chosen) reaches the ballot table later, moved in a
random batch by a transaction of its own (services/ballot_box.py), and nothing joins it to a
voter: a random key, a random receipt code, no time, no shared xmin, a random physical order.
The receipt is shown to the voter once; they can check it while voting is open, and after
the count every ballot is published with its receipt code, so a voter can check theirs and
nobody else learns it. One vote per voter is enforced by the database (VoterParticipation is
unique per roll entry): 100 simultaneous submissions from one voter store one ballot.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from governance import counting, notices
from governance.models import (
    BoardSeat, Candidate, Election, ElectionBallot, Resolution, ResolutionBallot, VoterParticipation, VoterRollEntry,
)
from governance.selectors import turnout
from governance.services import ballot_box
from governance.services.board import term_add, term_end
from members.selectors import owners_on

if TYPE_CHECKING:
    from members.models import Worker

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from a phone
RECEIPT_LENGTH = 12


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_receipt(code: str) -> str:
    """A receipt as typed → its canonical form; ValidationError if it cannot be one."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(raw) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in raw):
        raise ValidationError({"receipt": _("A receipt code is 12 letters and digits, like ABCD-EFGH-JKLM.")})
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


# --- Set-up -----------------------------------------------------------------------------------


@transaction.atomic
def election_create(*, cooperative: Cooperative, title: str, number_of_seats: int, method: str, nominations_open_at,
                    nominations_close_at, voting_opens_at, voting_closes_at, record_date: date, quorum_percent=50,
                    description: str = "", ballot_batch_min: int = 10, created_by=None) -> Election:
    election = Election(
        cooperative=cooperative, title=title.strip(), description=description, number_of_seats=number_of_seats, method=method,
        nominations_open_at=nominations_open_at, nominations_close_at=nominations_close_at, voting_opens_at=voting_opens_at,
        voting_closes_at=voting_closes_at, record_date=record_date, quorum_percent=quorum_percent,
        ballot_batch_min=ballot_batch_min, created_by=created_by,
    )
    _check_windows(cooperative, nominations_open_at, nominations_close_at, voting_opens_at, voting_closes_at, record_date)
    election.full_clean(exclude=["cooperative", "created_by", "certified_by"])
    election.save()
    audit_log(cooperative=cooperative, action="governance.election.created", user=created_by, obj=election,
              after={"title": title, "seats": number_of_seats, "method": method})
    return election


def _check_windows(cooperative, nom_open, nom_close, vote_open, vote_close, record_date) -> None:
    errors = {}
    if nom_open is not None and nom_close <= nom_open:
        errors["nominations_close_at"] = "Nominations close after they open."
    if nom_close is not None and vote_open < nom_close:
        errors["voting_opens_at"] = "Voting opens after nominations close."
    if vote_close <= vote_open:
        errors["voting_closes_at"] = "Voting closes after it opens."
    if record_date > timezone.localdate(vote_open, timezone=cooperative.zone):
        errors["record_date"] = "The record date is on or before the day voting opens."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def candidate_nominate(*, election: Election, worker: Worker, statement: str = "", nominated_by=None) -> Candidate:
    """Put a worker-owner on the ballot while nominations are open (or before, in draft)."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status not in (Election.Status.DRAFT, Election.Status.NOMINATIONS):
        raise ValidationError("Nominations are closed for this election.")
    if worker.status != "owner":
        raise ValidationError({"worker": f"{worker} is not a worker-owner and cannot stand for a worker-owner seat."})
    if Candidate.objects.filter(election=election, worker=worker).exists():
        raise ValidationError({"worker": f"{worker} is already a candidate."})
    candidate = Candidate.objects.create(cooperative=election.cooperative, election=election, worker=worker, statement=statement.strip())
    audit_log(cooperative=election.cooperative, action="governance.candidate.nominated", user=nominated_by, obj=candidate,
              data={"election": str(election.uuid), "worker": str(worker.uuid)})
    return candidate


@transaction.atomic
def resolution_create(*, cooperative: Cooperative, title: str, text: str, voting_opens_at, voting_closes_at, record_date: date,
                      quorum_percent=50, threshold=Resolution.Threshold.SIMPLE, ballot_batch_min: int = 10,
                      created_by=None) -> Resolution:
    resolution = Resolution(cooperative=cooperative, title=title.strip(), text=text.strip(), voting_opens_at=voting_opens_at,
                            voting_closes_at=voting_closes_at, record_date=record_date, quorum_percent=quorum_percent,
                            threshold=threshold, ballot_batch_min=ballot_batch_min, created_by=created_by)
    _check_windows(cooperative, None, None, voting_opens_at, voting_closes_at, record_date)
    resolution.full_clean(exclude=["cooperative", "created_by", "certified_by"])
    resolution.save()
    audit_log(cooperative=cooperative, action="governance.resolution.created", user=created_by, obj=resolution, after={"title": title})
    return resolution


# --- Phases -----------------------------------------------------------------------------------


@transaction.atomic
def voting_open(*, vote, opened_by=None):
    """Fix the voter roll at the record date (a snapshot: later status changes never alter
    it) and open voting. An election needs at least as many candidates as seats.
    Idempotent: an open vote is returned as is."""
    vote = type(vote).objects.select_for_update().get(pk=vote.pk)
    if vote.status == "voting":
        return vote
    if vote.status not in ("draft", "nominations"):
        raise ValidationError("Voting can only open once.")
    if isinstance(vote, Election):
        accepted = vote.candidates.filter(status=Candidate.Status.ACCEPTED).count()
        if accepted < vote.number_of_seats:
            raise ValidationError(f"{accepted} candidate(s) for {vote.number_of_seats} seat(s): nominate more before voting opens.")
    field = "election" if isinstance(vote, Election) else "resolution"
    voters = owners_on(vote.cooperative, vote.record_date)
    VoterRollEntry.objects.bulk_create(
        [VoterRollEntry(cooperative=vote.cooperative, worker_id=w, **{field: vote}) for w in sorted(voters)], batch_size=5000
    )
    vote.status, vote.roll_fixed_at = "voting", timezone.now()
    vote.save(update_fields=["status", "roll_fixed_at"])
    audit_log(cooperative=vote.cooperative, action=f"governance.{field}.voting_opened", user=opened_by, obj=vote, data={"on_roll": len(voters)})
    notices.voting_opened(vote=vote)
    return vote


@transaction.atomic
def nominations_open(*, election: Election, opened_by=None) -> Election:
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != Election.Status.DRAFT:
        raise ValidationError("Nominations open only from draft.")
    election.status = Election.Status.NOMINATIONS
    election.save(update_fields=["status"])
    audit_log(cooperative=election.cooperative, action="governance.election.nominations_opened", user=opened_by, obj=election)
    return election


# --- Casting ----------------------------------------------------------------------------------


def ballot_cast(*, vote, worker: Worker, choices, now=None) -> str:
    """Cast `worker`'s ballot; return the receipt code (shown once, never stored with them).

    `choices`: for a plurality election a list of up to N distinct candidate uuids; for a
    ranked one the candidate uuids in order of preference (no repeats); for a resolution
    "yes", "no" or "abstain". Raises ValidationError, writing nothing, outside the window,
    for someone not on the roll or who already voted, or for an invalid ballot."""
    now = now or timezone.now()
    if vote.status != "voting" or not (vote.voting_opens_at <= now < vote.voting_closes_at):
        raise ValidationError(_("Voting is not open."))  # checked again below, inside the transaction
    content = _validated(vote, choices)
    field = "election" if isinstance(vote, Election) else "resolution"
    try:
        with transaction.atomic():
            # A shared lock only: the unique participation row serialises a voter's own
            # submissions, and the count waits for this cast (ballot_box.vote_held_open).
            vote = ballot_box.vote_held_open(vote)
            if vote.status != "voting" or not (vote.voting_opens_at <= now < vote.voting_closes_at):
                raise ValidationError(_("Voting is not open."))
            entry = VoterRollEntry.objects.filter(**{field: vote}, worker=worker).first()
            if entry is None:
                raise ValidationError(_("You are not on the voter roll of this vote (worker-owners in good standing on the record date)."))
            VoterParticipation.objects.create(cooperative=vote.cooperative, roll_entry=entry)
            receipt = new_receipt()
            while ballot_box.receipt_in_use(receipt, vote):  # 32^12 codes: practically never loops
                receipt = new_receipt()
            # Not the ballot itself: it would share this transaction (xmin) with the participation.
            ballot_box.ballot_hold(vote=vote, receipt=receipt, content=content)
    except IntegrityError:
        raise ValidationError(_("You have already voted; each voter votes once.")) from None
    ballot_box.flush_if_due(vote)
    return receipt


def _validated(vote, choices):
    if isinstance(vote, Resolution):
        if choices not in ResolutionBallot.Choice.values:
            raise ValidationError({"choice": _("Vote yes, no or abstain.")})
        return choices
    if not isinstance(choices, (list, tuple)) or not choices:
        raise ValidationError({"choices": _("Choose at least one candidate.")})
    by_uuid = {str(c.uuid): c.pk for c in vote.candidates.filter(status=Candidate.Status.ACCEPTED)}
    picked = [str(c) for c in choices]
    unknown = [c for c in picked if c not in by_uuid]
    if unknown:
        raise ValidationError({"choices": _("The ballot names someone who is not a candidate in this election.")})
    if len(set(picked)) != len(picked):
        raise ValidationError({"choices": _("Each candidate may appear once on a ballot (no duplicate ranks).")})
    if vote.method == Election.Method.PLURALITY and len(picked) > vote.number_of_seats:
        raise ValidationError({"choices": ngettext("Choose at most %(count)s candidate.", "Choose at most %(count)s candidates.",
                                                   vote.number_of_seats) % {"count": vote.number_of_seats}})
    return [by_uuid[c] for c in picked]


def receipt_lookup(*, vote, code: str):
    """The ballot a receipt code belongs to: while voting is open the voter's check that it
    was recorded (still sealed in the holding table or already moved: an unsaved ballot in
    the first case), after the count the published ballot. A malformed or unknown code is
    refused with the same care either way."""
    code = normalise_receipt(code)
    if vote.status not in ("voting", "closed", "certified"):
        raise ValidationError(_("No ballots have been cast in this vote yet."))
    model = ElectionBallot if isinstance(vote, Election) else ResolutionBallot
    ballot = model.objects.filter(**{"election" if model is ElectionBallot else "resolution": vote}, receipt_code=code).first()
    if ballot is None:
        ballot = ballot_box.pending_ballot(vote=vote, code=code)
    if ballot is None:
        raise ValidationError({"receipt": _("No ballot has this receipt code in this vote.")})
    return ballot


# --- Counting and certification -----------------------------------------------------------------


@transaction.atomic
def vote_count(*, vote, now=None):
    """Close a vote whose window has ended and count it (idempotent). The result records
    turnout, quorum and, for elections, every round of the count."""
    now = now or timezone.now()
    vote = type(vote).objects.select_for_update().get(pk=vote.pk)
    if vote.status in ("closed", "certified"):
        return vote
    if vote.status != "voting" or now < vote.voting_closes_at:
        raise ValidationError("Votes are counted after voting closes.")
    # Every ballot still held is moved first, in this transaction: the row lock above has
    # waited for the casts in flight (ballot_box), so nothing cast is left out.
    ballot_box.flush_locked(vote, final=True)
    stats = turnout(vote)
    result = {"on_roll": stats["on_roll"], "voted": stats["voted"], "turnout_percent": str(stats["percent"]),
              "quorum_percent": str(vote.quorum_percent), "quorum_met": stats["quorum_met"]}
    if isinstance(vote, Election):
        candidates = {c.pk: c for c in vote.candidates.filter(status=Candidate.Status.ACCEPTED).select_related("worker")}
        # Identical ballots grouped by the database: the count works per distinct ranking.
        grouped = list(vote.ballots.order_by().values_list("choices").annotate(n=Count("pk")))
        count_fn = counting.ranked_counts if vote.method == Election.Method.RANKED else counting.plurality_counts
        count = count_fn(grouped, sorted(candidates), vote.number_of_seats, str(vote.uuid))
        result.update({
            "method": vote.method, "seats": vote.number_of_seats, "valid_ballots": sum(n for choices, n in grouped),
            "quota": str(count.quota) if count.quota is not None else None, "rounds": count.rounds,
            "tie_broken_by_lot": count.tie_broken_by_lot,
            "elected": [str(candidates[c].uuid) for c in count.elected] if stats["quorum_met"] else [],
            "names": {str(pk): str(c.worker) for pk, c in candidates.items()},
        })
    else:
        tallies = {choice: 0 for choice in ResolutionBallot.Choice.values}
        for choice in vote.ballots.values_list("choice", flat=True):
            tallies[choice] += 1
        decided = tallies["yes"] + tallies["no"]
        if vote.threshold == Resolution.Threshold.TWO_THIRDS:
            needed = 3 * tallies["yes"] >= 2 * decided  # two-thirds of yes + no
        else:
            needed = 2 * tallies["yes"] > decided  # more yes than no
        result.update({"tallies": tallies, "threshold": vote.threshold,
                       "adopted": bool(stats["quorum_met"] and decided and needed)})
    vote.status, vote.result = "closed", result
    update = ["status", "result"]
    if isinstance(vote, Election):
        vote.counted_at = now
        update.append("counted_at")
    vote.save(update_fields=update)
    audit_log(cooperative=vote.cooperative, action=f"governance.{type(vote).__name__.lower()}.counted", obj=vote,
              data={"voted": stats["voted"], "on_roll": stats["on_roll"]})
    return vote


@transaction.atomic
def election_certify(*, election: Election, seats: list[BoardSeat], term_starts_on: date, term_ends_on: date | None, certified_by):
    """The board secretary certifies the count: each elected candidate takes one of `seats`
    (in the order elected), then the board majority rule is checked (board.term_add)."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != Election.Status.CLOSED:
        raise ValidationError("Only a counted election can be certified.")
    if not election.result.get("quorum_met"):
        raise ValidationError("The election did not reach its quorum; nobody is elected.")
    if "elected" not in election.result:  # a count stored without its elected list (older data)
        raise ValidationError("The stored count of this election does not say who was elected; it cannot be certified.")
    elected = election.result["elected"]
    if len(seats) != len(elected):
        raise ValidationError({"seats": f"Choose {len(elected)} seat(s) for the {len(elected)} elected candidate(s)."})
    candidates = {str(c.uuid): c for c in election.candidates.select_related("worker")}
    for seat, candidate_uuid in zip(seats, elected):
        current = seat.terms.filter(ends_on__isnull=True).first() or seat.terms.filter(ends_on__gte=term_starts_on).first()
        if current is not None and current.starts_on >= term_starts_on:
            raise ValidationError({"seats": f"{seat} already has a term from {current.starts_on}; choose another seat or start date."})
        if current is not None:
            term_end(term=current, ends_on=term_starts_on - timedelta(days=1), ended_by=certified_by)
        worker = candidates[candidate_uuid].worker
        term_add(seat=seat, holder_name=str(worker), worker=worker, user=worker.user, starts_on=term_starts_on, ends_on=term_ends_on,
                 source="elected", election=election, added_by=certified_by)
    election.status, election.certified_at, election.certified_by = Election.Status.CERTIFIED, timezone.now(), certified_by
    election.save(update_fields=["status", "certified_at", "certified_by"])
    audit_log(cooperative=election.cooperative, action="governance.election.certified", user=certified_by, obj=election,
              data={"elected": elected})
    return election


@transaction.atomic
def resolution_certify(*, resolution: Resolution, certified_by) -> Resolution:
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    if resolution.status != Resolution.Status.CLOSED:
        raise ValidationError("Only a counted resolution can be certified.")
    resolution.status, resolution.certified_at, resolution.certified_by = Resolution.Status.CERTIFIED, timezone.now(), certified_by
    resolution.save(update_fields=["status", "certified_at", "certified_by"])
    audit_log(cooperative=resolution.cooperative, action="governance.resolution.certified", user=certified_by, obj=resolution,
              data={"adopted": resolution.result.get("adopted")})
    return resolution
