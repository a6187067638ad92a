"""A worker switches the portal to Spanish on a 360 px phone: the header's switch, the choice
kept on the account, and every worker page still fitting the phone with the longer words."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.test_phone_width import PHONE, _fits, owner  # noqa: F401 (owner: the fixture)

pytestmark = pytest.mark.e2e

PAGES_ES = [
    ("worker_home", "Hola"),
    ("members:my_ownership", "Mi participación en la cooperativa"),
    ("placements:open_shifts", "Turnos disponibles para mí"),
    ("placements:my_schedule", "Mi horario"),
    ("payroll:my_statements", "Mis recibos de pago"),
    ("payroll:my_sick_leave", "Mi licencia por enfermedad pagada"),
    ("payroll:my_wage", "Mi salario y escalón"),
    ("payroll:patronage:my_capital", "Mi cuenta de capital"),
    ("governance:my_votes", "Mis votaciones"),
    ("notifications:preferences", "Mis notificaciones"),
]


def test_a_worker_reads_the_portal_in_spanish_on_a_phone(owner, alliedup, alliedup_users, live_server, new_page, sign_in):  # noqa: F811
    phone = new_page(**PHONE)
    sign_in(phone, alliedup_users["worker"])
    phone.goto(live_server.url + reverse("worker_home", kwargs={"coop_slug": alliedup.slug}))
    expect(phone.get_by_role("heading", level=2, name="Your path to ownership")).to_be_visible()
    phone.get_by_role("button", name="Español").click()
    expect(phone.get_by_role("heading", level=2, name="Su camino para ser persona socia")).to_be_visible()
    assert phone.locator("html").get_attribute("lang") == "es"
    alliedup_users["worker"].refresh_from_db()
    assert alliedup_users["worker"].language == "es"

    for name, heading in PAGES_ES:
        phone.goto(live_server.url + reverse(name, kwargs={"coop_slug": alliedup.slug}))
        expect(phone.get_by_role("heading", level=1)).to_contain_text(heading)
        _fits(phone, f"{name} in Spanish")

    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("My notifications")
