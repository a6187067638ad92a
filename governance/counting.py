"""Counting ballots (pure, no models): plurality ("vote for up to N"), instant runoff for one
seat, and the Scottish STV rules (Scottish Local Government Elections Order 2007, Sch. 1,
rules 45–52) for several seats.

Ties are broken deterministically (docs/governance.md): first by the candidates' votes at
the most recent earlier stage where they differed, then by lot — a lot that is fixed and
public before voting starts: the order of SHA-256(election key + ":" + candidate key).
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from typing import Hashable, Iterable, Sequence

SCALE = 100_000  # a vote in hundred-thousandths: transfer values are truncated to five decimals


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
    return plurality_counts(((b, 1) for b in ballots), candidates, seats, election_key)


def plurality_counts(choices: Iterable[tuple[Sequence, int]], candidates: Sequence, seats: int, election_key: str) -> Count:
    """As `plurality`, from (choices, number of ballots with them) pairs."""
    votes = {c: 0 for c in candidates}
    for ballot, n in choices:
        for choice in ballot:
            if choice in votes:  # a candidate withdrawn after voting opened gets no votes
                votes[choice] += n
    lot = lot_order(election_key, candidates)
    ranked = sorted(candidates, key=lambda c: (-votes[c], lot[c]))
    elected = ranked[:seats]
    tie = len(ranked) > seats and seats > 0 and votes[ranked[seats - 1]] == votes[ranked[seats]]
    return Count(elected=elected, rounds=[{"votes": {str(c): votes[c] for c in ranked}}], tie_broken_by_lot=tie)


def ranked(ballots: Iterable[Sequence], candidates: Sequence, seats: int, election_key: str) -> Count:
    """Instant runoff (one seat) or Scottish STV (several): the same rules with a Droop quota.

    With one seat the quota is more than half the valid votes, which is instant runoff.
    `ballots`: one ranking per ballot; see ranked_counts for rankings already grouped."""
    return ranked_counts(Counter(tuple(b) for b in ballots).items(), candidates, seats, election_key)


def _votes(scaled: int) -> str:
    """Hundred-thousandths of a vote as the count records them ("2.99998")."""
    whole, part = divmod(scaled, SCALE)
    return f"{whole}.{part:05d}"


def ranked_counts(rankings: Iterable[tuple[Sequence, int]], candidates: Sequence, seats: int, election_key: str) -> Count:
    """As `ranked`, from (ranking, number of ballots with it) pairs (the ballot table grouped
    by ranking in SQL, services.voting.vote_count): the work grows with the distinct rankings,
    not the ballots.

    Exact integer arithmetic: a paper's value is kept in hundred-thousandths of a vote, as the
    rules truncate transfer values to five decimals, so floor(value × surplus ÷ total) in those
    units is the truncated value; totals are kept up to date as parcels move instead of being
    summed again at each stage. A parcel (the papers of one ranking) is a number indexing
    lists of ints, moved whole from pile to pile: no object is made per transfer, so 10,000
    distinct rankings give the garbage collector nothing to chase."""
    lot = lot_order(election_key, candidates)
    rankings = list(rankings)
    # A candidate withdrawn after voting opened is skipped; usually there is none to skip.
    withdrawn = set(chain.from_iterable(ballot for ballot, _ in rankings)) - lot.keys()
    ranking_of: list[Sequence] = []  # per parcel: the ranking,
    at: list[int] = []  # the index of its current preference,
    value: list[int] = []  # the value of each paper,
    papers: list[int] = []  # the number of papers
    piles: dict = {c: [] for c in candidates}  # parcels by the candidate they count for now
    votes = {c: 0 for c in candidates}  # hundred-thousandths of a vote
    for ballot, n in rankings:
        ranking = [c for c in ballot if c in lot] if withdrawn and not withdrawn.isdisjoint(ballot) else ballot
        if ranking and n:
            piles[ranking[0]].append(len(ranking_of))
            ranking_of.append(ranking)
            at.append(0)
            value.append(SCALE)
            papers.append(n)
            votes[ranking[0]] += SCALE * n
    quota = sum(papers) // (seats + 1) + 1
    scaled_quota = quota * SCALE
    exhausted = 0
    continuing = set(candidates)
    elected: list = []
    history: list[dict] = []  # the stages' votes of the continuing candidates, as integers
    stages: list[dict] = []
    result = Count(elected=elected, quota=Decimal(quota))

    def transfer(c, surplus: int | None) -> int:
        """Move c's papers to their next continuing preference (at value × surplus ÷ total,
        truncated, for a surplus; at their value for an exclusion); returns the value lost."""
        parcels, piles[c] = piles[c], []
        total, votes[c] = votes[c], 0
        lost = 0
        for p in parcels:
            ranking, v, n = ranking_of[p], value[p], papers[p]
            if surplus is not None:
                value[p] = v = v * surplus // total
            for j in range(at[p] + 1, len(ranking)):
                nxt = ranking[j]
                if nxt in continuing:
                    at[p] = j
                    piles[nxt].append(p)
                    votes[nxt] += v * n
                    break
            else:
                lost += v * n
        return lost

    def break_tie(tied: list, lowest: bool):
        """Earlier stages first (most recent where they differ), then the lot."""
        for stage in reversed(history):
            values = {c: stage[c] for c in tied}
            target = min(values.values()) if lowest else max(values.values())
            narrowed = [c for c in tied if values[c] == target]
            if len(narrowed) < len(tied):
                tied = narrowed
                if len(tied) == 1:
                    return tied[0]
        result.tie_broken_by_lot = True
        return sorted(tied, key=lambda c: lot[c])[0]

    while len(elected) < seats and continuing:
        now = {c: votes[c] for c in candidates if c in continuing}
        stage = {"votes": {str(c): _votes(v) for c, v in now.items()}, "elected": [], "excluded": [], "exhausted": _votes(exhausted)}
        if len(continuing) <= seats - len(elected):
            for c in sorted(continuing, key=lambda c: (-votes[c], lot[c])):
                elected.append(c)
                stage["elected"].append(str(c))
            continuing.clear()
            stages.append(stage)
            break
        reached = [c for c in continuing if votes[c] >= scaled_quota]
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
            stages.append(stage)
            history.append(now)
            if len(elected) < seats:
                for c in order:
                    surplus = votes[c] - scaled_quota
                    if surplus > 0:
                        exhausted += transfer(c, surplus)
            continue
        low = min(now.values())
        tied = [c for c in continuing if votes[c] == low]
        out = break_tie(tied, lowest=True) if len(tied) > 1 else tied[0]
        continuing.discard(out)
        stage["excluded"].append(str(out))
        stages.append(stage)
        history.append(now)
        exhausted += transfer(out, None)
    result.rounds = stages
    return result
