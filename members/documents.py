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
    """The notice's context; a lapse notice also lists the redemption the lapse scheduled."""
    from payroll.patronage.selectors import redemption_overviews

    context = {"notice": notice, "worker": notice.worker, "cooperative": notice.cooperative, "redemption": None,
               "written_on": notice.cooperative.today()}
    if notice.kind == RetentionNotice.Kind.LAPSE:
        context["redemption"] = next(
            (o for o in redemption_overviews(notice.worker)
             if o.schedule.reason == "lapse" and o.schedule.effective_on > notice.year_end), None,
        )
    return context
