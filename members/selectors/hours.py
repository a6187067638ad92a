"""The hours ledger toward ownership: the rolling window, totals from the monthly rollup and the
ledger's edges, progress toward the threshold, and the sums other apps read (design § 2)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, models
from django.db.models import DateField, DecimalField, ExpressionWrapper, F, Min, Q, Sum
from django.db.models.functions import Cast, TruncMonth

from alliedup.models import Cooperative
from alliedup.money import ZERO, sum_to_cents
from members.models import (
    Candidacy,
    HoursEntry,
    HoursMonth,
    JobClassification,
    MemberStatus,
    Worker,
)



def candidacy_window(cooperative: Cooperative, check_date: date) -> tuple[date, date]:
    """The rolling window that counts toward the threshold: the `candidacy_lookback_days`
    days ending on (and including) `check_date`. Default: 365 days."""
    return check_date - timedelta(days=cooperative.candidacy_lookback_days - 1), check_date


def _never_candidates(cooperative: Cooperative):
    """Active employees who never had a candidacy: the ones the threshold can still open one for."""
    return Worker.objects.filter(cooperative=cooperative, status=MemberStatus.EMPLOYEE, is_active=True).exclude(
        pk__in=Candidacy.objects.filter(cooperative=cooperative).values("worker_id")
    )


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _minus_hours() -> ExpressionWrapper:
    """A ledger row's hours negated: the days a window takes out of a month of the rollup."""
    return ExpressionWrapper(-F("hours"), output_field=DecimalField(max_digits=9, decimal_places=2))


def _days(span: tuple[date, date]) -> int:
    return (span[1] - span[0]).days + 1


def window_parts(start: date, end: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]], list[tuple[date, date]]]:
    """How to sum the hours ledger from `start` to `end` (both included) from the monthly
    rollup (HoursMonth): (first and last month, their first days, to take from the rollup, or
    None), [ledger day ranges to add], [ledger day ranges to subtract].

    A partial month at either edge costs ledger rows: the part inside the window is added, or
    the whole month is taken from the rollup and the part outside subtracted, whichever has
    fewer days, so at most about half a month of ledger rows is read at each edge. A window
    within one month is read from the ledger alone."""
    if start > end:
        return None, [], []
    first_month, last_month = start.replace(day=1), end.replace(day=1)
    if first_month == last_month:
        return None, [(start, end)], []
    add, subtract = [], []
    lo, hi = first_month, last_month
    if start != first_month:
        inside, outside = (start, _month_end(first_month)), (first_month, start - timedelta(days=1))
        if _days(inside) <= _days(outside):
            add.append(inside)
            lo = inside[1] + timedelta(days=1)
        else:
            subtract.append(outside)
    if end != _month_end(last_month):
        inside, outside = (last_month, end), (end + timedelta(days=1), _month_end(last_month))
        if _days(inside) <= _days(outside):
            add.append(inside)
            hi = (last_month - timedelta(days=1)).replace(day=1)
        else:
            subtract.append(outside)
    return ((lo, hi) if lo <= hi else None), add, subtract


def hours_totals_sql(cooperative_id: int, windows) -> tuple[str, list]:
    """SQL of (w, c, total): the co-op's hours ledger summed per worker (w) and classification
    (c) over `windows`, an iterable of (first day, last day, Q on the ledger's worker_id
    restricting whose hours count in that window), reversals netted: exactly the ledger's
    sums, read from the monthly rollup for whole months and from the ledger for the partial
    edges (`window_parts`). A pair may appear with a total of 0. PostgreSQL and SQLite; the
    total is the SQL sum (floating point on SQLite: read it with `sum_to_cents`)."""
    months, added, subtracted = Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[])
    for start, end, whose in windows:
        span, add, subtract = window_parts(start, end)
        if span:
            months |= whose & Q(month__gte=span[0], month__lte=span[1])
        for first, last in add:
            added |= whose & Q(workday__gte=first, workday__lte=last)
        for first, last in subtract:
            subtracted |= whose & Q(workday__gte=first, workday__lte=last)
    columns = {"w": F("worker_id"), "c": F("classification_id")}
    parts = [
        HoursMonth.objects.filter(cooperative_id=cooperative_id).filter(months).annotate(**columns, h=F("hours")),
        HoursEntry.objects.filter(cooperative_id=cooperative_id).filter(added).annotate(**columns, h=F("hours")),
        HoursEntry.objects.filter(cooperative_id=cooperative_id).filter(subtracted)
        .annotate(**columns, h=_minus_hours()),
    ]
    union = parts[0].order_by().values_list("w", "c", "h").union(
        *(p.order_by().values_list("w", "c", "h") for p in parts[1:]), all=True)
    sql, params = union.query.sql_with_params()
    return f"SELECT w, c, SUM(h) AS total FROM ({sql}) u GROUP BY w, c", list(params)


