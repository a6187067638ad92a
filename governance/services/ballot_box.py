"""The ballot box: how a cast ballot is held, then moved to where it is counted, so that
whoever reads the database cannot tell whose ballot is whose (docs/governance.md, "Ballot
secrecy against database readers").

A cast (services.voting.ballot_cast) writes, in the voter's transaction, their
VoterParticipation and a PendingBallot: receipt and content sealed under a key derived from
SECRET_KEY, which the database never holds. Those two rows share the transaction's xmin, so
the pending row must say nothing readable. A flush then moves pending ballots into
ElectionBallot / ResolutionBallot in a transaction of its own: a random selection, inserted
in random order, the pending rows deleted in the same transaction (a ballot is never moved
twice, never dropped). So every ballot row carries a flush's xmin, shared by its whole batch
and by no participation, and the ballot table's physical order (ctid, pg_dump) is random.

Batches: during voting a flush runs once 2·K ballots wait (K = the vote's ballot_batch_min)
and moves all but K of them, chosen at random; the count moves the rest. Every batch, the
last one included, thus holds at least K ballots (once K have been cast at all).

Locks on the vote's row: a cast holds FOR KEY SHARE (casts never wait for each other); a
flush during voting takes FOR NO KEY UPDATE (flushes queue behind each other, casts go on);
the count takes FOR UPDATE, which waits for the casts in flight, so its final flush sees every
ballot whose voter got a receipt, and a cast that comes after it finds voting closed.
"""

import base64
import json
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils.crypto import salted_hmac
from django_scopes import scopes_disabled

from alliedup.audit import audit_log
from governance.models import Election, ElectionBallot, PendingBallot, ResolutionBallot

# The flush's choice and order of ballots; a test may put a seeded random.Random here.
_random = secrets.SystemRandom()
# Sealed ballots are padded to a multiple of this many bytes, so the length of the sealed
# text does not tell "yes" from "abstain" or a short ranking from a long one.
PAD_TO = 2048


def _field(vote) -> str:
    return "election" if isinstance(vote, Election) else "resolution"


def _ballot_model(vote):
    return ElectionBallot if isinstance(vote, Election) else ResolutionBallot


def _secrets() -> list[str]:
    """SECRET_KEY, then SECRET_KEY_FALLBACKS: after a key rotation, ballots sealed under the
    old key still open while the old key is among the fallbacks."""
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _fernet() -> MultiFernet:
    keys = [salted_hmac("governance.ballot_box.seal", "fernet", secret=s, algorithm="sha256").digest() for s in _secrets()]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(k)) for k in keys])


def receipt_digests(code: str) -> list[str]:
    """The keyed digest of a (canonical) receipt code under each key, current key first."""
    return [salted_hmac("governance.ballot_box.receipt", code, secret=s, algorithm="sha256").hexdigest() for s in _secrets()]


def seal(vote, receipt: str, content) -> str:
    """`receipt` and `content` encrypted for `vote` (the vote's key inside, checked when opened)."""
    plain = json.dumps({"vote": f"{_field(vote)}:{vote.pk}", "receipt": receipt, "content": content})
    plain += " " * (-len(plain) % PAD_TO)  # JSON ignores trailing spaces
    # Fernet writes its creation time in clear into the token; time 0 keeps the cast time out.
    return _fernet().encrypt_at_time(plain.encode(), 0).decode()


def unseal(vote, sealed: str) -> tuple[str, object]:
    """(receipt, content) of a sealed ballot of `vote`. Raises ImproperlyConfigured when no
    configured key opens it (the key it was sealed with must come back; nothing is moved)."""
    try:
        data = json.loads(_fernet().decrypt(sealed.encode()))
    except InvalidToken:
        raise ImproperlyConfigured(
            "A pending ballot cannot be unsealed with SECRET_KEY or SECRET_KEY_FALLBACKS: put the key it was sealed "
            "with back (SECRET_KEY_FALLBACKS) and flush again. No ballot was moved."
        ) from None
    if data["vote"] != f"{_field(vote)}:{vote.pk}":
        raise ImproperlyConfigured(f"A pending ballot of {_field(vote)} {vote.pk} was sealed for another vote; nothing was moved.")
    return data["receipt"], data["content"]


