"""Reads of the ownership path, for pages, the API, tasks and other apps."""

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, models
from django.db.models import DecimalField, Exists, ExpressionWrapper, F, Min, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear, Lower, TruncMonth
from django.utils.translation import gettext_lazy as _

from alliedup.models import Cooperative
from alliedup.money import sum_to_cents
from members.models import (
    AgreementSignature, Candidacy, CredentialRequirement, CredentialType, EquityAccount, EquityEntry, HoursEntry, HoursMonth,
    JobClassification, MemberStatus, MemberStatusChange, MembershipAgreement, Worker, WorkerClassification, WorkerCredential,
)

ZERO = Decimal("0.00")


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
        .annotate(**columns, h=ExpressionWrapper(-F("hours"), output_field=DecimalField(max_digits=9, decimal_places=2))),
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


def worker_for_user(cooperative: Cooperative, user) -> Worker | None:
    """The employee record linked to a user's account in this cooperative, if any."""
    if not user.is_authenticated:
        return None
    return Worker.objects.filter(cooperative=cooperative, user=user).select_related("cooperative").first()


def open_candidacy(worker: Worker) -> Candidacy | None:
    return (
        Candidacy.objects.filter(worker=worker, status=Candidacy.Status.OPEN)
        .select_related("classification")
        .first()
    )


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


def open_candidacies(cooperative: Cooperative):
    """Open candidacies, soonest deadline first, with worker and classification loaded."""
    return (
        Candidacy.objects.filter(cooperative=cooperative, status=Candidacy.Status.OPEN)
        .select_related("worker", "classification")
        .order_by("deadline", "id")
    )


ROSTER_MAX_WORDS = 5


def worker_roster(cooperative: Cooperative, *, query: str = "", status: str = ""):
    """The co-op's workers (separated ones too) by last and first name, for staff to find a
    record: each word of `query` must appear in the first name, last name or email
    (case-insensitive; the first ROSTER_MAX_WORDS words count); `status` one of MemberStatus,
    anything else lists every status. Their classifications come prefetched by name."""
    rows = Worker.objects.filter(cooperative=cooperative)
    if status in MemberStatus.values:
        rows = rows.filter(status=status)
    for word in query.split()[:ROSTER_MAX_WORDS]:
        rows = rows.filter(
            models.Q(first_name__icontains=word) | models.Q(last_name__icontains=word) | models.Q(email__icontains=word)
        )
    return rows.order_by("last_name", "first_name", "id").prefetch_related(
        models.Prefetch("classifications", queryset=JobClassification.objects.order_by("name"))
    )


def recent_owners(cooperative: Cooperative, since: date):
    return Worker.objects.filter(cooperative=cooperative, status=MemberStatus.OWNER, owner_since__gte=since).order_by("-owner_since")


def status_counts(cooperative: Cooperative) -> dict[str, int]:
    """How many active workers are at each step of the path (one query)."""
    counts = {s: 0 for s in MemberStatus.values}
    rows = Worker.objects.filter(cooperative=cooperative, is_active=True).values("status").annotate(n=models.Count("id"))
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def hours_ledger(worker: Worker):
    """The worker's ledger, newest first, with what each entry reverses."""
    return worker.hours_entries.select_related("classification", "posted_by").order_by("-workday", "-id")


def current_agreement(cooperative: Cooperative, on: date):
    """The agreement version in effect on `on` (the highest version already effective)."""
    return (
        MembershipAgreement.objects.filter(cooperative=cooperative, effective_from__lte=on).order_by("-version").first()
    )


@dataclass(frozen=True)
class EquitySummary:
    buy_in: Decimal
    paid: Decimal
    waived: Decimal
    owed: Decimal
    plan: str

    @property
    def status(self) -> str:
        if self.owed == 0:
            return "waived" if self.waived > 0 else "paid"
        return "in progress" if self.paid > 0 else "not started"

    @property
    def status_label(self) -> str:
        """The status in the reader's language (`status` stays the API's value)."""
        return EQUITY_STATUS_LABELS.get(self.status, self.status)

    @property
    def plan_label(self) -> str:
        return dict(EquityAccount.Plan.choices).get(self.plan, self.plan)


