"""The timesheet queue: timesheets awaiting a client's decision, how many, and the queue's
filter options with their counts."""

from dataclasses import dataclass

from django.db.models import Count

from placements.models import Timesheet


def timesheets_awaiting(cooperative, client_ids=None, *, client_uuid=None, classification_code: str | None = None):
    """Submitted timesheets to approve, oldest first (ties by id, so pages never overlap),
    optionally for some clients only (`client_ids`: the ones a client contact acts for), one
    client (by uuid) or one classification (by code)."""
    qs = timesheets_submitted(cooperative, client_ids)
    if client_uuid is not None:
        qs = qs.filter(assignment__shift__job_order__contract__client__uuid=client_uuid)
    if classification_code:
        qs = qs.filter(assignment__shift__classification__code=classification_code)
    return qs.select_related(
        "assignment__worker", "assignment__shift__classification", "assignment__shift__job_order__contract__client"
    ).order_by("submitted_at", "id")


def timesheets_waiting(cooperative) -> int:
    """How many submitted timesheets wait for a decision (the partial index answers it)."""
    return timesheets_submitted(cooperative).count()


def timesheets_submitted(cooperative, client_ids=None):
    qs = Timesheet.objects.filter(cooperative=cooperative, status=Timesheet.Status.SUBMITTED)
    if client_ids is not None:
        qs = qs.filter(assignment__shift__job_order__contract__client_id__in=client_ids)
    return qs


@dataclass(frozen=True)
class QueueOption:
    """A client or classification with timesheets waiting: `value` is the client's uuid (as
    text) or the classification's code."""

    value: str
    label: str
    waiting: int


@dataclass(frozen=True)
class QueueCounts:
    """How many submitted timesheets wait, per (client uuid, classification code)."""

    cells: dict[tuple[str, str], int]
    clients: list[QueueOption]
    classifications: list[QueueOption]

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def matching(self, client_uuid=None, classification_code: str | None = None) -> int:
        """How many wait for this client and/or classification (None: any)."""
        client = str(client_uuid) if client_uuid is not None else None
        return sum(n for (c, k), n in self.cells.items() if client in (None, c) and classification_code in (None, "", k))


def timesheet_queue_counts(cooperative, client_ids=None) -> QueueCounts:
    """The waiting timesheets counted per client and classification, in one query: the
    queue's total, its filters' options and the count of any filtered page (so paging needs
    no COUNT of its own)."""
    rows = (
        timesheets_submitted(cooperative, client_ids)
        .values(
            "assignment__shift__job_order__contract__client__uuid", "assignment__shift__job_order__contract__client__name",
            "assignment__shift__classification__code", "assignment__shift__classification__name",
        )
        .annotate(waiting=Count("id"))
        .order_by()
    )
    cells: dict[tuple[str, str], int] = {}
    clients: dict[str, list] = {}
    classifications: dict[str, list] = {}
    for row in rows:
        client = str(row["assignment__shift__job_order__contract__client__uuid"])
        code = row["assignment__shift__classification__code"]
        cells[(client, code)] = row["waiting"]
        clients.setdefault(client, [row["assignment__shift__job_order__contract__client__name"], 0])[1] += row["waiting"]
        classifications.setdefault(code, [row["assignment__shift__classification__name"], 0])[1] += row["waiting"]

    def options(found):
        return sorted((QueueOption(value, label, n) for value, (label, n) in found.items()), key=lambda o: (o.label.lower(), o.value))

    return QueueCounts(cells=cells, clients=options(clients), classifications=options(classifications))
