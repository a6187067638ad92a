"""Documents of the ownership path (WeasyPrint)."""

from alliedup.documents import render_pdf
from members.models import Candidacy


def welcome_letter_pdf(candidacy: Candidacy) -> bytes:
    """The welcome letter inviting a newly eligible worker to candidacy, as PDF bytes."""
    return render_pdf("members/documents/welcome_letter.html", welcome_letter_context(candidacy))


def welcome_letter_context(candidacy: Candidacy) -> dict:
    return {
        "candidacy": candidacy,
        "worker": candidacy.worker,
        "classification": candidacy.classification,
        "cooperative": candidacy.cooperative,
    }
