"""The governance figures: turnout of elections and of resolutions (design § 2, the
worker-owners' votes). Selectors in the style of insights.metrics (its common rules hold),
registered in its FIGURES.

Both reuse governance.selectors' definition of turnout (`counted_elections` and
`counted_resolutions` count the roll and the participation of every vote in one query through
`with_turnout_counts`, `turnout_from_counts` makes the percent and the quorum), so a figure always says what the vote's own page and count say. Counts
only: no query here touches a ballot, so nothing about anyone's vote can come out.
"""

from datetime import date

from django.utils.translation import gettext_lazy

from alliedup.models import Cooperative
from governance.selectors import counted_elections, counted_resolutions, turnout_from_counts
from insights.figure import Figure, local_window, make_figure


def turnout(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Turnout of each closed (counted or certified) election whose voting closed in the
    period (in the co-op's time zone): on the roll, voted, percent = voted ÷ on the roll ×
    100 to two decimals (an exact half goes to the even digit: 1 of 800 is 0.12), and
    whether the quorum was met (the unrounded share ≥ the election's quorum), the same
    definition as governance.selectors.turnout, for all elections in one query."""
    rows = []
    for e in counted_elections(cooperative, *local_window(cooperative, start, end)):
        t = turnout_from_counts(e.on_roll, e.voted, e.quorum_percent)
        rows.append({"election": e.title, "closed_on": e.voting_closes_at.astimezone(cooperative.zone).date(),
                     "on_roll": t["on_roll"], "voted": t["voted"], "percent": t["percent"], "quorum_met": t["quorum_met"]})
    return make_figure(turnout, cooperative, start, end,
                       [("election", gettext_lazy("Election")), ("closed_on", gettext_lazy("Voting closed")),
                        ("on_roll", gettext_lazy("On the roll")), ("voted", gettext_lazy("Voted")),
                        ("percent", gettext_lazy("Turnout %")), ("quorum_met", gettext_lazy("Quorum met"))], rows)


def resolution_turnout(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Turnout of each resolution put to the worker-owners that was counted (closed or
    certified; drafts and open votes are not here) and whose voting closed in the period (in
    the co-op's time zone). On the roll = the voter roll fixed when voting opened (the
    worker-owners in good standing on the record date); ballots cast = the voters on that
    roll who voted (each ballot is cast together with its voter's participation, so the two
    numbers are equal; which ballot is whose is never known); percent = ballots cast ÷ on
    the roll × 100 to two decimals, an exact half going to the even digit (7 of 10 is 70.00,
    1 of 800 is 0.12), 0 for an empty roll; quorum met = the unrounded share ≥ the
    resolution's quorum; outcome = the count's: adopted, or not adopted (also when the
    quorum was not met). The same definition as governance.selectors.turnout, for all
    resolutions in one query. Counts only, never a ballot."""
    rows = []
    for r in counted_resolutions(cooperative, *local_window(cooperative, start, end)):
        t = turnout_from_counts(r.on_roll, r.voted, r.quorum_percent)
        adopted = (r.result or {}).get("adopted")  # decided by governance.services.voting.vote_count
        rows.append({"resolution": r.title, "closed_on": r.voting_closes_at.astimezone(cooperative.zone).date(),
                     "on_roll": t["on_roll"], "voted": t["voted"], "percent": t["percent"], "quorum_met": t["quorum_met"],
                     "outcome": None if adopted is None else ("Adopted" if adopted else "Not adopted")})
    return make_figure(resolution_turnout, cooperative, start, end,
                       [("resolution", gettext_lazy("Resolution")), ("closed_on", gettext_lazy("Voting closed")),
                        ("on_roll", gettext_lazy("On the roll")), ("voted", gettext_lazy("Ballots cast")),
                        ("percent", gettext_lazy("Turnout %")), ("quorum_met", gettext_lazy("Quorum met")),
                        ("outcome", gettext_lazy("Outcome"))],
                       rows)
