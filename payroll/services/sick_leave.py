"""Paid sick leave use (CA Labor Code §246): recorded by staff, or asked for by the worker
in the portal and approved or declined by staff. Accrual is posted when a pay run is
approved (payroll.services.runs_approve.payrun_approve)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from alliedup.audit import audit_log
from alliedup.tasks import enqueue
from members.selectors import workers_locked
from payroll.models import SickLeaveEntry, SickLeaveRequest
from payroll.selectors import sick_balances, sick_caps, sick_usable_from, sick_used_in_year
from payroll.services.runs_calculate import LOOKBACK_DAYS
from payroll.tasks import sick_request_decided_notify

if TYPE_CHECKING:
    from members.models import Worker

MAX_AHEAD_DAYS = 60
ZERO = Decimal("0")


def _hours(hours) -> Decimal:
    try:
        return Decimal(str(hours))
    except InvalidOperation:
        raise ValidationError({"hours": _("Give the hours as a number.")}) from None


def _use_errors(worker: Worker, workday: date, hours: Decimal, *, also_waiting: Decimal = ZERO,
                waiting_any_year: Decimal | None = None) -> dict:
    """Why `hours` of paid sick leave on `workday` cannot be used (empty: they can).
    `also_waiting`: hours of the worker's other pending requests in `workday`'s year, counted
    as if used (the yearly cap); `waiting_any_year`: those of every year (the balance is one
    ledger across years), `also_waiting` when not given."""
    coop = worker.cooperative
    usable_from = sick_usable_from(worker)
    today = coop.today()
    if not hours.is_finite() or hours <= 0 or hours > 24 or hours != hours.quantize(Decimal("0.01")):
        return {"hours": _("Give between 0.01 and 24 hours.")}
    if workday < today - timedelta(days=LOOKBACK_DAYS):
        return {"workday": _("Sick leave older than %(days)s days is no longer paid by a pay run; record it as an adjustment.")
                           % {"days": LOOKBACK_DAYS}}
    if workday > today + timedelta(days=MAX_AHEAD_DAYS):
        return {"workday": _("Record planned sick leave at most %(days)s days ahead.") % {"days": MAX_AHEAD_DAYS}}
    if workday < usable_from:
        return {"workday": _("Paid sick leave is usable from %(day)s: day %(number)s of employment, the hire date "
                             "(%(hired)s) being day 1.") % {"day": usable_from, "number": max(coop.sick_usable_after_days, 1),
                                                            "hired": worker.hire_date}}
    waiting_any_year = also_waiting if waiting_any_year is None else waiting_any_year
    balance = (sick_balances([worker.pk]).get(worker.pk) or ZERO) - waiting_any_year
    used = sick_used_in_year(worker, workday.year) + also_waiting
    if hours > balance:
        available = balance.quantize(Decimal("0.01"))
        if waiting_any_year:
            return {"hours": _("Only %(available)s hours of sick leave are available (%(waiting)s h are already asked for).")
                    % {"available": available, "waiting": waiting_any_year}}
        return {"hours": _("Only %(available)s hours of sick leave are available.") % {"available": available}}
    cap = sick_caps(coop, [worker.pk], workday)[worker.pk].use
    if used + hours > cap:
        return {"hours": _("%(used)s of the %(cap)s hours usable in %(year)s are already used or asked for.")
                % {"used": used, "cap": cap, "year": workday.year}}
    return {}


@transaction.atomic
def sick_leave_use(*, worker: Worker, workday: date, hours, note: str = "", recorded_by=None) -> SickLeaveEntry:
    """Record paid sick hours taken on `workday`; the next pay run pays them at the regular rate.

    Refused (nothing written): hours not positive or over 24, a day older than the next run
    picks up or more than 60 days ahead, before the worker's usable-from day
    (`selectors.sick_usable_from`: day 90 of employment by default), more than the balance,
    or past the yearly use cap (the greater of the co-op's hours and its days × the
    worker's day, `selectors.sick_caps`)."""
    hours = _hours(hours)
    workers_locked([worker.pk])  # one use at a time per worker
    errors = _use_errors(worker, workday, hours)
    if errors:
        raise ValidationError(errors)
    coop = worker.cooperative
    entry = SickLeaveEntry.objects.create(cooperative=coop, worker=worker, kind=SickLeaveEntry.Kind.USED, hours=-hours,
                                          workday=workday, note=note[:200], recorded_by=recorded_by)
    audit_log(cooperative=coop, action="payroll.sick_leave.used", user=recorded_by, obj=worker,
              data={"workday": workday, "hours": str(hours)})
    return entry


def _waiting_hours(worker: Worker, *, year: int | None) -> Decimal:
    """Hours of the worker's waiting requests, of `year` (None: of every year)."""
    pending = SickLeaveRequest.objects.filter(worker=worker, status=SickLeaveRequest.Status.PENDING)
    if year is not None:
        pending = pending.filter(workday__year=year)
    return pending.aggregate(total=Sum("hours"))["total"] or ZERO


@transaction.atomic
def sick_leave_request(*, worker: Worker, workday: date, hours, note: str = "", requested_by=None) -> SickLeaveRequest:
    """The worker asks for paid sick leave. Checked as a use would be, counting their other
    waiting requests as used, so staff are never asked for more than the worker has.
    Refused (nothing written) on the same grounds as `sick_leave_use`, or for a day that
    already has a waiting request."""
    hours = _hours(hours)
    workers_locked([worker.pk])
    errors = _use_errors(worker, workday, hours, also_waiting=_waiting_hours(worker, year=workday.year),
                         waiting_any_year=_waiting_hours(worker, year=None))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            request = SickLeaveRequest.objects.create(cooperative=worker.cooperative, worker=worker, workday=workday, hours=hours,
                                                      note=(note or "").strip()[:200], requested_by=requested_by)
    except IntegrityError:
        raise ValidationError({"workday": _("You already asked for sick leave on %(day)s; withdraw that first.")
                               % {"day": dateformat.format(workday, _("M d"))}}) from None
    audit_log(cooperative=worker.cooperative, action="payroll.sick_leave.requested", user=requested_by, obj=worker,
              data={"workday": workday, "hours": str(hours)})
    return request


def _pending(request: SickLeaveRequest) -> SickLeaveRequest:
    request = SickLeaveRequest.objects.select_for_update().select_related("worker").get(pk=request.pk)
    if request.status != SickLeaveRequest.Status.PENDING:
        raise ValidationError(_("This request is %(status)s already.") % {"status": request.get_status_display().lower()})
    return request


@transaction.atomic
def sick_leave_request_approve(*, request: SickLeaveRequest, approved_by=None) -> SickLeaveRequest:
    """Approve: the hours become a used entry (checked again as a use: the balance may have
    changed since), paid by the next run."""
    request = _pending(request)
    entry = sick_leave_use(worker=request.worker, workday=request.workday, hours=request.hours,
                           note=request.note or "Asked for in the portal", recorded_by=approved_by)
    request.status, request.decided_at, request.decided_by, request.entry = (
        SickLeaveRequest.Status.APPROVED, timezone.now(), approved_by, entry)
    request.save(update_fields=["status", "decided_at", "decided_by", "entry"])
    _tell_the_worker(request)
    return request


def _tell_the_worker(request: SickLeaveRequest) -> None:
    if request.worker.email:
        enqueue(sick_request_decided_notify, cooperative=request.cooperative, request_id=request.pk)


@transaction.atomic
def sick_leave_request_decline(*, request: SickLeaveRequest, reason: str, declined_by=None) -> SickLeaveRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Tell the worker why."})
    request = _pending(request)
    request.status, request.decided_at, request.decided_by, request.decline_reason = (
        SickLeaveRequest.Status.DECLINED, timezone.now(), declined_by, reason[:300])
    request.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
    _tell_the_worker(request)
    audit_log(cooperative=request.cooperative, action="payroll.sick_leave.declined", user=declined_by, obj=request.worker,
              data={"workday": request.workday, "hours": str(request.hours), "reason": reason})
    return request


@transaction.atomic
def sick_leave_request_withdraw(*, request: SickLeaveRequest, withdrawn_by=None) -> SickLeaveRequest:
    request = _pending(request)
    request.status, request.decided_at, request.decided_by = SickLeaveRequest.Status.WITHDRAWN, timezone.now(), withdrawn_by
    request.save(update_fields=["status", "decided_at", "decided_by"])
    return request
