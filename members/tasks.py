"""Jobs of the ownership path. Each loads by id inside its cooperative's scope and calls
one service; beat runs them per co-op through alliedup.tasks.fan_out."""

from datetime import date

from celery import shared_task

from alliedup.celery import CooperativeTask
from alliedup.models import Cooperative
from members.letters import retention_notice_send, welcome_letter_send
from members.services import candidacy as candidacy_services
from members.services.equity import installment_reminders_send
from members.services.retention import retention_check, retention_warning_sweep

# The letters' jobs live beside what sends them (members/letters.py); named here for Celery.
__all__ = [
    "candidacy_expiry_task", "eligibility_sweep_task", "installment_reminder_task", "retention_check_task",
    "retention_notice_send", "retention_warning_task", "welcome_letter_send",
]


@shared_task(base=CooperativeTask)
def eligibility_sweep_task(*, cooperative: Cooperative, check_date: str | None = None) -> int:
    """Nightly: open candidacies for the newly eligible; returns how many were opened."""
    day = date.fromisoformat(check_date) if check_date else cooperative.today()
    return len(candidacy_services.eligibility_sweep(cooperative=cooperative, check_date=day))


@shared_task(base=CooperativeTask)
def candidacy_expiry_task(*, cooperative: Cooperative) -> int:
    """Daily: lapse candidacies past their deadline; returns how many lapsed."""
    return len(candidacy_services.candidacy_expiry_sweep(cooperative=cooperative, today=cooperative.today()))


@shared_task(base=CooperativeTask)
def retention_check_task(*, cooperative: Cooperative) -> int:
    """Daily: lapse owners whose membership year ended yesterday short of the hours."""
    return len(retention_check(cooperative=cooperative, today=cooperative.today()))


@shared_task(base=CooperativeTask)
def retention_warning_task(*, cooperative: Cooperative) -> int:
    """Daily: warn owners behind pace within the warning period (once a year each)."""
    return len(retention_warning_sweep(cooperative=cooperative, today=cooperative.today()))


@shared_task(base=CooperativeTask)
def installment_reminder_task(*, cooperative: Cooperative, days_ahead: int = 7) -> int:
    """Daily: remind workers of an equity installment due within `days_ahead` days and not
    yet covered by their payments; each installment is reminded once."""
    return installment_reminders_send(cooperative=cooperative, today=cooperative.today(), days_ahead=days_ahead)
