"""The worker's pay statement PDF and sick leave email in the worker's language:
docs/architecture.md "Languages". Money prints the same in both."""

import io
from datetime import date, time

import pypdf
import pytest

from payroll.models import PayStatement
from payroll.services.runs_approve import payrun_approve
from payroll.services.runs_calculate import payrun_calculate
from payroll.services.sick_leave import sick_leave_request, sick_leave_request_approve
from tests.payroll.test_sick_requests import seed_balance

pytestmark = pytest.mark.today("2026-11-23")


@pytest.fixture
def own_worker(worker, alliedup_users):
    worker.user = alliedup_users["worker"]
    worker.save(update_fields=["user"])
    return worker


def _speaking(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("language, expected, absent", [
    ("es", ["Recibo de pago", "Periodo de pago", "1 de noviembre de 2026", "horas trabajadas 8.00", "Salario bruto $264.00", "página 1 de 1",
            "Ingresos", "Deducciones", "$264.00"], "Pay period"),
    ("", ["Pay statement", "Pay period", "November 1, 2026", "hours worked 8.00", "Gross wages $264.00", "page 1 of 1",
          "Earnings", "Deductions", "$264.00"], "Periodo de pago"),
])
def test_the_workers_pay_statement_pdf_is_in_their_language(agreement, own_worker, work, period, alliedup_users, login,
                                                            language, expected, absent):
    work(own_worker, date(2026, 11, 2), time(7), time(15))
    run = payrun_approve(run=payrun_calculate(run=period.run), approved_by=alliedup_users["payroll"])
    statement = PayStatement.objects.get(run=run, worker=own_worker)
    client = login(_speaking(alliedup_users["worker"], language))
    response = client.get(f"/c/alliedup/payroll/my/statements/{statement.uuid}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert all(e in text for e in expected), ([e for e in expected if e not in text], text)
    assert absent not in text


@pytest.mark.parametrize("language, subject, body", [
    ("es", "su licencia por enfermedad del 11 nov está aprobada",
     ["Hola, Rosa:", "Su solicitud de 8.00 horas de licencia por enfermedad pagada para el miércoles 11 de noviembre de 2026 está aprobada."]),
    ("", "your sick leave of Nov 11 is approved",
     ["Hello Rosa,", "Your request for 8.00 hours of paid sick leave on Wednesday, November 11, 2026 is approved."]),
])
def test_the_sick_leave_decision_email_is_in_the_workers_language(own_worker, alliedup_users, mailoutbox,
                                                                 django_capture_on_commit_callbacks, language, subject, body):
    _speaking(alliedup_users["worker"], language)
    seed_balance(own_worker, "16")
    asked = sick_leave_request(worker=own_worker, workday=date(2026, 11, 11), hours="8")
    with django_capture_on_commit_callbacks(execute=True):
        sick_leave_request_approve(request=asked, approved_by=alliedup_users["payroll"])
    (message,) = mailoutbox
    assert subject in message.subject
    assert all(b in message.body for b in body), message.body
