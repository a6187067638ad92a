"""Counting rules against hand-worked examples (pure)."""

from decimal import Decimal

from governance.counting import lot_order, plurality, ranked


def test_plurality_two_seats_and_a_tie_at_the_cutoff_broken_by_the_published_lot():
    ballots = [("A", "B"), ("A", "C"), ("B",), ("C",)]  # A 2, B 2, C 2? no: A 2, B 2, C 2
    count = plurality(ballots, ["A", "B", "C"], 2, "election-1")
    lot = lot_order("election-1", ["A", "B", "C"])
    # A: 2, B: 2, C: 2 — all tied: the two first by lot win, and the count says so
    assert count.elected == sorted(["A", "B", "C"], key=lambda c: lot[c])[:2]
    assert count.tie_broken_by_lot is True


def test_instant_runoff_transfers_the_excluded_candidates_ballots():
    ballots = [("A",)] * 4 + [("B", "C")] * 3 + [("C", "B")] * 2
    count = ranked(ballots, ["A", "B", "C"], 1, "e")
    # quota = floor(9 / 2) + 1 = 5. Round 1: A 4, B 3, C 2 → C out; C's 2 go to B: B 5 ≥ 5.
    assert count.quota == Decimal(5)
    assert [r["excluded"] for r in count.rounds] == [["C"], []]
    assert count.elected == ["B"]


def test_scottish_stv_transfers_a_surplus_at_a_truncated_value():
    ballots = [("A", "B")] * 6 + [("C",)] * 3 + [("B", "C")]
    count = ranked(ballots, ["A", "B", "C"], 2, "e")
    # quota = floor(10 / 3) + 1 = 4; A has 6: surplus 2 over 6 papers → 0.33333 each (truncated)
    # B = 1 + 6 × 0.33333 = 2.99998 < C 3 → B excluded; B's (B, C) paper goes to C: 4.
    assert count.rounds[1]["votes"] == {"B": "2.99998", "C": "3.00000"}
    assert count.elected == ["A", "C"]


def test_exclusion_tie_goes_back_to_the_earlier_stage():
    # Stage 1: A 3, B 2, C 2, D 1 → D excluded, its ballot to B: B 3, C 2 … then C excluded.
    ballots = [("A",)] * 3 + [("B",)] * 2 + [("C",)] * 2 + [("D", "B")]
    count = ranked(ballots, ["A", "B", "C", "D"], 1, "e")
    assert count.rounds[0]["excluded"] == ["D"] and count.rounds[1]["excluded"] == ["C"]
    assert count.tie_broken_by_lot is False


def test_ten_thousand_ranked_ballots_count_deterministically():
    import random

    rng = random.Random(7)
    candidates = [f"c{i}" for i in range(10)]
    ballots = [tuple(rng.sample(candidates, rng.randint(1, 10))) for _ in range(10_000)]
    first = ranked(ballots, candidates, 5, "e")
    assert len(first.elected) == 5 and ranked(list(reversed(ballots)), candidates, 5, "e").elected == first.elected
