"""Approved hours, corrections and clients as a pay run reads them (approved_timesheets and
billed_segments come from placements.billing; the package re-exports them)."""

from datetime import date, datetime, timedelta

from django.db.models import Q

from placements.billing import approved_between
from placements.models import (
    Timesheet,
    TimesheetCorrection,
)
from worktime.overtime import workday_boundary


def approved_timesheet_count(cooperative, first_day: date, last_day: date) -> int:
    """How many approved timesheets may have hours on a workday in [first_day, last_day]
    (billing.approved_between). One query."""
    return approved_between(cooperative, first_day, last_day).count()


def approved_timesheet_ids(cooperative, first_day: date, before_day: date, *, exclude_ids=None) -> list[int]:
    """Ids of the approved timesheets that clocked in on a workday in [first_day, before_day),
    less `exclude_ids` (ids or a subquery: e.g. the timesheets approved runs paid). One query."""
    zone, start = cooperative.zone, cooperative.workday_start
    rows = Timesheet.objects.filter(
        cooperative=cooperative, status=Timesheet.Status.APPROVED,
        clock_in__gte=workday_boundary(first_day, zone, start), clock_in__lt=workday_boundary(before_day, zone, start),
    )
    if exclude_ids is not None:
        rows = rows.exclude(id__in=exclude_ids)
    return list(rows.values_list("id", flat=True))


def timesheets_undecided(cooperative, first_day: date, last_day: date):
    """Submitted and disputed timesheets clocking in on a workday in [first_day, last_day],
    with their worker, by clock-in (a queryset)."""
    zone, start = cooperative.zone, cooperative.workday_start
    return (
        Timesheet.objects.filter(cooperative=cooperative, status__in=[Timesheet.Status.SUBMITTED, Timesheet.Status.DISPUTED])
        .filter(clock_in__gte=workday_boundary(first_day, zone, start),
                clock_in__lt=workday_boundary(last_day + timedelta(days=1), zone, start))
        .select_related("assignment__worker").order_by("clock_in")
    )


def corrections_to_pay(cooperative, last_day: date, *, settled_runs) -> list[tuple[int, int]]:
    """(correction id, timesheet id) of the timesheet corrections that no run of
    `settled_runs` (payroll's approved runs, a queryset) has paid, for timesheets that clock in
    by the end of workday `last_day` (later ones are later runs'). One query."""
    until = workday_boundary(last_day + timedelta(days=1), cooperative.zone, cooperative.workday_start)
    return list(
        TimesheetCorrection.objects.filter(cooperative=cooperative, timesheet__clock_in__lt=until)
        .exclude(paid_in_run__in=settled_runs).values_list("id", "timesheet_id")
    )


def corrections_paid_in(run):
    """The timesheet corrections pay run `run` settles, with their worker, oldest first."""
    return (TimesheetCorrection.objects.filter(paid_in_run=run).select_related("timesheet__assignment__worker")
            .order_by("corrected_at", "id"))


def corrections_since(cooperative, since: datetime, on_or_before: date):
    """The timesheet corrections made at or after `since` that move hours from or to a workday
    on or before `on_or_before` (a queryset): a pay run calculated at `since` whose period
    ends on that day did not see them."""
    until = workday_boundary(on_or_before + timedelta(days=1), cooperative.zone, cooperative.workday_start)
    return TimesheetCorrection.objects.filter(cooperative=cooperative, corrected_at__gte=since).filter(
        Q(clock_in_before__lt=until) | Q(clock_in_after__lt=until))
