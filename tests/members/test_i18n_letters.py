"""The ownership path's letters (email and PDF) in the worker's saved language: sent by tasks,
so rendered inside translation.override(language_for(worker))."""

import io
from datetime import date, timedelta

import pypdf
import pytest
from django.core import mail

from members.services.retention import retention_check
from members.tasks import eligibility_sweep_task
from tests.factories import UserFactory
from tests.members.factories import HoursEntryFactory, WorkerFactory
from tests.members.test_retention import _owner

CHECK = date(2026, 11, 23)


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("language, subject, body, pdf", [
    ("es", "Bienvenida a la candidatura en", "Adjuntamos su carta de bienvenida",
     ["Le invitamos a ser persona socia trabajadora", "23 de noviembre de 2026", "$250.00"]),
    ("en", "Welcome to candidacy at", "Your welcome letter, with the next steps, is attached.",
     ["You are invited to become a worker-owner", "November 23, 2026", "$250.00"]),
])
def test_the_welcome_letter_speaks_the_workers_language(alliedup, ma, django_capture_on_commit_callbacks,
                                                         language, subject, body, pdf):
    worker = WorkerFactory(cooperative=alliedup, classifications=[ma], first_name="Rosa",
                           user=UserFactory(language=language))
    for i in range(35):
        HoursEntryFactory(worker=worker, classification=ma, workday=CHECK - timedelta(days=i), hours="10.00")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert eligibility_sweep_task.delay(cooperative=alliedup.pk, check_date=CHECK.isoformat()).get() == 1
    (letter,) = mail.outbox
    assert letter.subject.startswith(subject) and body in letter.body
    text = _pdf_text(letter.attachments[0][1])
    assert all(p in text for p in pdf), text


def test_the_lapse_notice_speaks_the_workers_language(alliedup, ma, django_capture_on_commit_callbacks):
    worker = _owner(alliedup, ma, user=UserFactory(language="es"), first_name="Rosa")
    HoursEntryFactory(worker=worker, classification=ma, workday=date(2026, 6, 1), hours="12.00")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_check(cooperative=alliedup, today=date(2027, 1, 1)) == [worker]
    (notice,) = mail.outbox
    assert notice.subject.endswith("su condición de persona socia trabajadora venció")
    assert "Apreciable Rosa:" in notice.body and "del 1 de enero de 2026 al 31 de diciembre de 2026" in notice.body
    text = _pdf_text(notice.attachments[0][1])
    assert "Su condición de persona socia trabajadora venció" in text and "12.00 horas" in text
