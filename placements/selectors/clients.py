"""What a client contact reads: their clients, invoices and home page; clients by id."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum

from alliedup.money import sum_to_cents
from placements.models import (
    Client,
    ClientContact,
    Invoice,
    JobOrder,
    Shift,
)
from placements.selectors.board import local_midnight
from placements.selectors.timesheets import (
    timesheets_awaiting,
    timesheets_submitted,
)


def client_ids_for(cooperative, user) -> set[int]:
    """The clients a user acts for (is a ClientContact of) in this co-op."""
    return set(ClientContact.objects.filter(cooperative=cooperative, user=user).values_list("client_id", flat=True))


def invoices_for_clients(cooperative, client_ids):
    """The issued and paid invoices of these clients: what a client contact may see and
    download (never drafts, nor void invoices)."""
    return Invoice.objects.filter(
        cooperative=cooperative, client_id__in=client_ids, status__in=[Invoice.Status.ISSUED, Invoice.Status.PAID]
    ).select_related("client")


@dataclass(frozen=True)
class ClientHome:
    """What waits for a client contact on their home: timesheets to approve (how many, and
    the oldest few), job orders still running, and issued invoices not paid yet."""

    timesheets_waiting: int
    oldest_waiting: list
    open_orders: int
    open_shifts: int
    unpaid_invoices: int
    unpaid_total: object  # Decimal, to the cent
    overdue_invoices: int


def client_home(cooperative, client_ids, today: date, *, oldest: int = 5) -> ClientHome:
    """The client home's figures for the clients `client_ids` (four queries)."""
    waiting = timesheets_submitted(cooperative, client_ids)
    still_open = Q(shifts__status=Shift.Status.OPEN, shifts__starts_at__gte=local_midnight(today, cooperative.zone))
    orders = JobOrder.objects.filter(cooperative=cooperative, contract__client_id__in=client_ids, ends_on__gte=today).aggregate(
        orders=Count("id", distinct=True), open_shifts=Count("shifts", filter=still_open),
    )
    unpaid = Invoice.objects.filter(cooperative=cooperative, client_id__in=client_ids, status=Invoice.Status.ISSUED).aggregate(
        n=Count("id"), total=Sum("total"), overdue=Count("id", filter=Q(due_on__lt=today)),
    )
    return ClientHome(
        timesheets_waiting=waiting.count(),
        oldest_waiting=list(timesheets_awaiting(cooperative, client_ids=client_ids)[:oldest]),
        open_orders=orders["orders"], open_shifts=orders["open_shifts"],
        unpaid_invoices=unpaid["n"], unpaid_total=sum_to_cents(unpaid["total"]), overdue_invoices=unpaid["overdue"],
    )


def client_uuids(cooperative, client_ids) -> dict:
    """{client id: uuid} of these clients of the co-op. One query."""
    return dict(Client.objects.filter(cooperative=cooperative, pk__in=client_ids).values_list("id", "uuid"))
