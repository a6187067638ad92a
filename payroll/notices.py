"""What payroll tells workers, through notifications (docs/notifications.md): "your pay
statement is ready" once a run is approved. services/runs_approve.py calls the hook inside its
transaction; the task runs on commit and reads the run again, so a run not final tells
nobody. Each statement is told once (notifications.deliver)."""

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from alliedup.celery import CooperativeTask
from alliedup.models import Cooperative
from notifications import services as notifications
from notifications.services import Kind, Notice
from payroll.models import PayRun, PayStatement


def pay_statements_ready(*, run: PayRun) -> None:
    """Hook: a pay run was approved, every worker in it may read their statement."""
    notifications.queue(pay_statement_task, cooperative_id=run.cooperative_id, run_id=run.pk)


def pay_statement_notices(*, cooperative: Cooperative, run_id: int) -> list[Notice]:
    """Each worker with a statement in the run, once the run is approved (or exported).
    Subject: "statement:<id>"."""
    statements = (PayStatement.objects.filter(cooperative=cooperative, run_id=run_id, run__status__in=PayRun.FINAL)
                  .select_related("worker__user", "run__period").order_by("id"))
    url = notifications.absolute_url(reverse("payroll:my_statements", args=[cooperative.slug]))
    return [Notice(s.worker, f"statement:{s.pk}", {"statement": s, "period": s.run.period, "statements_url": url})
            for s in statements]


def pay_statements_send(*, cooperative: Cooperative, run_id: int, task, now=None) -> int:
    """Tell the run's workers (see pay_statement_notices); returns how many messages went out."""
    return notifications.deliver(cooperative=cooperative, kind=Kind.PAY_STATEMENT, task=task, now=now or timezone.now(),
                                 notices=pay_statement_notices(cooperative=cooperative, run_id=run_id))


# The task lives here, not in payroll/tasks.py, so that services/runs_approve.py can queue it without
# importing the tasks module, which imports the services.
@shared_task(base=CooperativeTask, bind=True, max_retries=3, default_retry_delay=60)
def pay_statement_task(self, *, cooperative: Cooperative, run_id: int) -> int:
    """On commit of an approval: tell each worker in the run; returns how many messages went out."""
    return pay_statements_send(cooperative=cooperative, run_id=run_id, task=self)