def hours_rollup_mismatches(cooperative_id: int) -> list[tuple[int, int, date, Decimal, Decimal]]:
    """[(worker id, classification id, month, ledger hours, rollup hours)] wherever the co-op's
    monthly rollup differs from its ledger (a month missing on one side counts as 0.00), by
    worker, classification and month: empty when they agree. Two queries over the whole
    ledger: a check for the rebuild command and the tests, not for pages."""
    ledger = {
        (w, c, m): sum_to_cents(total)
        for w, c, m, total in HoursEntry.objects.filter(cooperative_id=cooperative_id).annotate(m=TruncMonth("workday"))
        .values("worker_id", "classification_id", "m").annotate(total=Sum("hours")).order_by()
        .values_list("worker_id", "classification_id", "m", "total")
    }
    rollup = {
        (w, c, m): sum_to_cents(total)
        for w, c, m, total in HoursMonth.objects.filter(cooperative_id=cooperative_id)
        .values_list("worker_id", "classification_id", "month", "hours")
    }
    return sorted(
        (*key, ledger.get(key, ZERO), rollup.get(key, ZERO))
        for key in ledger.keys() | rollup.keys() if ledger.get(key, ZERO) != rollup.get(key, ZERO)
    )


def _window_totals(cooperative: Cooperative, check_date: date, *, at_least: Decimal, order: str, limit: int | None = None):
    """[(worker id, classification id, total)] of the employees who never had a candidacy,
    their hours in one classification within the window ending on `check_date` (reversals
    netted) of at least `at_least`, in `order` (SQL over w, c, total). One query."""
    start, end = candidacy_window(cooperative, check_date)
    whose = Q(worker_id__in=_never_candidates(cooperative).values("pk"))
    sql, params = hours_totals_sql(cooperative.pk, [(start, end, whose)])
    # CAST: SQLite compares its floating-point sum with a number, not with the text it binds a Decimal as.
    sql = f"SELECT w, c, total FROM ({sql}) t WHERE total >= CAST(%s AS NUMERIC) ORDER BY {order}"
    params.append(at_least)
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(w, c, sum_to_cents(total)) for w, c, total in cursor.fetchall()]


def newly_eligible(cooperative: Cooperative, check_date: date) -> list[dict]:
    """Employees whose hours in ONE classification within the window reach the threshold,
    and who never had a candidacy: [{worker_id, classification_id, total}], one row per
    worker (their classification with the most hours; ties by classification id).

    One aggregate query over the monthly rollup and the window's edges in the ledger;
    reversals are negative entries, so they net out. A worker whose candidacy lapsed is not
    reopened automatically (staff may reopen).
    """
    rows = _window_totals(cooperative, check_date, at_least=cooperative.candidacy_hours_threshold, order="w, total DESC, c")
    best: dict[int, dict] = {}
    for worker_id, classification_id, total in rows:
        best.setdefault(worker_id, {"worker_id": worker_id, "classification_id": classification_id, "total": total})
    return list(best.values())


@dataclass(frozen=True)
class ClassificationProgress:
    classification: JobClassification
    hours: Decimal
    threshold: Decimal
    window_start: date
    lookback_days: int
    oldest_workday: date | None

    @property
    def percent(self) -> int:
        return min(100, int(self.hours * 100 / self.threshold)) if self.threshold else 0

    @property
    def reached(self) -> bool:
        return self.hours >= self.threshold

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.threshold - self.hours)

    @property
    def oldest_falls_out_on(self) -> date | None:
        """The first check date on which the oldest hours counted now no longer count:
        a workday W counts while W >= check_date - lookback + 1."""
        if self.oldest_workday is None:
            return None
        return self.oldest_workday + timedelta(days=self.lookback_days)


