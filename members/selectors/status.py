"""Status over time: who was in which status on a day, and worker-owners' periods for SQL
joins (patronage)."""

import bisect
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from operator import itemgetter

from django.db import connection

from alliedup.models import Cooperative
from members.models import MemberStatus, MemberStatusChange, Worker


def owners_on(cooperative: Cooperative, day: date) -> set[int]:
    """Ids of the workers who were worker-owners on `day` (StatusHistory's rules). Two queries."""
    return StatusHistory(cooperative, day).in_status_on(MemberStatus.OWNER, day)


def employed(counts: dict[str, int]) -> int:
    """Of a day's counts by status (StatusHistory.counts_on), the employed: any status but withdrawn."""
    return sum(n for status, n in counts.items() if status != MemberStatus.WITHDRAWN)


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
        self._sorted_steps: list[tuple[date, str, int]] | None = None
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
        return self.counts_on_days([day])[day]

    def counts_on_days(self, days: Iterable[date]) -> dict[date, dict[str, int]]:
        """{day: counts_on(day)} for many days in one sweep over every worker's steps, sorted
        once, instead of a pass over every worker per day (a dashboard asks for 24 days)."""
        steps = self._steps()
        running: dict[str, int] = defaultdict(int)
        out, i = {}, 0
        for day in sorted(set(days)):
            while i < len(steps) and steps[i][0] <= day:
                _, status, delta = steps[i]
                running[status] += delta
                i += 1
            out[day] = {status: n for status, n in running.items() if n}
        return out

    def _steps(self) -> list[tuple[date, str, int]]:
        """(day, status, +1 or -1): a worker enters a status on a change's day and leaves it on
        the next change's, so summing the steps up to a day gives that day's counts (a day with
        two changes nets to the later one, as counts_on's last change wins)."""
        if self._sorted_steps is None:
            steps = []
            for days, statuses in self._timeline.values():
                for j, (day, status) in enumerate(zip(days, statuses)):
                    steps.append((day, status, 1))
                    if j + 1 < len(days):
                        steps.append((days[j + 1], status, -1))
            steps.sort(key=itemgetter(0))
            self._sorted_steps = steps
        return self._sorted_steps

    def employed_on(self, day: date) -> int:
        return self.employed_on_days([day])[day]

    def employed_on_days(self, days: Iterable[date]) -> dict[date, int]:
        """{day: workers in any status but withdrawn}."""
        return {day: employed(counts) for day, counts in self.counts_on_days(days).items()}

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
