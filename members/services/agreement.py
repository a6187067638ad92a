"""The membership agreement: versions published by staff, signed by candidates."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from members import selectors
from members.documents import signed_agreement_pdf
from members.models import AgreementSignature, Candidacy, MembershipAgreement, Worker
from members.services.ownership import ownership_check


@transaction.atomic
def agreement_publish(*, cooperative: Cooperative, title: str, body: str, effective_from: date, published_by) -> MembershipAgreement:
    """Publish the next version of the agreement; candidates sign it from `effective_from`."""
    if not body.strip():
        raise ValidationError({"body": "The agreement needs its text."})
    # Lock the co-op row: two staff publishing at once must not both take the same number.
    Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    latest = MembershipAgreement.objects.filter(cooperative=cooperative).aggregate(v=Max("version"))["v"] or 0
    agreement = MembershipAgreement.objects.create(
        cooperative=cooperative, version=latest + 1, title=title.strip() or "Membership agreement", body=body,
        effective_from=effective_from, published_by=published_by,
    )
    audit_log(cooperative=cooperative, action="members.agreement.published", user=published_by, obj=agreement,
              after={"version": agreement.version, "effective_from": effective_from})
    return agreement


def _normalise(name: str) -> str:
    return " ".join(name.split()).casefold()


@transaction.atomic
def agreement_sign(
    *, worker: Worker, version: int, typed_name: str, consent: bool, on: date, ip_address: str | None = None,
    user_agent: str = "", signed_by=None,
) -> AgreementSignature:
    """A candidate signs the current agreement by typing their name and ticking consent.

    Raises ValidationError for an outdated version, a name that is not the worker's, no
    consent, no open candidacy, or a second signature. Keeps a signed PDF copy; may start
    ownership (when the equity condition is met already).
    """
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    current = selectors.current_agreement(worker.cooperative, on)
    if current is None:
        raise ValidationError(_("The cooperative has not published a membership agreement yet."))
    if version != current.version:
        raise ValidationError({"version": _("Version %(version)s is not the current agreement; read version %(current)s and sign that.")
                               % {"version": version, "current": current.version}})
    if not consent:
        raise ValidationError({"consent": _("Tick the box to agree to the membership agreement.")})
    if _normalise(typed_name) != _normalise(worker.full_name):
        raise ValidationError({"typed_name": _("Type your full name exactly as on your record: %(name)s.") % {"name": worker.full_name}})
    candidacy = Candidacy.objects.filter(worker=worker, status=Candidacy.Status.OPEN).first()
    if candidacy is None:
        raise ValidationError(_("Only a candidate with an open candidacy signs the membership agreement."))
    if AgreementSignature.objects.filter(agreement=current, worker=worker).exists():
        raise ValidationError(_("You have already signed this version."))
    signature = AgreementSignature.objects.create(
        cooperative=worker.cooperative, agreement=current, worker=worker, candidacy=candidacy,
        typed_name=" ".join(typed_name.split()), ip_address=ip_address, user_agent=user_agent[:300],
    )
    signature.pdf.save(f"{signature.uuid}.pdf", ContentFile(signed_agreement_pdf(signature)), save=True)
    audit_log(cooperative=worker.cooperative, action="members.agreement.signed", user=signed_by, obj=signature,
              data={"version": current.version, "ip_address": ip_address})
    ownership_check(worker=worker, on=on, by=signed_by)
    return signature
