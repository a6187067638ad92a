"""The demo of `make run` (seeding/demo/, `manage.py seed_demo`): what a visitor sees in
five minutes with the printed logins, and the demo-only switch for staff two-factor sign-in.

And that seeding twice adds nothing.
"""

import io
import os
import re
import subprocess
import sys
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django_scopes import scope, scopes_disabled

from alliedup.models import Cooperative, CooperativeRole, Role
from alliedup.money import money_text
from governance.models import Election, Resolution, VoterParticipation
from seeding.demo import VOTER, seed

SLUG = "alliedup"


def _signed_in(email: str, password: str) -> Client:
    """A browser signed in with a printed demo login (its real password)."""
    client = Client()
    assert client.login(email=email, password=password)
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo, seeded once for the class (the seed takes about ten seconds): each test runs
    in a savepoint of this transaction, and the whole seed is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        logins = seed()
        yield {login.email: login.password for login in logins}
        transaction.set_rollback(True)


@pytest.fixture
def coop(demo, db):
    with scopes_disabled():
        return Cooperative.objects.get(slug=SLUG)


class TestTheSeededDemo:
    """Seeded once for the class (the `demo` fixture)."""

    def test_worker_owner_login_finds_the_open_election_and_casts_a_ranked_ballot(self, demo, coop):
        client = _signed_in(VOTER, demo[VOTER])
        home = client.get(f"/c/{SLUG}/", follow=True)
        with scope(cooperative=coop):
            election = Election.objects.get(status=Election.Status.VOTING)
            voted_before = VoterParticipation.objects.filter(roll_entry__election=election).count()
        ballot_url = f"/c/{SLUG}/governance/my/elections/{election.uuid}/ballot/"
        assert f'href="{ballot_url}"' in home.content.decode()
        assert election.method == Election.Method.RANKED and election.number_of_seats == 2

        ballot = client.get(ballot_url)
        assert ballot.status_code == 200
        candidates = re.findall(r'<option value="([0-9a-f-]{36})"', ballot.content.decode())
        first, second = list(dict.fromkeys(candidates))[:2]
        review = client.post(ballot_url, {"rank_1": first, "rank_2": second})
        assert review.status_code == 200 and 'name="confirmed"' in review.content.decode()
        receipt = client.post(ballot_url, {"rank_1": first, "rank_2": second, "confirmed": "1"})
        assert receipt.status_code == 200
        assert re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", receipt.content.decode())
        with scope(cooperative=coop):
            assert VoterParticipation.objects.filter(roll_entry__election=election).count() == voted_before + 1
        # Voted: the home no longer offers that ballot.
        assert f'href="{ballot_url}"' not in client.get(f"/c/{SLUG}/me/").content.decode()


    def test_client_home_lists_the_timesheets_waiting_for_their_clients_only(self, demo, coop, login, django_assert_max_num_queries):
        from placements.models import ClientContact
        from placements.services.clients import client_create
        from tests.factories import CooperativeRoleFactory, UserFactory

        client = _signed_in(f"client@{SLUG}.example.com", demo[f"client@{SLUG}.example.com"])
        assert client.get(f"/c/{SLUG}/").url == f"/c/{SLUG}/client-home/"
        with django_assert_max_num_queries(14):
            text = _text(client.get(f"/c/{SLUG}/client-home/"))
        assert "Timesheets to approve: 4" in text
        assert "Maria Alvarez · Medical Assistant" in text
        assert "Open job orders 3" in text
        assert "Unpaid invoices 2 · $" in text
        # The contact of another client of the co-op sees nothing of Eastbay's.
        other = UserFactory(email="contact@lakeside.example.com")
        CooperativeRoleFactory(cooperative=coop, user=other, role="client")
        with scope(cooperative=coop):
            lakeside = client_create(cooperative=coop, name="Lakeside Clinic")
            ClientContact.objects.create(cooperative=coop, client=lakeside, user=other, name="Lakeside contact", email=other.email)
        text = _text(login(other).get(f"/c/{SLUG}/client-home/"))
        assert "Timesheets to approve: 0" in text and "Maria Alvarez" not in text
        assert "Open job orders 0" in text and "Unpaid invoices 0" in text


    def test_board_home_lists_the_open_resolution_and_election(self, demo, coop, django_assert_max_num_queries):
        client = _signed_in(f"board@{SLUG}.example.com", demo[f"board@{SLUG}.example.com"])
        assert client.get(f"/c/{SLUG}/").url == f"/c/{SLUG}/board-home/"
        with django_assert_max_num_queries(12):
            text = _text(client.get(f"/c/{SLUG}/board-home/"))
        with scope(cooperative=coop):
            resolution = Resolution.objects.get(status=Resolution.Status.VOTING)
        assert f"Resolution: {resolution.title} · 2 of 6 voted" in text
        assert "Election: Board election" in text and "3 of 6 voted" in text
        assert f"Operating budget {coop.today().year + 1} (proposed)" in text  # a document to read


