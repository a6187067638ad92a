"""bench/stv.py (`python -m bench --only stv`), small: it counts through vote_count, moves the
held ballots first, agrees with the pure count, and leaves nothing behind."""

from django_scopes import scopes_disabled

from alliedup.models import Cooperative
from governance.models import Election, ElectionBallot, PendingBallot


def test_the_count_bench_measures_in_a_rolled_back_transaction(db, capsys):
    from bench.stv import SLUG, print_stv, run_stv_benchmark

    result = run_stv_benchmark(repeats=1, voters=300)
    assert result["ballots"] == 300 and 0 < result["distinct"] <= 300  # the 15 held ones were moved and counted
    assert result["same elected"] and result["elected"] == 5 and result["quota"] == "51"
    assert result["queries"] > 0
    with scopes_disabled():
        assert not Cooperative.objects.filter(slug=SLUG).exists()
        assert not Election.objects.exists() and not ElectionBallot.objects.exists() and not PendingBallot.objects.exists()
    print_stv(result)
    assert "limit 300 ms" in capsys.readouterr().out
