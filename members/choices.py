"""The members app's public vocabulary: the choices other apps use when they call members'
selectors and services (a member's status, where hours came from). Other apps import these from
here, never from members.models (.importlinter)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MemberStatus(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    CANDIDATE = "candidate", _("Candidate")
    OWNER = "owner", _("Worker-owner")
    LAPSED = "lapsed", _("Lapsed owner")
    WITHDRAWN = "withdrawn", pgettext_lazy("member status", "Withdrawn")


class HoursSource(models.TextChoices):
    TIMESHEET = "timesheet", "Approved timesheet"
    IMPORT = "import", "Imported history"
    MANUAL = "manual", "Staff entry"
    # Hours worked before the co-op moved onto the platform, as one total per worker and
    # classification (onboarding.services.roster_import): not one workday's hours.
    OPENING = "opening", "Opening balance (roster import)"


class EquityEntryKind(models.TextChoices):
    """What an entry of a worker's equity ledger records (payroll posts PAYROLL_DEDUCTION)."""

    PAYMENT = "payment", "Payment"
    PAYROLL_DEDUCTION = "deduction", "Payroll deduction"
    WAIVER = "waiver", "Hardship waiver"
    REVERSAL = "reversal", "Reversal"


class EquityPlan(models.TextChoices):
    """How a worker pays the equity buy-in (EquityAccount.plan)."""

    FULL = "full", _("Paid in full")
    INSTALLMENTS = "installments", _("Installment plan")
    WAIVED = "waived", _("Hardship waiver")
