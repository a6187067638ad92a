"""Documents of the ownership path (WeasyPrint)."""

from alliedup.documents import render_pdf
from members.models import AgreementSignature, Candidacy, RetentionNotice


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


def signed_agreement_pdf(signature: AgreementSignature) -> bytes:
    """The agreement text as signed, with the signature block (who, when, from where)."""
    agreement = signature.agreement
    return render_pdf("members/documents/signed_agreement.html", {
        "agreement": agreement, "signature": signature, "worker": signature.worker,
        "cooperative": signature.cooperative,
        "paragraphs": [p.strip() for p in agreement.body.split("\n\n") if p.strip()],
    })


def retention_notice_pdf(notice: RetentionNotice) -> bytes:
    return render_pdf("members/documents/retention_notice.html", retention_notice_context(notice))


def retention_notice_context(notice: RetentionNotice) -> dict:
    """The notice's context. A lapse notice also lists the redemption the lapse scheduled, which
    its template reads through patronage's {% lapse_redemption %} tag (members does not import
    patronage, the app above it)."""
    return {"notice": notice, "worker": notice.worker, "cooperative": notice.cooperative,
            "written_on": notice.cooperative.today()}
