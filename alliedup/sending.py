"""Send-once for jobs with side effects: claim, send, release the claim if sending fails.

A job claims its row with a conditional update (only one run can flip the "sent" field from
NULL), so a retry or a duplicate delivery sends nothing twice; if the mail server fails,
the claim is released and the task retries later.
"""

from django.db.models import QuerySet
from django.utils import timezone


def claim(rows: QuerySet, field: str) -> bool:
    """Set `field` to now on the row(s) where it is still NULL; True if this call did it."""
    return rows.filter(**{field: None}).update(**{field: timezone.now()}) > 0


def send_or_release(task, message, rows: QuerySet, field: str) -> None:
    """Send `message` (anything with .send()); on a mail error clear `field` again and
    retry `task` (raises celery.exceptions.Retry)."""
    try:
        message.send()
    except OSError as exc:
        rows.update(**{field: None})
        raise task.retry(exc=exc)