EQUITY_STATUS_LABELS = {
    "paid": _("paid"), "waived": _("waived"), "in progress": _("in progress"), "not started": _("not started"),
}


def equity_summary(account) -> EquitySummary:
    """Paid, waived and owed, derived from the ledger (one query). Reversals cancel the
    entry they point at: a reversed payment is negative 'paid', a reversed waiver negative
    'waived'."""
    return _summary(account, account.entries.values_list("kind", "amount", "reverses__kind"))


def _summary(account, rows) -> EquitySummary:
    """The summary over (kind, amount, kind of the reversed entry) rows."""
    paid = waived = ZERO
    for kind, amount, reversed_kind in rows:
        effective = reversed_kind if kind == EquityEntry.Kind.REVERSAL else kind
        if effective == EquityEntry.Kind.WAIVER:
            waived += amount
        else:
            paid += amount
    return EquitySummary(buy_in=account.buy_in, paid=paid, waived=waived, owed=account.buy_in - paid - waived, plan=account.plan)


@dataclass(frozen=True)
class ScheduledInstallment:
    number: int
    due_on: date
    amount: Decimal
    covered: Decimal  # how much of it the payments so far cover

    @property
    def is_paid(self) -> bool:
        return self.covered >= self.amount


def installment_schedule(account, paid: Decimal) -> list[ScheduledInstallment]:
    """The schedule with payments applied in order (oldest installment first)."""
    left, rows = paid, []
    for inst in account.installments.order_by("number"):
        covered = min(left, inst.amount)
        left -= covered
        rows.append(ScheduledInstallment(inst.number, inst.due_on, inst.amount, covered))
    return rows


def required_credentials(classification_ids) -> dict[int, list]:
    """{classification id: [CredentialType, …]} the classifications require (one query)."""
    required: dict[int, list] = {}
    for req in CredentialRequirement.objects.filter(classification_id__in=classification_ids).select_related("credential_type"):
        required.setdefault(req.classification_id, []).append(req.credential_type)
    return required


def credentials_valid_until(worker_ids, credential_type_ids=None) -> dict[tuple[int, int], date]:
    """{(worker id, credential type id): the last day the worker holds that credential}:
    the latest expiry among their copies, `date.max` when one never expires. A pair that is
    absent is a credential not on file. One query."""
    rows = WorkerCredential.objects.filter(worker_id__in=worker_ids)
    if credential_type_ids is not None:
        rows = rows.filter(credential_type_id__in=credential_type_ids)
    valid_until: dict[tuple[int, int], date] = {}
    for worker_id, type_id, expires_on in rows.values_list("worker_id", "credential_type_id", "expires_on"):
        key = (worker_id, type_id)
        valid_until[key] = max(valid_until.get(key, date.min), expires_on or date.max)
    return valid_until



def worker_by_uuid(cooperative: Cooperative, worker_uuid) -> Worker | None:
    """The co-op's worker with this UUID (user and co-op loaded), or None. One query."""
    return Worker.objects.filter(cooperative=cooperative, uuid=worker_uuid).select_related("user", "cooperative").first()


def workers_by_id(worker_ids) -> dict[int, Worker]:
    """{worker id: Worker} with the user loaded (their language, for messages). One query."""
    return Worker.objects.select_related("user").in_bulk(list(worker_ids))


def workers_hired_in(cooperative: Cooperative, classification_ids) -> dict[int, set[int]]:
    """{worker id: {classification id, …}}: the active workers (not withdrawn) hired in any of
    `classification_ids`, and in which of them. One query."""
    hired: dict[int, set[int]] = {}
    for worker_id, classification_id in WorkerClassification.objects.filter(
        cooperative=cooperative, classification_id__in=classification_ids, worker__is_active=True,
    ).exclude(worker__status=MemberStatus.WITHDRAWN).values_list("worker_id", "classification_id"):
        hired.setdefault(worker_id, set()).add(classification_id)
    return hired


@dataclass(frozen=True)
class CredentialRunningOut:
    worker: Worker  # with the user loaded
    credential_type: CredentialType
    valid_until: date  # the last day of the last copy on file


