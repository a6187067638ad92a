"""Keeping the ownership status: the hours a worker-owner must work in a membership year.

The year is the calendar year or the year from the anniversary of ownership (co-op
setting). A partial first year is not checked: an owner whose ownership began after the
year started is checked from their first full year. Paid leave is not in the hours ledger,
so it never counts.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from alliedup.money import sum_to_cents
from alliedup.tasks import enqueue
from members import selectors
from members.letters import retention_notice_send
from members.models import HoursEntry, MemberStatus, RetentionNotice, Worker
from members.services.exit import ownership_exit


# Up to this many distinct membership years, owners' hours come from the monthly rollup; past
# it (anniversary years) the rollup's three OR-ed conditions per year cost more than the ledger's
# one (1,172 owners in 283 years: 1.1 s against 0.38 s; calendar years: 24 ms against 102 ms).
ROLLUP_MOST_YEARS = 12


def _anniversary(owner_since: date, year: int) -> date:
    try:
        return owner_since.replace(year=year)
    except ValueError:  # owner since Feb 29
        return date(year, 2, 28)


def membership_year(cooperative: Cooperative, owner_since: date, on: date) -> tuple[date, date]:
    """The membership year containing `on`: (first day, last day)."""
    if cooperative.retention_year == Cooperative.RetentionYear.CALENDAR:
        return date(on.year, 1, 1), date(on.year, 12, 31)
    start = _anniversary(owner_since, on.year)
    if start > on:
        start = _anniversary(owner_since, on.year - 1)
    return start, _anniversary(owner_since, start.year + 1) - timedelta(days=1)


@dataclass(frozen=True)
class OwnerYear:
    worker: Worker
    year_start: date
    year_end: date
    hours: Decimal


def _owner_hours(cooperative: Cooperative, workers: list[Worker], year_of) -> list[OwnerYear]:
    """Hours in each owner's own classification within their membership year, in one query.

    Owners sharing a membership year share one window (in calendar mode that is all of
    them), so the query stays small however many owners there are. The whole months of each
    year come from the monthly rollup, the partial edge months from the ledger
    (`members.selectors.hours_totals_sql`), unless there are more than ROLLUP_MOST_YEARS years;
    the owner's own classification is picked here.
    """
    if not workers:
        return []
    spans = {w.pk: year_of(w) for w in workers}
    by_span: dict[tuple[date, date], list[int]] = defaultdict(list)
    for pk, span in spans.items():
        by_span[span].append(pk)
    if len(by_span) <= ROLLUP_MOST_YEARS:
        sql, params = selectors.hours_totals_sql(
            cooperative.pk, [(start, end, Q(worker_id__in=ids)) for (start, end), ids in by_span.items()]
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            totals = {(worker_id, classification_id): total for worker_id, classification_id, total in cursor.fetchall()}
    else:  # anniversary years, hundreds of them: one range per year over the ledger is cheaper than three
        condition = Q()
        for (start, end), ids in by_span.items():
            condition |= Q(worker_id__in=ids, workday__gte=start, workday__lte=end)
        totals = {
            (worker_id, classification_id): total
            for worker_id, classification_id, total in HoursEntry.objects.filter(cooperative=cooperative).filter(condition)
            .values("worker_id", "classification_id").annotate(total=Sum("hours"))
            .values_list("worker_id", "classification_id", "total")
        }
    return [
        OwnerYear(w, *spans[w.pk], sum_to_cents(totals.get((w.pk, w.owner_classification_id)))) for w in workers
    ]


def _owners(cooperative: Cooperative):
    return Worker.objects.filter(cooperative=cooperative, status=MemberStatus.OWNER).select_related("owner_classification")


def _checked_years(cooperative: Cooperative, on: date) -> dict[Worker, tuple[date, date]]:
    """Each owner whose membership year containing `on` is a full one, with that year.
    A partial first year (ownership began after the year started) is not checked."""
    owners = _owners(cooperative)
    if cooperative.retention_year == Cooperative.RetentionYear.CALENDAR:
        # One year for all: the owners of this year's making are left out in SQL, not loaded.
        owners = owners.filter(owner_since__lte=date(on.year, 1, 1))
    spans = {w: membership_year(cooperative, w.owner_since, on) for w in owners}
    return {w: span for w, span in spans.items() if w.owner_since <= span[0]}


def retention_check(*, cooperative: Cooperative, today: date) -> list[Worker]:
    """Lapse the owners whose membership year ended yesterday with fewer hours than the
    co-op requires; return them. Idempotent: a lapsed owner is no longer an owner, and the
    notice is unique per year."""
    year_end = today - timedelta(days=1)
    spans = {w: span for w, span in _checked_years(cooperative, year_end).items() if span[1] == year_end}
    rows = _owner_hours(cooperative, list(spans), spans.__getitem__)
    return [row.worker for row in rows if row.hours < cooperative.retention_hours_per_year and _lapse(row, today)]


@transaction.atomic
def _lapse(row: OwnerYear, today: date) -> bool:
    worker = Worker.objects.select_for_update().get(pk=row.worker.pk)
    if worker.status != MemberStatus.OWNER:
        return False
    required = worker.cooperative.retention_hours_per_year
    # The same door as a staff decision: the status lapses and the redemption is scheduled.
    ownership_exit(
        worker=worker, reason="lapse", effective_on=today,
        note=f"{row.hours} of {required} hours in the membership year {row.year_start} to {row.year_end}",
    )
    notice, _ = RetentionNotice.objects.get_or_create(
        cooperative=worker.cooperative, worker=worker, kind=RetentionNotice.Kind.LAPSE, year_end=row.year_end,
        defaults={"year_start": row.year_start, "hours": row.hours},
    )
    enqueue(retention_notice_send, cooperative=worker.cooperative, notice_id=notice.pk)
    return True


def behind_pace(cooperative: Cooperative, today: date) -> list[OwnerYear]:
    """Owners whose hours so far this membership year, projected to its end, fall short."""
    required = cooperative.retention_hours_per_year
    spans = _checked_years(cooperative, today)
    return [row for row in _owner_hours(cooperative, list(spans), spans.__getitem__) if _behind(row, today, required)]


def _behind(row: OwnerYear, today: date, required: Decimal) -> bool:
    elapsed = (today - row.year_start).days + 1
    length = (row.year_end - row.year_start).days + 1
    return row.hours * length < required * elapsed  # hours/elapsed < required/length, without rounding


def retention_warning_sweep(*, cooperative: Cooperative, today: date) -> list[RetentionNotice]:
    """Warn, once a year, the owners behind pace within the warning period before year end."""
    created = []
    for row in behind_pace(cooperative, today):
        if (row.year_end - today).days > cooperative.retention_warning_days:
            continue
        with transaction.atomic():
            notice, new = RetentionNotice.objects.get_or_create(
                cooperative=cooperative, worker=row.worker, kind=RetentionNotice.Kind.WARNING, year_end=row.year_end,
                defaults={"year_start": row.year_start, "hours": row.hours},
            )
            if new:
                audit_log(cooperative=cooperative, action="members.retention.warned", obj=row.worker,
                          data={"hours": row.hours, "year_end": row.year_end})
                enqueue(retention_notice_send, cooperative=cooperative, notice_id=notice.pk)
                created.append(notice)
    return created


def retention_progress(worker: Worker, today: date) -> OwnerYear | None:
    """An owner's hours so far in the current membership year (None if not an owner)."""
    if worker.status != MemberStatus.OWNER or worker.owner_since is None:
        return None
    cooperative = worker.cooperative
    rows = _owner_hours(cooperative, [worker], lambda w: membership_year(cooperative, w.owner_since, today))
    return rows[0]


