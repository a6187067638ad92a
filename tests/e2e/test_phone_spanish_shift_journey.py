"""Issue 18: on a 375 px phone a worker switches the portal to Spanish and requests an open
shift; a coordinator confirms it; the worker's confirmation email is in Spanish, with the
shift at the site's local time, and the worker's private calendar feed lists the shift.

The site is in Denver (the co-op keeps its days in California) and the shift is the night of
Saturday 8 March 2031, across the start of daylight saving time: 19:00 MST to 07:00 MDT, 11
hours. A time shown in UTC, in the co-op's zone, or as 12 hours would fail here."""

import re
import urllib.request
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django_scopes import scope
from icalendar import Calendar
from playwright.sync_api import expect

from members.models import CredentialRequirement, CredentialType
from placements.models import Assignment
from placements.services.clients import bill_rate_set, client_create, contract_create
from placements.services.contacts import client_site_add
from placements.services.orders import job_order_create
from tests.members.factories import JobClassificationFactory
from tests.placements.conftest import licensed_worker

# A clock in the real clock's future: Chromium keeps the real clock, and a session cookie
# dated in its past would be dropped (docs/architecture.md, "Tests and the clock").
pytestmark = [pytest.mark.e2e, pytest.mark.today("2031-03-06")]

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
SITE = ZoneInfo("America/Denver")
NIGHT_OF = date(2031, 3, 8)  # Denver's clocks go forward at 02:00 on the 9th
START, END = time(19, 0), time(7, 0)
CLIENT = "Front Range Skilled Nursing"
UNIT = "2 North Telemetry"
SITE_ADDRESS = "1400 Jackson Street, Denver, CO 80206"


