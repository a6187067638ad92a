"""The patronage issue job: posts an approved allocation's lines (resumable, idempotent)."""

from celery import shared_task
from django.db import DatabaseError

from alliedup.models import Cooperative
from alliedup.celery import CooperativeTask
from payroll.patronage.models import PatronageAllocation
from payroll.patronage.services import allocation_issue


# A lost connection or lock timeout retries with back-off; the issue resumes where it stopped.
@shared_task(base=CooperativeTask, bind=True, acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=30, max_retries=5)
def allocation_issue_task(self, *, cooperative: Cooperative, allocation_id: int) -> str:
    allocation = PatronageAllocation.objects.get(pk=allocation_id)
    return allocation_issue(allocation=allocation).status