@dataclass(frozen=True)
class RetentionStatus:
    """Where a (former) worker-owner stands on keeping the status, as the portal, the record
    page and the API show it. For an owner: hours so far in the current membership year
    against the requirement, and whether they are behind pace (a partial first year is not
    checked, so never at risk); for a lapsed owner: when the lapse notice went out."""

    required: Decimal
    year_start: date | None
    year_end: date | None
    hours: Decimal | None
    checked: bool
    at_risk: bool
    warning_sent_on: date | None
    lapse_notice_sent_on: date | None


def retention_status(worker: Worker, today: date) -> RetentionStatus | None:
    """The worker's RetentionStatus, or None for someone who was never a worker-owner. Two
    queries at most."""
    if worker.owner_since is None:
        return None
    cooperative = worker.cooperative
    notices = list(RetentionNotice.objects.filter(worker=worker).order_by("-year_end", "-id"))

    def sent_on(notice):
        return timezone.localdate(notice.sent_at, timezone=cooperative.zone) if notice and notice.sent_at else None

    required = cooperative.retention_hours_per_year
    row = retention_progress(worker, today)
    if row is None:  # not an owner now: only the lapse notice matters
        lapse = next((n for n in notices if n.kind == RetentionNotice.Kind.LAPSE), None)
        return RetentionStatus(required, None, None, None, False, False, None, sent_on(lapse))
    checked = worker.owner_since <= row.year_start
    warning = next((n for n in notices if n.kind == RetentionNotice.Kind.WARNING and n.year_end == row.year_end), None)
    return RetentionStatus(
        required, row.year_start, row.year_end, row.hours, checked, checked and _behind(row, today, required),
        sent_on(warning), None,
    )