def vote_held_open(vote):
    """Inside the cast's transaction: lock the vote's row FOR KEY SHARE, then read it afresh.

    The lock lets casts run side by side but makes the count (FOR UPDATE) wait until this
    cast commits, so its final flush includes this ballot; and if the count got there first,
    the fresh read sees the vote it closed. (SQLite, the demo fallback, serialises writers
    anyway and has no row locks.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(type(vote)._meta.db_table)
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE", [vote.pk])
    return type(vote).objects.select_related("cooperative").get(pk=vote.pk)


def ballot_hold(*, vote, receipt: str, content) -> PendingBallot:
    """Inside the cast's transaction: hold the ballot sealed until a flush moves it."""
    return PendingBallot.objects.create(cooperative=vote.cooperative, **{_field(vote): vote},
                                        receipt_digest=receipt_digests(receipt)[0], sealed=seal(vote, receipt, content))


def receipt_in_use(receipt: str, vote) -> bool:
    """Whether a moved ballot already has this receipt: a flush must never meet a duplicate
    in the ballot table's unique receipt_code, or it could never finish. (Two waiting ballots
    cannot share one: receipt_digest is unique, and the second cast would be refused.)"""
    with scopes_disabled():  # receipt_code is unique across co-ops; only a yes/no leaves here
        return _ballot_model(vote).objects.filter(receipt_code=receipt).exists()


def pending_ballot(*, vote, code: str):
    """The ballot a (canonical) receipt code holds while it waits to be moved, as an unsaved
    ElectionBallot / ResolutionBallot; None if no pending ballot of `vote` has this code."""
    pending = PendingBallot.objects.filter(**{_field(vote): vote}, receipt_digest__in=receipt_digests(code)).first()
    if pending is None:
        return None
    receipt, content = unseal(vote, pending.sealed)
    return _ballot(vote, receipt, content)


def _ballot(vote, receipt: str, content):
    field = "choices" if isinstance(vote, Election) else "choice"
    return _ballot_model(vote)(cooperative_id=vote.cooperative_id, **{_field(vote): vote}, receipt_code=receipt, **{field: content})


def flush_if_due(vote) -> bool:
    """After a cast: queue a flush (after commit) once 2·K ballots wait. Returns whether one
    was queued. A flush that fails is logged and never fails the voter's request: their
    ballot is safe in the holding table until the next flush or the count."""
    if PendingBallot.objects.filter(**{_field(vote): vote}).count() < 2 * vote.ballot_batch_min:
        return False
    from governance.tasks import ballots_flush_task  # noqa: PLC0415 (cycle: governance.tasks runs this module's ballots_flush)

    kwargs = {"cooperative": vote.cooperative_id, "kind": _field(vote), "vote_id": vote.pk}
    transaction.on_commit(lambda: ballots_flush_task.delay(**kwargs), robust=True)
    return True


@transaction.atomic
def ballots_flush(*, vote) -> int:
    """During voting: if at least 2·K ballots of `vote` wait, move all but K of them, chosen at
    random, into the ballot table in random order. Returns how many moved (0 when too few
    wait or voting is not open). Running it twice moves nothing twice."""
    vote = type(vote).objects.select_for_update(no_key=True).get(pk=vote.pk)
    if vote.status != "voting":
        return 0
    return flush_locked(vote, final=False)


def flush_locked(vote, *, final: bool) -> int:
    """Move pending ballots of `vote` (its row locked by the caller, in the caller's
    transaction). `final` (the count) moves every one; otherwise as ballots_flush. Returns
    how many moved."""
    field = _field(vote)
    pending = list(PendingBallot.objects.filter(**{field: vote}).values_list("pk", "sealed"))
    keep = 0 if final else vote.ballot_batch_min
    if not pending or (not final and len(pending) < 2 * keep):
        return 0
    chosen = _random.sample(pending, len(pending) - keep)  # a random selection, in random order
    ballots = [_ballot(vote, *unseal(vote, sealed)) for _, sealed in chosen]
    _ballot_model(vote).objects.bulk_create(ballots, batch_size=2000)  # inserted, so stored, in that order
    deleted, _ = PendingBallot.objects.filter(pk__in=[pk for pk, _ in chosen]).delete()
    if deleted != len(chosen):  # cannot happen while flushes hold the row lock; never move a ballot twice
        raise RuntimeError(f"Flushing {field} {vote.pk}: {len(chosen)} pending ballots read, {deleted} deleted; nothing moved.")
    audit_log(cooperative=vote.cooperative, action=f"governance.{field}.ballots_flushed", obj=vote,
              data={"moved": len(chosen), "left_waiting": len(pending) - len(chosen), "final": final})
    return len(chosen)


def pending_count(vote) -> int:
    return PendingBallot.objects.filter(**{_field(vote): vote}).count()