def worker_hours_progress(worker: Worker, check_date: date) -> list[ClassificationProgress]:
    """Hours toward the threshold in each classification the worker holds (window ending
    on `check_date`), with the oldest workday counted, in one query."""
    cooperative = worker.cooperative
    start, end = candidacy_window(cooperative, check_date)
    sums = {
        row["classification_id"]: row
        for row in HoursEntry.objects.filter(worker=worker, workday__gte=start, workday__lte=end)
        .values("classification_id")
        .annotate(total=Sum("hours"), oldest=Min("workday"))
    }
    result = []
    for wc in worker.worker_classifications.select_related("classification").order_by("classification__name"):
        row = sums.get(wc.classification_id, {})
        progress = ClassificationProgress(
            classification=wc.classification,
            hours=sum_to_cents(row.get("total")),  # exact on SQLite too (alliedup.money.sum_to_cents)
            threshold=cooperative.candidacy_hours_threshold,
            window_start=start,
            lookback_days=cooperative.candidacy_lookback_days,
            oldest_workday=row.get("oldest"),
        )
        result.append(progress)
    return result


@dataclass(frozen=True)
class NearThreshold:
    worker: Worker
    classification: JobClassification
    hours: Decimal
    percent: int


def near_threshold(cooperative: Cooperative, check_date: date, *, share=Decimal("0.75"), limit=50) -> list[NearThreshold]:
    """Employees without a candidacy whose hours in one classification are at least `share`
    of the threshold (highest first). Three queries whatever the number of workers."""
    threshold = cooperative.candidacy_hours_threshold
    rows = _window_totals(cooperative, check_date, at_least=threshold * share, order="total DESC, w", limit=limit)
    workers = Worker.objects.in_bulk({w for w, _, _ in rows})
    classifications = JobClassification.objects.in_bulk({c for _, c, _ in rows})
    return [
        NearThreshold(
            worker=workers[w], classification=classifications[c], hours=total, percent=min(100, int(total * 100 / threshold)),
        )
        for w, c, total in rows
    ]


def hours_ledger(worker: Worker):
    """The worker's ledger, newest first, with what each entry reverses."""
    return worker.hours_entries.select_related("classification", "posted_by").order_by("-workday", "-id")


def best_hours_progress(worker: Worker, check_date: date) -> ClassificationProgress | None:
    """The classification in which the worker is closest to the ownership threshold (hours in
    different classifications never add up, design § 2), or None without a classification."""
    return max(worker_hours_progress(worker, check_date), key=lambda p: p.hours, default=None)


def hours_rows(cooperative_id: int, first_day: date, last_day: date):
    """(worker_id, workday, hours) of the co-op's hours ledger from `first_day` to `last_day`: a
    queryset, so a caller may use it as a subquery (patronage counts hours worked from it)."""
    return HoursEntry.objects.filter(cooperative_id=cooperative_id, workday__gte=first_day, workday__lte=last_day).values_list(
        "worker_id", "workday", "hours"
    )


def hours_toward_ownership(cooperative: Cooperative, check_date: date, *, worker_ids, classification_id: int) -> dict[int, Decimal]:
    """{worker id: hours in the classification counting toward the ownership threshold on
    `check_date`} (the `candidacy_window` ending that day, reversals netted); a worker without
    such hours is absent. One query whatever the number of workers."""
    start, end = candidacy_window(cooperative, check_date)
    return {
        worker_id: sum_to_cents(total)
        for worker_id, total in HoursEntry.objects.filter(
            worker_id__any_of=worker_ids, classification_id=classification_id, workday__gte=start, workday__lte=end,
        ).values("worker_id").annotate(total=Sum("hours")).values_list("worker_id", "total")
    }


