"""The hours ledger: posting worked hours and reversing them. Append-only."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from alliedup.audit import audit_log
from members.models import OPENING_MAX_HOURS, HoursEntry, HoursMonth, JobClassification, Worker, WorkerClassification

MAX_HOURS_PER_DAY = Decimal("24.00")
TWO_PLACES = Decimal("0.01")


def _positive_hours(hours, *, what: str = "Hours worked") -> Decimal:
    """`hours` as a Decimal in hundredths above zero, or a ValidationError on "hours"."""
    try:
        value = Decimal(str(hours))
    except ArithmeticError:
        raise ValidationError({"hours": "Hours must be a number."}) from None
    if value != value.quantize(TWO_PLACES):
        raise ValidationError({"hours": "Hours have at most two decimal places."})
    if value <= 0:
        raise ValidationError({"hours": f"{what} must be more than zero."})
    return value


def _check_hours(hours) -> Decimal:
    value = _positive_hours(hours)
    if value > MAX_HOURS_PER_DAY:
        raise ValidationError({"hours": "A workday has at most 24 hours."})
    return value


@transaction.atomic
def hours_post(
    *, worker: Worker, classification: JobClassification, workday, hours, source: str,
    source_ref: str, posted_by=None, note: str = "",
) -> HoursEntry:
    """Post hours worked by `worker` in `classification` on `workday`; return the entry.

    One entry per (source, source_ref): posting the same approved timesheet again returns
    the existing entry instead of counting it twice; posting *different* figures under a
    used reference raises ValidationError (correct with `hours_reverse` and a new reference).
    """
    value = _check_hours(hours)
    if source not in HoursEntry.Source.values:
        raise ValidationError({"source": f"Unknown source {source!r}."})
    if source == HoursEntry.Source.OPENING:
        raise ValidationError({"source": "An opening balance is posted with hours_opening_post."})
    if not source_ref:
        raise ValidationError({"source_ref": "Every posting names its source document."})
    if worker.cooperative_id != classification.cooperative_id:
        raise ValidationError({"classification": "That classification belongs to another cooperative."})
    if not WorkerClassification.objects.filter(worker=worker, classification=classification).exists():
        raise ValidationError({"classification": f"{worker} is not hired as {classification}."})

    existing = HoursEntry.objects.filter(source=source, source_ref=source_ref, reverses=None).first()
    if existing is not None:
        return _same_or_conflict(existing, worker, classification, workday, value)
    try:
        with transaction.atomic():  # savepoint: a concurrent duplicate loses the race cleanly
            entry = HoursEntry.objects.create(
                cooperative=worker.cooperative, worker=worker, classification=classification,
                workday=workday, hours=value, source=source, source_ref=source_ref,
                posted_by=posted_by, note=note,
            )
    except IntegrityError:
        existing = HoursEntry.objects.get(source=source, source_ref=source_ref, reverses=None)
        return _same_or_conflict(existing, worker, classification, workday, value)
    hours_rollup_add(entry)
    return entry


def opening_hours_most(cooperative, hire_date, through) -> tuple:
    """(first day, most hours) an opening balance ending on `through` can hold: 24 a day
    from the hire date or the window's first day, whichever is later."""
    first = max(hire_date, through - timedelta(days=cooperative.candidacy_lookback_days - 1))
    return first, min(Decimal(((through - first).days + 1) * 24), Decimal(OPENING_MAX_HOURS))


@transaction.atomic
def hours_opening_post(
    *, worker: Worker, classification: JobClassification, hours, through, source_ref: str, posted_by=None,
    note: str = "",
) -> HoursEntry:
    """Post the hours `worker` worked in `classification` before the co-op moved onto the
    platform, as one opening entry dated `through` (the last day they cover); return it.

    The entry counts like any other from that date: toward the threshold while `through` is
    in the window, toward retention in the membership year holding it. Refused
    (ValidationError): not a positive amount in hundredths, more than 24 hours a day from
    the hire date (or the window's first day) to `through`, `through` before the hire or in
    the future, a classification the worker is not hired in, a used reference.
    """
    value = _positive_hours(hours, what="Opening hours")
    cooperative = worker.cooperative
    if through < worker.hire_date:
        raise ValidationError({"through": f"The hours cannot end before the hire date {worker.hire_date}."})
    if through > cooperative.today():
        raise ValidationError({"through": "Hours already worked end today at the latest."})
    first, most = opening_hours_most(cooperative, worker.hire_date, through)
    if value > most:
        raise ValidationError({"hours": f"{value} hours is more than 24 hours a day from {first} to {through} ({most})."})
    if worker.cooperative_id != classification.cooperative_id:
        raise ValidationError({"classification": "That classification belongs to another cooperative."})
    if not WorkerClassification.objects.filter(worker=worker, classification=classification).exists():
        raise ValidationError({"classification": f"{worker} is not hired as {classification}."})
    if HoursEntry.objects.filter(source=HoursEntry.Source.OPENING, source_ref=source_ref, reverses=None).exists():
        raise ValidationError({"source_ref": f"An opening balance {source_ref!r} is posted already."})
    entry = HoursEntry.objects.create(
        cooperative=cooperative, worker=worker, classification=classification, workday=through, hours=value,
        source=HoursEntry.Source.OPENING, source_ref=source_ref, posted_by=posted_by, note=note[:200],
    )
    hours_rollup_add(entry)
    audit_log(
        cooperative=cooperative, action="members.hours.opening_posted", user=posted_by, obj=worker,
        data={"classification": classification.code, "hours": value, "through": through, "source_ref": source_ref},
    )
    return entry