def credentials_running_out(cooperative: Cooperative, first_day: date, last_day: date) -> list[CredentialRunningOut]:
    """The credentials of active workers (not withdrawn) whose last copy on file runs out
    between `first_day` and `last_day`, by worker and type: a renewal on file with a later
    date means none; types that do not expire are left out. Four queries."""
    pairs = set(WorkerCredential.objects.filter(
        cooperative=cooperative, expires_on__gte=first_day, expires_on__lte=last_day, worker__is_active=True,
        credential_type__expires=True,
    ).exclude(worker__status=MemberStatus.WITHDRAWN).values_list("worker_id", "credential_type_id"))
    if not pairs:
        return []
    valid_until = credentials_valid_until({w for w, t in pairs}, {t for w, t in pairs})
    running_out = {pair: valid_until[pair] for pair in pairs if first_day <= valid_until.get(pair, date.max) <= last_day}
    if not running_out:
        return []
    types = CredentialType.objects.in_bulk({t for w, t in running_out})
    workers = workers_by_id({w for w, t in running_out})
    return [CredentialRunningOut(workers[w], types[t], until) for (w, t), until in sorted(running_out.items())]


def candidacies_closing(cooperative: Cooperative, first_day: date, last_day: date) -> list[Candidacy]:
    """Open candidacies whose deadline falls between the two days, soonest first, each
    annotated `signed` (the membership agreement is signed for it) and `equity_chosen` (the
    worker has an equity account), with worker, user and classification loaded. One query."""
    return list(
        Candidacy.objects.filter(cooperative=cooperative, status=Candidacy.Status.OPEN, deadline__gte=first_day,
                                 deadline__lte=last_day)
        .annotate(signed=Exists(AgreementSignature.objects.filter(candidacy=OuterRef("pk"))),
                  equity_chosen=Exists(EquityAccount.objects.filter(worker=OuterRef("worker"))))
        .select_related("worker__user", "classification").order_by("deadline", "id")
    )

@dataclass(frozen=True)
class EquityOverview:
    summary: EquitySummary
    schedule: list[ScheduledInstallment]
    entries: models.QuerySet  # newest first, with who recorded each


def equity_overview(worker: Worker) -> EquityOverview | None:
    """The worker's equity account as pages and the API show it, or None if not opened."""
    account = EquityAccount.objects.filter(worker=worker).first()
    if account is None:
        return None
    summary = equity_summary(account)
    return EquityOverview(
        summary=summary,
        schedule=installment_schedule(account, summary.paid),
        entries=account.entries.select_related("recorded_by").order_by("-effective_on", "-id"),
    )


def installments_due(worker_ids, on: date) -> dict[int, tuple]:
    """{worker id: (EquityAccount, amount due)} for installment plans with money due by `on`:
    the installments due by then less what is paid or waived, never more than is owed.
    Payroll deducts these; three queries for any number of workers."""
    accounts = list(
        EquityAccount.objects.filter(worker_id__in=worker_ids, plan=EquityAccount.Plan.INSTALLMENTS)
        .prefetch_related("installments", "entries__reverses")
    )
    due = {}
    for account in accounts:
        summary = _summary(account, ((e.kind, e.amount, e.reverses.kind if e.reverses else None) for e in account.entries.all()))
        scheduled = sum((i.amount for i in account.installments.all() if i.due_on <= on), ZERO)
        amount = min(scheduled - summary.paid - summary.waived, summary.owed)
        if amount > 0:
            due[account.worker_id] = (account, amount)
    return due


def owners_on(cooperative: Cooperative, day: date) -> set[int]:
    """Ids of the workers who were worker-owners on `day` (StatusHistory's rules). Two queries."""
    return StatusHistory(cooperative, day).in_status_on(MemberStatus.OWNER, day)