@pytest.fixture
def setting(alliedup, alliedup_users):
    """Rosa, a licensed LVN linked to the worker login (English saved, until she switches);
    a Denver client with a unit at its own address; one open LVN night shift there."""
    with scope(cooperative=alliedup):
        lvn = JobClassificationFactory(cooperative=alliedup, code="lvn", name="Licensed Vocational Nurse")
        licence = CredentialType.objects.create(cooperative=alliedup, code="lvn-licence", name="LVN licence")
        CredentialRequirement.objects.create(cooperative=alliedup, credential_type=licence, classification=lvn)
        user = alliedup_users["worker"]
        worker = licensed_worker(alliedup, lvn, licence, user=user, email=user.email, first_name="Rosa", last_name="Delgado")
        client = client_create(cooperative=alliedup, name=CLIENT, time_zone=SITE.key, address="900 Main Office Way, Denver, CO 80202")
        site = client_site_add(client=client, name=UNIT, address=SITE_ADDRESS)
        contract = contract_create(client=client, reference="FRSN-2031", starts_on=NIGHT_OF - timedelta(days=60))
        bill_rate_set(contract=contract, classification=lvn, effective_from=NIGHT_OF - timedelta(days=60), regular_rate="52.00")
        order = job_order_create(contract=contract, classification=lvn, site=site, starts_on=NIGHT_OF, ends_on=NIGHT_OF,
                                 shift_start=START, shift_end=END)
        shift = order.shifts.get()
    assert alliedup.time_zone != SITE.key  # the site's zone, not the co-op's, must show
    return {"worker": worker, "shift": shift}


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_worker_in_spanish_takes_a_shift_and_gets_it_in_email_and_calendar(
    new_page, live_server, sign_in, alliedup, alliedup_users, setting, mailoutbox
):
    coop = alliedup.slug
    worker, shift = setting["worker"], setting["shift"]

    # The worker opens the open shifts in English and switches to Spanish in the header.
    phone = new_page(**PHONE)
    sign_in(phone, alliedup_users["worker"])
    phone.goto(live_server.url + reverse("placements:open_shifts", args=[coop]))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Open shifts I qualify for")
    phone.get_by_role("button", name="Español").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Turnos disponibles para mí")
    assert phone.locator("html").get_attribute("lang") == "es"
    alliedup_users["worker"].refresh_from_db()
    assert alliedup_users["worker"].language == "es"

    # The shift, at the site's time, in Spanish; requested with one tap.
    expect(phone.get_by_role("heading", level=2, name="sábado 8 de marzo")).to_be_visible()
    card = phone.locator(".shift-card").filter(has_text=CLIENT)
    expect(card).to_contain_text("19:00–07:00")
    expect(card).to_contain_text("(termina al día siguiente)")
    expect(card).to_contain_text("MST")
    assert _fits(phone)
    card.get_by_role("button", name=re.compile(r"^Solicitar turno de Licensed Vocational Nurse en .*, sáb 8 mar 19:00$")).tap()
    expect(card).to_contain_text("Solicitado: el personal lo confirmará.")
    with scope(cooperative=alliedup):
        assignment = Assignment.objects.get(shift=shift)
    assert (assignment.worker_id, assignment.status) == (worker.pk, Assignment.Status.ACCEPTED)
    assert mailoutbox == []  # a request is not a confirmation

    # A coordinator (English, on a desktop) confirms the request on the shift's page.
    desk = new_page()
    sign_in(desk, alliedup_users["coordinator"])
    desk.goto(live_server.url + reverse("placements:shift_detail", args=[coop, shift.uuid]))
    desk.get_by_role("button", name="Confirm Rosa Delgado").click()
    expect(desk.locator(".messages")).to_contain_text("Rosa Delgado's assignment is confirmed.")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CONFIRMED

    # Exactly one email, to the worker, in her language although the coordinator's is English.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [worker.email]
    assert message.subject == f"{alliedup.name}: turno confirmado en {CLIENT} el sáb 8 mar a las 19:00"
    assert message.body.startswith("Hola, Rosa:\n")
    assert "Su turno está confirmado:" in message.body
    assert "Cuándo:  sábado 8 de marzo de 2031, 19:00–07:00 (termina al día siguiente), hora de America/Denver" in message.body
    assert f"Dónde: {CLIENT}, {UNIT}" in message.body
    assert SITE_ADDRESS in message.body
    assert "Si no puede ir, avise a coordinación de la cooperativa" in message.body
    assert "Your shift is confirmed" not in message.body

    # My schedule, in Spanish: the worker gets her calendar link, shown once.
    phone.goto(live_server.url + reverse("placements:my_schedule", args=[coop]))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Mi horario")
    phone.get_by_role("button", name="Obtener mi enlace de calendario").tap()
    link = phone.get_by_label(re.compile("^O copie esta dirección en su aplicación de calendario"))
    expect(link).to_have_value(re.compile(r"/cal/[A-Za-z0-9_-]+\.ics$"))
    assert _fits(phone)
    url = link.input_value()
    assert url.startswith(f"{live_server.url}/cal/")

    # A calendar app fetches it without any cookie: one event, at the site's wall-clock
    # times in its zone, 11 hours long (the clocks go forward overnight), at the unit's address.
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/calendar")
        feed = Calendar.from_ical(response.read())
    events = feed.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == f"assignment-{assignment.uuid}@coop-ops"
    assert event["dtstart"].params["TZID"] == event["dtend"].params["TZID"] == SITE.key
    starts, ends = event.decoded("dtstart"), event.decoded("dtend")
    assert starts.replace(tzinfo=None) == datetime(2031, 3, 8, 19, 0)
    assert ends.replace(tzinfo=None) == datetime(2031, 3, 9, 7, 0)
    assert (starts, ends) == (datetime(2031, 3, 8, 19, 0, tzinfo=SITE), datetime(2031, 3, 9, 7, 0, tzinfo=SITE))
    assert (starts, ends) == (assignment.starts_at, assignment.ends_at)
    assert ends.astimezone(UTC) - starts.astimezone(UTC) == timedelta(hours=11)  # same tzinfo: subtract in UTC
    assert str(event["location"]) == SITE_ADDRESS
    assert str(event["summary"]) == f"Licensed Vocational Nurse en {CLIENT} · {UNIT}"
    assert str(event["status"]) == "CONFIRMED"
    assert [tz["tzid"] for tz in feed.walk("VTIMEZONE")] == [SITE.key]
