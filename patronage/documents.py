"""The written notice of allocation (IRC §1388(b)) as PDF: one member's share of a fiscal
year's patronage, its cash and retained parts, the date the cash is paid by, and the consent
statement of the bylaws (IRC §1388(c)(2)(B): a member consents by joining when the bylaws
say so and the member has been told in writing)."""

from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from alliedup.documents import render_pdf
from patronage import selectors
from patronage.models import PatronageAllocation, PatronageAllocationLine
from payroll.selectors import employee_id

TEMPLATE = "patronage/notice.html"
ISSUED = (PatronageAllocation.Status.ISSUED, PatronageAllocation.Status.PAID)
CONSENT_STATEMENT = _(
    "By accepting membership in the cooperative you consented, under its bylaws, to take into account at its "
    "stated dollar amount the amount of any written notice of allocation you receive, as provided in section "
    "1385 of the Internal Revenue Code."
)


class NoticeNotIssued(Exception):
    """The allocation is not issued yet: no notice exists (views answer 404)."""


def notice_pdf(line: PatronageAllocationLine) -> bytes:
    """The member's written notice of allocation as PDF bytes. Raises NoticeNotIssued for a
    line of an allocation that is not issued (or paid) yet."""
    line = PatronageAllocationLine.objects.select_related("worker", "allocation__fiscal_year", "allocation__cooperative").get(pk=line.pk)
    allocation = line.allocation
    if allocation.status not in ISSUED:
        raise NoticeNotIssued(f"The allocation of {allocation.fiscal_year} is not issued yet.")
    context = {
        "cooperative": allocation.cooperative,
        "allocation": allocation,
        "fiscal_year": allocation.fiscal_year,
        "line": line,
        "worker": line.worker,
        "employee_id": employee_id(line.worker),
        "issued_on": allocation.issued_at.astimezone(allocation.cooperative.zone).date() if allocation.issued_at else None,
        "cash_deadline": selectors.cash_deadline(allocation),
        "consent_statement": CONSENT_STATEMENT,
        "units_label": _("hours worked") if allocation.basis == PatronageAllocation.Basis.HOURS else _("gross wages ($)"),
    }
    return render_pdf(TEMPLATE, context)


def notice_filename(line: PatronageAllocationLine) -> str:
    """`notice-of-allocation-<fiscal year end year>-<employee id>-<last name>.pdf`."""
    return get_valid_filename(
        f"notice-of-allocation-{line.allocation.fiscal_year.ends_on.year}-{employee_id(line.worker)}-{line.worker.last_name}.pdf"
    )