@pytest.fixture
def demo_today(db):
    """The demo seeded inside the test, for a test pinned to a day (the class's seed runs at
    the real or moved clock)."""
    return {login.email: login.password for login in seed()}


@pytest.fixture
def coop_today(demo_today):
    with scopes_disabled():
        return Cooperative.objects.get(slug=SLUG)


@pytest.mark.today("2026-11-23")
def test_worker_home_shows_hours_toward_ownership_next_shift_and_last_pay(demo_today, coop_today, django_assert_max_num_queries):
    from payroll.models import PayRun, PayStatement

    client = _signed_in(f"worker@{SLUG}.example.com", demo_today[f"worker@{SLUG}.example.com"])
    with django_assert_max_num_queries(16):
        text = _text(client.get(f"/c/{SLUG}/me/"))
    assert "Hours toward ownership 312.00 of 350.00 h as Medical Assistant · 38.00 h to go" in text
    # The next shift: the one booked two days ahead (Wednesday Nov 25), 07:00 at the client.
    assert "Next shift Wed Nov 25, 07:00–15:30 · Medical Assistant at Eastbay Skilled Nursing" in text
    with scope(cooperative=coop_today):
        last = (PayStatement.objects.filter(worker__email=f"worker@{SLUG}.example.com", run__status__in=PayRun.FINAL)
                .select_related("run__period").order_by("-run__period__starts_on").first())
    assert last.net is not None and last.run.period.pay_date < date(2026, 11, 23)
    assert f"Last pay {money_text(last.net)} net · paid {last.run.period.pay_date:%b} {last.run.period.pay_date.day}, 2026" in text


@pytest.mark.django_db(transaction=True)
def test_seed_prints_the_logins_last_and_no_email(settings, capsys):
    # The console backend is what `make run` uses: every email it sent would print here.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue() + capsys.readouterr().out
    assert "Subject:" not in printed and "Content-Type:" not in printed
    lines = out.getvalue().rstrip("\n").split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("Sign in at "))
    logins = lines[header + 2:]
    assert len(logins) >= 15 and all(re.match(r"  \S.* \S+@\S+ +coop-demo-\S+$", line) for line in logins), lines[header:]
    assert any(VOTER in line for line in logins) and any(VOTER in line for line in lines[:header])


# --- the demo-only switch for staff two-factor sign-in --------------------------------------


def test_banner_tells_staff_and_board_that_two_factor_is_off_in_the_demo(settings, alliedup_users, login):
    settings.DEMO_SKIP_STAFF_MFA = True
    for role in ("admin", "board"):
        assert "Demo: two-factor sign-in is off" in login(alliedup_users[role]).get("/c/alliedup/", follow=True).content.decode()
    assert "Demo: two-factor sign-in is off" not in login(alliedup_users["worker"]).get("/c/alliedup/me/").content.decode()
    settings.DEMO_SKIP_STAFF_MFA = False
    assert "Demo: two-factor sign-in is off" not in login(alliedup_users["admin"]).get("/c/alliedup/staff/").content.decode()


def _settings_in_subprocess(module: str, extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MFA_REQUIRED_ROLES", "DEMO_SKIP_STAFF_MFA")}
    env.update({"DJANGO_SETTINGS_MODULE": module, **extra_env})
    code = "import django; django.setup(); from django.conf import settings; print(settings.MFA_REQUIRED_ROLES)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


PRODUCTION = {
    "SECRET_KEY": "x" * 30 + "abcdefghijklmnopqrstuvwxyz0123456789",
    "ALLOWED_HOSTS": "coop.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize("value", ["true", "false", "1"])
def test_production_refuses_the_demo_switch(value):
    result = _settings_in_subprocess("alliedup.settings.production", {**PRODUCTION, "DEMO_SKIP_STAFF_MFA": value})
    assert result.returncode != 0
    assert "DEMO_SKIP_STAFF_MFA is for the demo of `make run` only" in result.stderr


def test_the_demo_switch_drops_staff_and_board_from_the_requirement():
    on = _settings_in_subprocess("alliedup.settings.base", {"DEMO_SKIP_STAFF_MFA": "true", "MFA_REQUIRED_ROLES": "admin,board,worker"})
    assert on.returncode == 0, on.stderr
    assert on.stdout.strip() == "('worker',)"
    off = _settings_in_subprocess("alliedup.settings.base", {})
    assert off.stdout.strip() == "('admin', 'coordinator', 'payroll', 'board')"


def test_seed_demo_runs_twice_without_duplicates(db, unscoped):
    def counts():  # every table: the year of history (shifts, pay, invoices, votes) included
        with unscoped():
            return {model._meta.label: model._base_manager.count() for model in apps.get_models()}

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = counts()
    assert first["placements.Timesheet"] and first["payroll.PayStatement"] and first["governance.Election"]
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    with unscoped():
        assert set(Cooperative.objects.values_list("slug", flat=True)) == {"alliedup", "nursescan"}
        for slug in ("alliedup", "nursescan"):
            assert set(CooperativeRole.objects.filter(cooperative__slug=slug).values_list("role", flat=True)) == set(Role.values)