class StatusHistory:
    """Every worker's status on any day up to `until`, from the status history
    (MemberStatusChange), loaded in two queries.

    A worker's status on day D is the `to_status` of their last change effective on or
    before D (ties by when it was recorded). Before their first change a worker is what that
    change moved them from (an employee if it does not say) from their hire date, and nobody
    before their hire date. A worker with no history at all (imported) is an employee from
    the hire date and a worker-owner from `owner_since` if set. Employed = any status but
    withdrawn."""

    def __init__(self, cooperative: Cooperative, until: date):
        self._timeline: dict[int, tuple[list[date], list[str]]] = {}
        changes = defaultdict(list)
        for worker_id, from_status, to_status, effective_on in (
            MemberStatusChange.objects.filter(cooperative=cooperative, effective_on__lte=until)
            .order_by("worker_id", "effective_on", "changed_at", "id")
            .values_list("worker_id", "from_status", "to_status", "effective_on")
        ):
            changes[worker_id].append((from_status, to_status, effective_on))
        for worker_id, hire_date, owner_since in Worker.objects.filter(cooperative=cooperative).values_list("id", "hire_date", "owner_since"):
            rows = changes.get(worker_id)
            if rows:
                days, statuses = [], []
                if hire_date < rows[0][2]:
                    days.append(hire_date)
                    statuses.append(rows[0][0] or MemberStatus.EMPLOYEE)
                for _, to_status, effective_on in rows:
                    days.append(effective_on)
                    statuses.append(to_status)
            elif hire_date <= until:
                days, statuses = [hire_date], [MemberStatus.EMPLOYEE]
                if owner_since is not None and owner_since <= until:
                    days.append(max(owner_since, hire_date))
                    statuses.append(MemberStatus.OWNER)
            else:
                continue
            self._timeline[worker_id] = (days, statuses)
        self._withdrawals = sorted(
            d for days, statuses in self._timeline.values() for d, s in zip(days, statuses) if s == MemberStatus.WITHDRAWN
        )

    def counts_on(self, day: date) -> dict[str, int]:
        """{status: workers in it on `day`} (workers not yet hired are in none)."""
        out: dict[str, int] = defaultdict(int)
        for days, statuses in self._timeline.values():
            i = bisect.bisect_right(days, day)
            if i:
                out[statuses[i - 1]] += 1
        return out

    def employed_on(self, day: date) -> int:
        counts = self.counts_on(day)
        return sum(n for status, n in counts.items() if status != MemberStatus.WITHDRAWN)

    def withdrawals_between(self, first: date, last: date) -> int:
        return bisect.bisect_right(self._withdrawals, last) - bisect.bisect_left(self._withdrawals, first)

    def in_status_on(self, status: str, day: date) -> set[int]:
        """Ids of the workers in `status` on `day`."""
        found = set()
        for worker_id, (days, statuses) in self._timeline.items():
            i = bisect.bisect_right(days, day)
            if i and statuses[i - 1] == status:
                found.add(worker_id)
        return found

    def periods(self, status: str, first: date, last: date) -> dict[int, list[tuple[date, date]]]:
        """{worker id: [(first day, last day) in `status`]} clipped to [first, last]; a change
        away from the status ends it the day before the change takes effect."""
        found: dict[int, list[tuple[date, date]]] = {}
        for worker_id, (days, statuses) in self._timeline.items():
            ends = days[1:] + [last + timedelta(days=1)]
            spans = [(max(begin, first), min(end - timedelta(days=1), last))
                     for begin, end, s in zip(days, ends, statuses) if s == status]
            spans = [(b, e) for b, e in spans if b <= e]
            if spans:
                found[worker_id] = spans
        return found



def best_hours_progress(worker: Worker, check_date: date) -> ClassificationProgress | None:
    """The classification in which the worker is closest to the ownership threshold (hours in
    different classifications never add up, design § 2), or None without a classification."""
    return max(worker_hours_progress(worker, check_date), key=lambda p: p.hours, default=None)


# Read by patronage (its units of patronage and capital accounts) ---------------------------------


def hours_rows(cooperative_id: int, first_day: date, last_day: date):
    """(worker_id, workday, hours) of the co-op's hours ledger from `first_day` to `last_day`: a
    queryset, so a caller may use it as a subquery (patronage counts hours worked from it)."""
    return HoursEntry.objects.filter(cooperative_id=cooperative_id, workday__gte=first_day, workday__lte=last_day).values_list(
        "worker_id", "workday", "hours"
    )