def ledger_entry(*, source: str, source_ref: str) -> HoursEntry:
    """The hours ledger's standing entry posted from this source document (not a reversal).
    Raises HoursEntry.DoesNotExist when none was posted. One query."""
    return HoursEntry.objects.get(source=source, source_ref=source_ref, reverses=None)


def hours_by_classification(worker_ids, *, before: date) -> dict[tuple[int, int], Decimal]:
    """{(worker id, classification id): every hour of the ledger on workdays before `before`}
    (reversals netted, opening balances included); a pair without hours is absent. One query."""
    return {
        (worker_id, classification_id): total
        for worker_id, classification_id, total in HoursEntry.objects.filter(worker_id__any_of=worker_ids, workday__lt=before)
        .values_list("worker_id", "classification_id").annotate(total=Sum("hours"))
        .values_list("worker_id", "classification_id", "total")
    }


def days_worked(worker_ids, *, first_day: date, before: date) -> dict[int, tuple[Decimal, int]]:
    """{worker id: (hours, workdays)} worked from `first_day` to the day before `before`,
    counting the ledger's standing entries only (neither reversed nor reversing) and leaving
    out opening balances (a roster import's months of hours on one date are no workday); a
    worker with none is absent. One query."""
    rows = (
        HoursEntry.objects.filter(worker_id__any_of=worker_ids, workday__gte=first_day, workday__lt=before,
                                  reverses__isnull=True, reversed_by__isnull=True)
        .exclude(source=HoursEntry.Source.OPENING)
        .values("worker_id").annotate(hours=Sum("hours"), days=models.Count("workday", distinct=True))
        .values_list("worker_id", "hours", "days")
    )
    return {worker_id: (hours, days) for worker_id, hours, days in rows}


def monthly_hours_by_classification(cooperative: Cooperative, first_day: date, last_day: date) -> list[dict]:
    """The co-op's hours ledger for workdays from `first_day` to `last_day` summed by calendar
    month and job classification, reversing entries included (corrected hours count once) and
    opening balances (a roster import's months of hours on one date) left out:
    [{"month": its first day, "classification_code", "classification_name", "hours": the SQL
    sum}] by month and classification name; a month whose hours are none (or net to zero) has
    no row. One query, whose cost follows months rather than entries: whole months come from
    the monthly rollup (HoursMonth, which holds every entry) less the opening balances in them
    (a partial index finds those few), and the partial months at the edges from the ledger
    (`window_parts`)."""
    span, add, subtract = window_parts(first_day, last_day)
    ledger = HoursEntry.objects.filter(cooperative=cooperative)
    opening = Q(source=HoursEntry.Source.OPENING)
    negative = _minus_hours()
    month = Cast(TruncMonth("workday"), DateField())  # a date, as HoursMonth.month (DATE_TRUNC gives a timestamp)
    parts = []  # querysets of (month, classification id, hours) whose sum is the answer
    if span:
        parts.append(HoursMonth.objects.filter(cooperative=cooperative, month__gte=span[0], month__lte=span[1])
                     .annotate(m=F("month"), h=F("hours")))
        parts.append(ledger.filter(opening, workday__gte=span[0], workday__lte=_month_end(span[1]))
                     .annotate(m=month, h=negative))
    for days, sign in [*((d, F("hours")) for d in add), *((d, negative) for d in subtract)]:
        parts.append(ledger.exclude(opening).filter(workday__gte=days[0], workday__lte=days[1])
                     .annotate(m=month, h=sign))
    if not parts:
        return []
    columns = [p.order_by().values_list("m", "classification_id", "h") for p in parts]
    union, params = columns[0].union(*columns[1:], all=True).query.sql_with_params()
    table = JobClassification._meta.db_table
    sql = (f"SELECT u.m, c.code, c.name, SUM(u.h) FROM ({union}) u JOIN {table} c ON c.id = u.classification_id "
           "GROUP BY u.m, c.code, c.name HAVING SUM(u.h) <> 0 ORDER BY u.m, c.name")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Raw rows: SQLite (the demo) gives the month as text and the sum as a float.
    return [{"month": m if isinstance(m, date) else date.fromisoformat(str(m)[:10]), "classification_code": code,
             "classification_name": name, "hours": sum_to_cents(hours)} for m, code, name, hours in rows]
