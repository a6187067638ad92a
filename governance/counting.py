"""Counting ballots (pure, no models): plurality ("vote for up to N"), instant runoff for one
seat, and the Scottish STV rules (Scottish Local Government Elections Order 2007, Sch. 1,
rules 45–52) for several seats.

Ties are broken deterministically (docs/governance.md): first by the candidates' votes at
the most recent earlier stage where they differed, then by lot — a lot that is fixed and
public before voting starts: the order of SHA-256(election key + ":" + candidate key).
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Hashable, Iterable, Sequence

FIVE_PLACES = Decimal("0.00001")


def lot_order(election_key: str, candidates: Iterable[Hashable]) -> dict:
    """{candidate: rank by lot} (0 wins a tie first)."""
    digests = sorted(candidates, key=lambda c: hashlib.sha256(f"{election_key}:{c}".encode()).hexdigest())
    return {c: i for i, c in enumerate(digests)}


@dataclass
class Count:
    elected: list
    rounds: list = field(default_factory=list)  # [{"votes": {candidate: "12.00000"}, "elected": [...], "excluded": [...], "exhausted": "0"}]
    tie_broken_by_lot: bool = False
    quota: Decimal | None = None


def plurality(ballots: Iterable[Sequence], candidates: Sequence, seats: int, election_key: str) -> Count:
    """Each ballot names up to `seats` distinct candidates; the `seats` with most votes win."""
    votes = {c: 0 for c in candidates}
    for ballot in ballots:
        for choice in ballot:
            if choice in votes:  # a candidate withdrawn after voting opened gets no votes
                votes[choice] += 1
    lot = lot_order(election_key, candidates)
    ranked = sorted(candidates, key=lambda c: (-votes[c], lot[c]))
    elected = ranked[:seats]
    tie = len(ranked) > seats and seats > 0 and votes[ranked[seats - 1]] == votes[ranked[seats]]
    return Count(elected=elected, rounds=[{"votes": {str(c): votes[c] for c in ranked}}], tie_broken_by_lot=tie)


def ranked(ballots: Iterable[Sequence], candidates: Sequence, seats: int, election_key: str) -> Count:
    """Instant runoff (one seat) or Scottish STV (several): the same rules with a Droop quota.

    With one seat the quota is more than half the valid votes, which is instant runoff."""
    lot = lot_order(election_key, candidates)
    grouped: dict[tuple, int] = defaultdict(int)
    for ballot in ballots:
        ranking = tuple(c for c in ballot if c in lot)
        if ranking:
            grouped[ranking] += 1
    valid = sum(grouped.values())
    quota = Decimal(valid // (seats + 1) + 1)
    # A parcel: (ranking, index of the current preference, value of each paper, number of papers).
    piles: dict = {c: [] for c in candidates}
    exhausted = Decimal(0)
    for ranking, n in grouped.items():
        piles[ranking[0]].append((ranking, 0, Decimal(1), n))
    continuing = set(candidates)
    elected: list = []
    history: list[dict] = []
    result = Count(elected=elected, quota=quota)

    def totals() -> dict:
        return {c: sum((value * n for _, _, value, n in piles[c]), Decimal(0)) for c in candidates}

    def transfer(parcels, value_of) -> Decimal:
        lost = Decimal(0)
        for ranking, index, value, n in parcels:
            new_value = value_of(value)
            nxt = next((j for j in range(index + 1, len(ranking)) if ranking[j] in continuing), None)
            if nxt is None:
                lost += new_value * n
            else:
                piles[ranking[nxt]].append((ranking, nxt, new_value, n))
        return lost

    def break_tie(tied: list, lowest: bool):
        """Earlier stages first (most recent where they differ), then the lot."""
        for stage in reversed(history):
            values = {c: Decimal(stage["votes"][str(c)]) for c in tied}
            target = min(values.values()) if lowest else max(values.values())
            narrowed = [c for c in tied if values[c] == target]
            if len(narrowed) < len(tied):
                tied = narrowed
                if len(tied) == 1:
                    return tied[0]
        result.tie_broken_by_lot = True
        return sorted(tied, key=lambda c: lot[c])[0]

    while len(elected) < seats and continuing:
        votes = totals()
        stage = {"votes": {str(c): str(votes[c].quantize(FIVE_PLACES)) for c in candidates if c in continuing},
                 "elected": [], "excluded": [], "exhausted": str(exhausted.quantize(FIVE_PLACES))}
        if len(continuing) <= seats - len(elected):
            for c in sorted(continuing, key=lambda c: (-votes[c], lot[c])):
                elected.append(c)
                stage["elected"].append(str(c))
            continuing.clear()
            history.append(stage)
            break
        reached = [c for c in continuing if votes[c] >= quota]
        if reached:
            # Elect everyone at the quota; transfer the largest surplus first.
            order = []
            remaining = sorted(reached, key=lambda c: -votes[c])
            while remaining:
                top = [c for c in remaining if votes[c] == votes[remaining[0]]]
                pick = break_tie(top, lowest=False) if len(top) > 1 else top[0]
                order.append(pick)
                remaining.remove(pick)
            for c in order:
                elected.append(c)
                continuing.discard(c)
                stage["elected"].append(str(c))
            history.append(stage)
            for c in order:
                if len(elected) >= seats:
                    break
                surplus = votes[c] - quota
                if surplus > 0:
                    total = votes[c]
                    parcels, piles[c] = piles[c], []
                    exhausted += transfer(parcels, lambda v: (v * surplus / total).quantize(FIVE_PLACES, rounding=ROUND_DOWN))
            continue
        low = min(votes[c] for c in continuing)
        tied = [c for c in continuing if votes[c] == low]
        out = break_tie(tied, lowest=True) if len(tied) > 1 else tied[0]
        continuing.discard(out)
        stage["excluded"].append(str(out))
        history.append(stage)
        parcels, piles[out] = piles[out], []
        exhausted += transfer(parcels, lambda v: v)
    result.rounds = history
    return result