def equity_paid(worker: Worker) -> Decimal:
    """The equity buy-in the worker paid in (payments and deductions, reversals netted; a waiver
    is not paid), 0.00 without an equity account. Two queries at most."""
    account = EquityAccount.objects.filter(worker=worker).first()
    return equity_summary(account).paid if account else ZERO


def owner_periods_sql(cooperative_id: int, first_day: date, last_day: date) -> tuple[str, list]:
    """SQL of (worker_id, begins, ends): each worker's periods as a worker-owner clipped to
    `first_day`…`last_day` (an empty one has begins > ends), for a caller to join in SQL.

    The rules of StatusHistory, written in SQL (tests/patronage/test_patronage_scale.py checks
    the two agree): a worker's status is the `to_status` of their last change effective on or
    before a day (ties by changed_at, id), until the day before the next change; before the
    first change, what it moved them from, from the hire date; with no change up to the last
    day, an owner from `owner_since` (not before the hire date). PostgreSQL, and SQLite for the
    demo."""
    changes, workers = MemberStatusChange._meta.db_table, Worker._meta.db_table
    if connection.vendor == "sqlite":
        greatest, day_before = "MAX", "date(next_on, '-1 day')"
    else:
        greatest, day_before = "GREATEST", "next_on - 1"
    sql = f"""
        WITH changes AS (
            SELECT worker_id, from_status, to_status, effective_on,
                   ROW_NUMBER() OVER w AS n, LEAD(effective_on) OVER w AS next_on
            FROM {changes}
            WHERE cooperative_id = %s AND effective_on <= %s
            WINDOW w AS (PARTITION BY worker_id ORDER BY effective_on, changed_at, id)
        ), spans (worker_id, begins, next_on) AS (
            SELECT worker_id, effective_on, next_on FROM changes WHERE to_status = %s
            UNION ALL
            SELECT c.worker_id, w.hire_date, c.effective_on
            FROM changes c JOIN {workers} w ON w.id = c.worker_id
            WHERE c.n = 1 AND w.hire_date < c.effective_on AND c.from_status = %s
            UNION ALL
            SELECT w.id, {greatest}(w.owner_since, w.hire_date), NULL FROM {workers} w
            WHERE w.cooperative_id = %s AND w.hire_date <= %s AND w.owner_since <= %s
              AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.worker_id = w.id)
        )
        SELECT worker_id, {greatest}(begins, %s) AS begins, COALESCE({day_before}, %s) AS ends FROM spans"""
    # next_on is never after the last day (later changes are left out): an open span ends with it.
    coop, first, last, owner = cooperative_id, first_day, last_day, MemberStatus.OWNER
    return sql, [coop, last, owner, owner, coop, last, last, first, last]


def classifications_by_code(cooperative: Cooperative) -> dict[str, JobClassification]:
    """The co-op's job classifications, active or not, by their code in lower case. One query."""
    return {c.code.lower(): c for c in JobClassification.objects.filter(cooperative=cooperative)}


def worker_names_by_email(cooperative: Cooperative, emails) -> dict[str, tuple[str, str]]:
    """{email in lower case: (first name, last name)} of the co-op's workers whose email, in
    lower case, is one of `emails` (given in lower case). One query."""
    return {
        email: (first, last)
        for email, first, last in Worker.objects.filter(cooperative=cooperative)
        .annotate(lower_email=Lower("email")).filter(lower_email__in=emails)
        .values_list("lower_email", "first_name", "last_name")
    }


# Read by placements (matching, shift changes, timesheets, forms) ------------------------------


def hours_toward_ownership(cooperative: Cooperative, check_date: date, *, worker_ids, classification_id: int) -> dict[int, Decimal]:
    """{worker id: hours in the classification counting toward the ownership threshold on
    `check_date`} (the `candidacy_window` ending that day, reversals netted); a worker without
    such hours is absent. One query whatever the number of workers."""
    start, end = candidacy_window(cooperative, check_date)
    return {
        worker_id: sum_to_cents(total)
        for worker_id, total in HoursEntry.objects.filter(
            worker_id__in=worker_ids, classification_id=classification_id, workday__gte=start, workday__lte=end,
        ).values("worker_id").annotate(total=Sum("hours")).values_list("worker_id", "total")
    }


