"""The integer counter over grouped rankings (`counting.ranked_counts`) against the counter it
replaced (issue 17), kept here only as the reference: Decimal values, one parcel per distinct
ranking, every total summed again at each stage. Both must give the same count — elected,
every stage's figures as recorded, the quota and whether the lot broke a tie — over many
random elections (fixed seed) built to hit ties, exhausted papers and fractional surpluses."""

import random
from collections import Counter, defaultdict
from decimal import ROUND_DOWN, Decimal

import pytest

from governance import counting

FIVE_PLACES = Decimal("0.00001")


def reference_ranked(ballots, candidates, seats, election_key):
    """governance.counting.ranked before issue 17, unchanged."""
    lot = counting.lot_order(election_key, candidates)
    grouped = defaultdict(int)
    for ballot in ballots:
        ranking = tuple(c for c in ballot if c in lot)
        if ranking:
            grouped[ranking] += 1
    valid = sum(grouped.values())
    quota = Decimal(valid // (seats + 1) + 1)
    piles = {c: [] for c in candidates}
    exhausted = Decimal(0)
    for ranking, n in grouped.items():
        piles[ranking[0]].append((ranking, 0, Decimal(1), n))
    continuing = set(candidates)
    elected = []
    history = []
    result = counting.Count(elected=elected, quota=quota)

    def totals():
        return {c: sum((value * n for _, _, value, n in piles[c]), Decimal(0)) for c in candidates}

    def transfer(parcels, value_of):
        lost = Decimal(0)
        for ranking, index, value, n in parcels:
            new_value = value_of(value)
            nxt = next((j for j in range(index + 1, len(ranking)) if ranking[j] in continuing), None)
            if nxt is None:
                lost += new_value * n
            else:
                piles[ranking[nxt]].append((ranking, nxt, new_value, n))
        return lost

    def break_tie(tied, lowest):
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


def reference_plurality(ballots, candidates, seats, election_key):
    votes = {c: 0 for c in candidates}
    for ballot in ballots:
        for choice in ballot:
            if choice in votes:
                votes[choice] += 1
    lot = counting.lot_order(election_key, candidates)
    ranked = sorted(candidates, key=lambda c: (-votes[c], lot[c]))
    tie = len(ranked) > seats and seats > 0 and votes[ranked[seats - 1]] == votes[ranked[seats]]
    return counting.Count(elected=ranked[:seats], rounds=[{"votes": {str(c): votes[c] for c in ranked}}], tie_broken_by_lot=tie)


def _as_tuple(count):
    return count.elected, count.rounds, count.tie_broken_by_lot, count.quota


def random_election(rng: random.Random):
    """(ballots, candidates, seats, key): few voters and candidates make ties likely; some
    ballots name a withdrawn candidate (not among `candidates`) or nobody still standing;
    popularity is skewed so that surpluses and exclusions both happen."""
    size = rng.choice(["tiny", "small", "medium"])
    n_candidates = {"tiny": rng.randint(2, 5), "small": rng.randint(3, 9), "medium": rng.randint(8, 20)}[size]
    n_ballots = {"tiny": rng.randint(0, 12), "small": rng.randint(10, 120), "medium": rng.randint(200, 1500)}[size]
    candidates = list(range(1, n_candidates + 1)) if rng.random() < 0.5 else [f"c{i}" for i in range(n_candidates)]
    withdrawn = [999] if isinstance(candidates[0], int) else ["gone"]
    weights = {c: rng.choice([0.2, 1, 1, 2, 5]) for c in candidates + withdrawn}
    # A handful of popular rankings repeated often (grouping matters) among random ones.
    popular = [rng.sample(candidates + withdrawn, rng.randint(1, len(candidates))) for _ in range(rng.randint(1, 4))]
    ballots = []
    for _ in range(n_ballots):
        if rng.random() < 0.3:
            ballots.append(list(rng.choice(popular)))
            continue
        pool = candidates + withdrawn
        order = sorted(pool, key=lambda c: -rng.random() ** (1 / weights[c]))
        ballots.append(order[: rng.randint(0, len(pool))])
    seats = rng.randint(1, min(5, n_candidates))
    return ballots, candidates, seats, f"election-{rng.getrandbits(32)}"


def test_the_integer_count_over_grouped_rankings_equals_the_decimal_count_over_many_random_elections():
    rng = random.Random(20261205)
    seen = Counter()
    for _ in range(400):
        ballots, candidates, seats, key = random_election(rng)
        expected = reference_ranked(ballots, candidates, seats, key)
        assert _as_tuple(counting.ranked(ballots, candidates, seats, key)) == _as_tuple(expected), (ballots, candidates, seats, key)
        # The same from grouped rankings, in another order, with rankings repeated across groups.
        groups = list(Counter(map(tuple, ballots)).items())
        rng.shuffle(groups)
        split = [(r, 1) for r, n in groups for _ in range(min(n, 2))] + [(r, n - 2) for r, n in groups if n > 2]
        assert _as_tuple(counting.ranked_counts(split, candidates, seats, key)) == _as_tuple(expected)
        assert _as_tuple(counting.plurality(ballots, candidates, seats, key)) == _as_tuple(
            reference_plurality(ballots, candidates, seats, key))
        seen["lot"] += expected.tie_broken_by_lot
        seen["exhausted"] += any(r["exhausted"] != "0.00000" for r in expected.rounds)
        seen["fractional"] += any(not v.endswith(".00000") for r in expected.rounds for v in r["votes"].values())
        seen["excluded"] += any(r["excluded"] for r in expected.rounds)
        seen["several elected at once"] += any(len(r["elected"]) > 1 for r in expected.rounds[:-1])
    # The elections did exercise each rule (else the comparison proves little).
    assert min(seen[k] for k in ("lot", "exhausted", "fractional", "excluded", "several elected at once")) >= 10, seen


def test_ties_broken_by_an_earlier_stage_agree():
    # B and C tie at 2 in stage 1; D's paper makes B 3 in stage 2, so ties later look back.
    ballots = [("A",)] * 3 + [("B",)] * 2 + [("C", "A")] * 2 + [("D", "B")]
    for seats in (1, 2, 3):
        assert _as_tuple(counting.ranked(ballots, ["A", "B", "C", "D"], seats, "e")) == _as_tuple(
            reference_ranked(ballots, ["A", "B", "C", "D"], seats, "e"))


@pytest.mark.parametrize("n_candidates", [10, 50])
def test_ten_thousand_ballots_five_seats_agree(n_candidates):
    rng = random.Random(n_candidates)
    candidates = list(range(1, n_candidates + 1))
    weights = {c: 1.0 + 3.0 * i / n_candidates for i, c in enumerate(candidates)}
    ballots = []
    for _ in range(10_000):
        order = sorted(candidates, key=lambda c: -rng.random() ** (1 / weights[c]))
        ballots.append(order[: rng.randint(1, n_candidates)])
    new = counting.ranked(ballots, candidates, 5, "big")
    assert _as_tuple(new) == _as_tuple(reference_ranked(ballots, candidates, 5, "big"))
    assert len(new.elected) == 5 and new.quota == Decimal(1667)
