"""Governance documents rendered to PDF: the results of a counted election or resolution."""

from django.core.exceptions import ValidationError

from alliedup.documents import render_pdf
from governance.selectors import pages


def results_context(vote) -> dict:
    election = pages.is_election(vote)
    return {
        "cooperative": vote.cooperative,
        "vote": vote,
        "is_election": election,
        "result": vote.result,
        "rounds": pages.result_rounds(vote) if election else [],
        "elected": pages.elected_names(vote) if election else [],
        "tallies": vote.result.get("tallies", {}) if not election else {},
    }


def results_pdf(vote) -> bytes:
    """The results of a counted vote as PDF bytes: turnout, quorum, each round of an
    election's count and who is elected, or a resolution's tallies and whether it passed.
    Raises ValidationError before the vote is counted."""
    if not pages.is_counted(vote):
        raise ValidationError("Results are available once the vote is closed and counted.")
    return render_pdf("governance/documents/results.html", results_context(vote))


def results_filename(vote) -> str:
    kind = "election" if pages.is_election(vote) else "resolution"
    return f"{kind}-results-{str(vote.uuid)[:8]}.pdf"