def classifications_held(worker_ids, *, classification_ids=None) -> dict[int, set[int]]:
    """{worker id: {classification id, …}} the workers are hired in, whatever their status
    (only `classification_ids` when given); a worker hired in none is absent. One query."""
    rows = WorkerClassification.objects.filter(worker_id__in=worker_ids)
    if classification_ids is not None:
        rows = rows.filter(classification_id__in=classification_ids)
    held: dict[int, set[int]] = {}
    for worker_id, classification_id in rows.values_list("worker_id", "classification_id"):
        held.setdefault(worker_id, set()).add(classification_id)
    return held


def active_workers_qs(cooperative: Cooperative, *, hired_in: int | None = None, not_hired_in: int | None = None):
    """The co-op's active workers (any status; `is_active`) by last name, first name and id, a
    QuerySet for the caller to count and page: only those hired in classification id
    `hired_in`, or only those not hired in `not_hired_in`, when given. Lazy."""
    rows = Worker.objects.filter(cooperative=cooperative, is_active=True)
    if hired_in is not None:
        rows = rows.filter(worker_classifications__classification_id=hired_in)
    if not_hired_in is not None:
        rows = rows.exclude(worker_classifications__classification_id=not_hired_in)
    return rows.order_by("last_name", "first_name", "pk")


def portal_workers_hired_in(cooperative_id: int, classification_id: int, *, exclude_worker_id: int | None = None) -> list[Worker]:
    """The co-op's active workers (not withdrawn) hired in the classification who have a
    portal account, by name, less `exclude_worker_id`. One query."""
    rows = Worker.objects.filter(cooperative_id=cooperative_id, is_active=True, user__isnull=False,
                                 worker_classifications__classification_id=classification_id)
    if exclude_worker_id is not None:
        rows = rows.exclude(pk=exclude_worker_id)
    return list(rows.exclude(status=MemberStatus.WITHDRAWN).order_by("last_name", "first_name", "pk").distinct())


def workers_locked(worker_ids) -> list[Worker]:
    """The workers with these ids, by id, their rows locked (SELECT … FOR UPDATE) until the
    caller's transaction ends: what serialises two writes about one worker (their bookings,
    timesheets, calendar link). Locking by id keeps two callers from waiting on each other.
    One query; call it inside a transaction."""
    return list(Worker.objects.select_for_update().filter(pk__in=list(worker_ids)).order_by("pk"))


def credentials_expiring(cooperative: Cooperative, first_day: date, last_day: date) -> list[WorkerCredential]:
    """The credentials on file of active workers expiring from `first_day` to `last_day`,
    less those already renewed (another copy of the type that never expires or runs past
    `last_day`), by expiry and worker name, with worker and type loaded. One query."""
    renewed = WorkerCredential.objects.filter(worker=OuterRef("worker"), credential_type=OuterRef("credential_type")).filter(
        models.Q(expires_on__isnull=True) | models.Q(expires_on__gt=last_day)
    )
    return list(
        WorkerCredential.objects.filter(cooperative=cooperative, worker__is_active=True, expires_on__gte=first_day,
                                        expires_on__lte=last_day)
        .filter(~Exists(renewed))
        .select_related("worker", "credential_type")
        .order_by("expires_on", "worker__last_name", "worker__first_name")
    )