def _same_or_conflict(existing, worker, classification, workday, value) -> HoursEntry:
    if (existing.worker_id, existing.classification_id, existing.workday, existing.hours) == (
        worker.pk, classification.pk, workday, value
    ):
        return existing
    raise ValidationError(
        {"source_ref": "These hours were already posted with other figures; reverse that entry first."}
    )


@transaction.atomic
def hours_reverse(*, entry: HoursEntry, reason: str, reversed_by=None) -> HoursEntry:
    """Cancel `entry` with a negative entry pointing at it; return the reversing entry."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why these hours are reversed."})
    entry = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.reverses_id is not None:
        raise ValidationError("A reversing entry cannot itself be reversed; post the hours again.")
    if HoursEntry.objects.filter(reverses=entry).exists():
        raise ValidationError("These hours have already been reversed.")
    reversal = HoursEntry.objects.create(
        cooperative=entry.cooperative, worker=entry.worker, classification=entry.classification,
        workday=entry.workday, hours=-entry.hours, source=entry.source, source_ref=entry.source_ref,
        reverses=entry, posted_by=reversed_by, note=reason[:200],
    )
    hours_rollup_add(reversal)
    audit_log(
        cooperative=entry.cooperative, action="members.hours.reversed", user=reversed_by, obj=entry,
        data={"hours": entry.hours, "workday": entry.workday, "reason": reason},
    )
    return reversal


# The monthly rollup (HoursMonth) -----------------------------------------------------------------
# Every function above that writes a ledger entry adds it to its month before returning, inside
# its transaction: the rollup commits (or rolls back) with the entry, so it always equals the
# ledger. A writer that loads the ledger in bulk (the generator, the demo) calls
# hours_rollup_rebuild afterwards.


def _month_of(column: str) -> str:
    """SQL of the first day of the month of a date column."""
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS date)"


def hours_rollup_add(entry: HoursEntry) -> None:
    """Add a just-written ledger entry's hours to its (worker, classification, month) in the
    rollup. One upsert read from the stored row; on PostgreSQL it locks that month's row until
    the transaction ends, so two postings to one month add up instead of overwriting. Call it
    inside the transaction that wrote the entry (the ledger services here do)."""
    rollup, ledger = HoursMonth._meta.db_table, HoursEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {rollup} (cooperative_id, worker_id, classification_id, month, hours) "
            f"SELECT cooperative_id, worker_id, classification_id, {_month_of('workday')}, hours FROM {ledger} WHERE id = %s "
            f"ON CONFLICT (cooperative_id, worker_id, classification_id, month) "
            f"DO UPDATE SET hours = ROUND({rollup}.hours + excluded.hours, 2)",
            [entry.pk],
        )


@transaction.atomic
def hours_rollup_rebuild(*, cooperative_ids) -> int:
    """Recompute the rollup of these co-ops (ids) from their ledger: delete their months and
    insert the ledger's sums with one INSERT … SELECT; return the months written.

    On PostgreSQL the ledger is locked against writes (SHARE) until the rebuild commits, so a
    posting cannot land between the sum and its month's row; rebuilding is a repair or a bulk
    load step, seconds for a large co-op."""
    ids = list(cooperative_ids)
    if not ids:
        return 0
    rollup, ledger = HoursMonth._meta.db_table, HoursEntry._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {ledger} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {rollup} WHERE cooperative_id IN ({marks})", ids)
        month = _month_of("workday")
        cursor.execute(
            f"INSERT INTO {rollup} (cooperative_id, worker_id, classification_id, month, hours) "
            f"SELECT cooperative_id, worker_id, classification_id, {month}, ROUND(SUM(hours), 2) FROM {ledger} "
            f"WHERE cooperative_id IN ({marks}) GROUP BY cooperative_id, worker_id, classification_id, {month}",
            ids,
        )
        return cursor.rowcount
