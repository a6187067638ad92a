"""The demo data of `make run`: two cooperatives, one user for each role in each, and a year
of their history, so every role's first page shows real figures.

Each co-op gets: an employee, a candidate and a worker-owner who sign in (worker@, rosa@,
owner@), more workers and worker-owners, a client with a year of shifts, pay statements and
invoices, this week's timesheets waiting for the client, a board election and a resolution
open for voting, and governance documents (seeding/demo/members.py, placements.py,
payroll.py, governance.py). Dates are relative to the day it runs: the votes are open now,
the history ends today.

Idempotent: every row is looked up by its natural key first, so running it twice creates
nothing twice. It sends no email: what its services would send (the candidate's welcome
letter) goes to an in-memory outbox, so the terminal shows only the logins.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.test.utils import override_settings
from django_scopes import scope, scopes_disabled

from alliedup import services
from alliedup.models import Cooperative, Role, User
from seeding.demo import governance as governance_demo
from seeding.demo import members as members_demo
from seeding.demo import payroll as payroll_demo
from seeding.demo import placements as placements_demo

COOPERATIVES = [
    ("alliedup", "AlliedUP Cooperative", "America/Los_Angeles"),
    ("nursescan", "NursesCan Cooperative", "America/Los_Angeles"),
]
PASSWORD = "coop-demo-{role}"
# Worker logins besides worker@ (the employee): (email local part, label, password).
WORKER_LOGINS = [
    ("rosa", "worker (candidate)", "coop-demo-candidate"),
    ("owner", "worker-owner (votes)", "coop-demo-owner"),
]
VOTER = "owner@alliedup.example.com"  # the login of the voting journey (README, seed_demo's output)


@dataclass
class DemoLogin:
    cooperative: str
    role: str
    email: str
    password: str


def _user(email: str, password: str, full_name: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(email=email, password=password, full_name=full_name)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed() -> list[DemoLogin]:
    """Create (or find) the demo cooperatives, users and history; return the logins to print."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        return _seed()


@transaction.atomic
def _seed() -> list[DemoLogin]:
    logins = []
    with scopes_disabled():
        operator = _user("operator@example.com", "coop-demo-operator", "Platform Operator", superuser=True)
        logins.append(DemoLogin("(all, Django admin)", "operator", operator.email, "coop-demo-operator"))
        for slug, name, tz in COOPERATIVES:
            coop = Cooperative.objects.filter(slug=slug).first() or services.cooperative_create(
                slug=slug, name=name, time_zone=tz
            )
            users = {}
            for role in Role.values:
                email = f"{role}@{slug}.example.com"
                password = PASSWORD.format(role=role)
                full_name = f"{role.title()} {name.split()[0]}"
                if role == Role.WORKER:  # the employee's login is Maria's employee record
                    full_name = f"{members_demo.person('worker').first} {members_demo.person('worker').last}"
                users[role] = _user(email, password, full_name)
                services.role_grant(cooperative=coop, user=users[role], role=role)
                logins.append(DemoLogin(slug, "worker (employee)" if role == Role.WORKER else role, email, password))
            worker_users = {"worker": users[Role.WORKER]}
            for local, label, password in WORKER_LOGINS:
                person = members_demo.person(local)
                email = members_demo.email_of(coop, person)
                worker_users[local] = _user(email, password, f"{person.first} {person.last}")
                services.role_grant(cooperative=coop, user=worker_users[local], role=Role.WORKER)
                logins.append(DemoLogin(slug, label, email, password))
            with scope(cooperative=coop):
                workers = members_demo.seed(coop, worker_users)
                placements_demo.seed(coop, users[Role.CLIENT], users[Role.COORDINATOR], workers)
                members_demo.sweep(coop)
                payroll_demo.seed(coop, users[Role.PAYROLL])
                placements_demo.seed_invoices(coop)
                governance_demo.seed(coop, users[Role.BOARD], workers)
        # One person in both co-ops, to show the cooperative picker.
        both = _user("two-coops@example.com", "coop-demo-two", "Dana Two-Coops")
        services.role_grant(cooperative=Cooperative.objects.get(slug="alliedup"), user=both, role=Role.WORKER)
        services.role_grant(cooperative=Cooperative.objects.get(slug="nursescan"), user=both, role=Role.COORDINATOR)
        logins.append(DemoLogin("alliedup + nursescan", "worker / coordinator", both.email, "coop-demo-two"))
    return logins