def classifications_qs(cooperative=None, *, active_only: bool = False, ids=None):
    """Job classifications by name, a QuerySet for a form's choices: the co-op's (`cooperative`,
    a Cooperative or its id; None: whatever the open scope shows), only active ones with
    `active_only`, only `ids` (ids or a subquery) when given. Lazy: one query when read;
    `classifications_qs().none()` is an empty one that needs no scope (a form's choices before
    it knows its co-op)."""
    rows = JobClassification.objects.get_queryset()  # not .all(): outside a scope, .none() still works
    if cooperative is not None:
        rows = rows.filter(cooperative=cooperative)
    if active_only:
        rows = rows.filter(is_active=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows


def classification_by_code(cooperative: Cooperative, code: str, *, active_only: bool = False) -> JobClassification | None:
    """The co-op's job classification with exactly this code (an active one with
    `active_only`), or None. One query."""
    rows = JobClassification.objects.filter(cooperative=cooperative, code=code)
    if active_only:
        rows = rows.filter(is_active=True)
    return rows.first()


def ledger_entry(*, source: str, source_ref: str) -> HoursEntry:
    """The hours ledger's standing entry posted from this source document (not a reversal).
    Raises HoursEntry.DoesNotExist when none was posted. One query."""
    return HoursEntry.objects.get(source=source, source_ref=source_ref, reverses=None)


# Read by payroll and governance (wage steps, sick leave caps, the forms' choices) --------------


def workers_qs(cooperative=None, *, status: str | None = None, exclude_status: str | None = None):
    """The workers (any status, separated ones too), a QuerySet for the caller to narrow, order
    or page: the co-op's (`cooperative`, a Cooperative or its id; None: whatever the open scope
    shows), only those in `status`, or not in `exclude_status`, when given. Lazy: one query
    when read; `workers_qs().none()` is an empty one that needs no scope (a form's choices
    before it knows its co-op)."""
    rows = Worker.objects.get_queryset()  # not .all(): outside a scope, .none() still works
    if cooperative is not None:
        rows = rows.filter(cooperative=cooperative)
    if status is not None:
        rows = rows.filter(status=status)
    if exclude_status is not None:
        rows = rows.exclude(status=exclude_status)
    return rows


def wage_steps(worker_ids) -> list[tuple[int, int, int, date]]:
    """(worker id, classification id, wage step staff assigned, hired in it since) for each
    classification the workers are hired in. One query."""
    return list(WorkerClassification.objects.filter(worker_id__in=worker_ids).values_list(
        "worker_id", "classification_id", "wage_step", "since"))


def hours_by_classification(worker_ids, *, before: date) -> dict[tuple[int, int], Decimal]:
    """{(worker id, classification id): every hour of the ledger on workdays before `before`}
    (reversals netted, opening balances included); a pair without hours is absent. One query."""
    return {
        (worker_id, classification_id): total
        for worker_id, classification_id, total in HoursEntry.objects.filter(worker_id__in=worker_ids, workday__lt=before)
        .values_list("worker_id", "classification_id").annotate(total=Sum("hours"))
        .values_list("worker_id", "classification_id", "total")
    }


def days_worked(worker_ids, *, first_day: date, before: date) -> dict[int, tuple[Decimal, int]]:
    """{worker id: (hours, workdays)} worked from `first_day` to the day before `before`,
    counting the ledger's standing entries only (neither reversed nor reversing) and leaving
    out opening balances (a roster import's months of hours on one date are no workday); a
    worker with none is absent. One query."""
    rows = (
        HoursEntry.objects.filter(worker_id__in=worker_ids, workday__gte=first_day, workday__lt=before,
                                  reverses__isnull=True, reversed_by__isnull=True)
        .exclude(source=HoursEntry.Source.OPENING)
        .values("worker_id").annotate(hours=Sum("hours"), days=models.Count("workday", distinct=True))
        .values_list("worker_id", "hours", "days")
    )
    return {worker_id: (hours, days) for worker_id, hours, days in rows}


def primary_classifications(worker_ids) -> dict[int, int]:
    """{worker id: classification id} of the classification each worker has been hired in
    longest (earliest `since`, then the first recorded); a worker hired in none is absent.
    One query."""
    primary: dict[int, int] = {}
    for worker_id, classification_id in (
        WorkerClassification.objects.filter(worker_id__in=worker_ids).order_by("since", "id")
        .values_list("worker_id", "classification_id")
    ):
        primary.setdefault(worker_id, classification_id)
    return primary


def worker_classifications(worker: Worker) -> list[WorkerClassification]:
    """The worker's classifications (wage step, since) with the classification loaded. One query."""
    return list(WorkerClassification.objects.filter(worker=worker).select_related("classification"))


# Read by onboarding and insights (the set-up pages and checklist, the co-op's figures) ---------


def credential_types_qs(cooperative=None):
    """The credential types, a QuerySet for the caller to narrow, order or count: the co-op's
    (`cooperative`, a Cooperative, its id or an OuterRef; None: whatever the open scope
    shows). Lazy: one query when read."""
    rows = CredentialType.objects.all()
    if cooperative is not None:
        rows = rows.filter(cooperative=cooperative)
    return rows


def classification_catalogue_qs(cooperative: Cooperative, *, order: str = "code"):
    """The co-op's job classifications, active or not, ordered by `order` ("code" or "name"),
    each with the credential types it requires prefetched in the same order: a QuerySet (a
    caller may page it or pick one by code). Two queries when read."""
    return JobClassification.objects.filter(cooperative=cooperative).order_by(order).prefetch_related(
        models.Prefetch("required_credentials", queryset=CredentialType.objects.order_by(order))
    )


def credential_type_catalogue_qs(cooperative: Cooperative, *, order: str = "code"):
    """The co-op's credential types ordered by `order` ("code" or "name"), each with the job
    classifications requiring it prefetched in the same order: a QuerySet (a caller may page
    it or pick one by code). Two queries when read."""
    return CredentialType.objects.filter(cooperative=cooperative).order_by(order).prefetch_related(
        models.Prefetch("required_for", queryset=JobClassification.objects.order_by(order))
    )


def credential_type_by_code(cooperative: Cooperative, code: str) -> CredentialType | None:
    """The co-op's credential type with exactly this code, or None. One query."""
    return CredentialType.objects.filter(cooperative=cooperative, code=code).first()


def classifications_with_codes(cooperative: Cooperative, codes) -> dict[str, JobClassification]:
    """{code: classification} of the co-op's job classifications, active or not, whose code
    is exactly one of `codes`; a code not found is absent. One query."""
    return {c.code: c for c in JobClassification.objects.filter(cooperative=cooperative, code__in=codes)}


def installment_plans_count(cooperative: Cooperative) -> int:
    """How many of the co-op's equity accounts are on an installment plan. One query."""
    return EquityAccount.objects.filter(cooperative=cooperative, plan=EquityAccount.Plan.INSTALLMENTS).count()


def monthly_hours_by_classification(cooperative: Cooperative, first_day: date, last_day: date) -> list[dict]:
    """The co-op's hours ledger for workdays from `first_day` to `last_day` summed by calendar
    month and job classification, reversing entries included (corrected hours count once) and
    opening balances (a roster import's months of hours on one date) left out:
    [{"month": its first day, "classification_code", "classification_name", "hours": the SQL
    sum}] by month and classification name; a month without hours has no row. One query."""
    return [
        {"month": r["month"], "classification_code": r["classification__code"],
         "classification_name": r["classification__name"], "hours": r["hours"]}
        for r in HoursEntry.objects.filter(cooperative=cooperative, workday__gte=first_day, workday__lte=last_day)
        .exclude(source=HoursEntry.Source.OPENING)
        .annotate(month=TruncMonth("workday")).values("month", "classification__code", "classification__name")
        .annotate(hours=Sum("hours")).order_by("month", "classification__name")
    ]


def equity_paid_in_by_year(cooperative: Cooperative, last_day: date) -> dict[int, Decimal]:
    """{calendar year: equity paid in} of the co-op's equity ledger, every entry effective on
    or before `last_day`, by year of the effective date: payments and payroll deductions less
    their reversals (waivers are forgiven, not paid, and neither they nor their reversals
    count); the SQL sums; a year without entries is absent. One query."""
    E = EquityEntry.Kind
    return dict(
        EquityEntry.objects.filter(cooperative=cooperative, effective_on__lte=last_day)
        .exclude(kind=E.WAIVER).exclude(kind=E.REVERSAL, reverses__kind=E.WAIVER)
        .annotate(year=ExtractYear("effective_on")).values("year").annotate(t=Sum("amount")).order_by().values_list("year", "t")
    )
