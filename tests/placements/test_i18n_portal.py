"""The worker's shift pages and shift emails in the worker's language (Spanish or English):
docs/architecture.md "Languages"."""

from datetime import date, time

import pytest

from placements.models import Shift
from placements.services.matching import shift_assign
from placements.services.orders import job_order_create
from placements.tasks import shift_reminder_task
from tests.placements.conftest import DAY, licensed_worker

pytestmark = pytest.mark.today("2026-11-23")  # a Monday


@pytest.fixture
def me(alliedup, alliedup_users, lvn, licence):
    return licensed_worker(alliedup, lvn, licence, user=alliedup_users["worker"], first_name="Rosa", last_name="Delgado")


def _shift(contract, lvn, day, times=DAY):
    order = job_order_create(contract=contract, classification=lvn, starts_on=day, ends_on=day,
                             shift_start=times[0], shift_end=times[1])
    return Shift.objects.get(job_order=order)


def _speaking(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def shifts(contract, lvn, me):
    """An open shift on Tuesday Nov 24 and the worker's confirmed shift on Wednesday Nov 25."""
    _shift(contract, lvn, date(2026, 11, 24))
    return shift_assign(shift=_shift(contract, lvn, date(2026, 11, 25)), worker=me)


@pytest.mark.parametrize("language, expected, absent", [
    ("es", ["Turnos disponibles para mí", "martes 24 de noviembre", ">Solicitar</button>", "07:00–15:30"], "Open shifts I qualify for"),
    ("", ["Open shifts I qualify for", "Tuesday, Nov 24", ">Request</button>", "07:00–15:30"], "Turnos disponibles"),
])
def test_open_shifts_in_the_workers_language(shifts, alliedup_users, login, language, expected, absent):
    page = login(_speaking(alliedup_users["worker"], language)).get("/c/alliedup/placements/me/shifts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert all(e in text for e in expected), [e for e in expected if e not in text]
    assert absent not in text


@pytest.mark.parametrize("language, expected, absent", [
    ("es", ["Mi horario", "Próximos", "mié 25 nov", "Eastbay Skilled Nursing", "Los horarios son los del centro del cliente.", "Mis credenciales"], "Coming up"),
    ("", ["My schedule", "Coming up", "Wed, Nov 25", "Eastbay Skilled Nursing", "Times are at the client's site.", "My credentials"], "Próximos"),
])
def test_my_schedule_in_the_workers_language(shifts, alliedup_users, login, language, expected, absent):
    page = login(_speaking(alliedup_users["worker"], language)).get("/c/alliedup/placements/me/schedule/")
    assert page.status_code == 200
    text = page.content.decode()
    assert all(e in text for e in expected), [e for e in expected if e not in text]
    assert absent not in text


@pytest.mark.parametrize("language, subject, body", [
    ("es", "su turno en Eastbay Skilled Nursing el lun 23 nov a las 15:00", ["Hola, Rosa:", "Le recordamos su turno:", "lunes 23 de noviembre de 2026"]),
    ("", "your shift at Eastbay Skilled Nursing on Mon Nov 23 at 15:00", ["Hello Rosa,", "A reminder of your shift:", "Monday, November 23, 2026"]),
])
def test_the_shift_reminder_email_speaks_the_workers_language(alliedup, contract, lvn, me, alliedup_users, mailoutbox,
                                                                django_capture_on_commit_callbacks, language, subject, body):
    """Sent by a task (no request): the worker's saved language, whatever the sender's."""
    _speaking(alliedup_users["worker"], language)
    shift_assign(shift=_shift(contract, lvn, date(2026, 11, 23), times=(time(15, 0), time(23, 0))), worker=me)
    with django_capture_on_commit_callbacks(execute=True):
        assert shift_reminder_task.delay(cooperative=alliedup.pk).get() == 1
    (message,) = mailoutbox
    assert message.to == [me.email] and subject in message.subject
    assert all(b in message.body for b in body), message.body


def test_a_failed_request_says_why_in_spanish(contract, lvn, me, alliedup_users, login):
    """Errors from the services come back in the worker's language too."""
    shift = _shift(contract, lvn, date(2026, 11, 24))
    mine = _shift(contract, lvn, date(2026, 11, 24))  # the same hours: the second overlaps
    shift_assign(shift=mine, worker=me)
    client = login(_speaking(alliedup_users["worker"], "es"))
    response = client.post(f"/c/alliedup/placements/me/shifts/{shift.uuid}/request/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Ya trabaja de" in response.content.decode()

