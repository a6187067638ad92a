"""The demo data of `make run`: two cooperatives and one user for each role in each.

Idempotent: every row is looked up by its natural key first, so running it twice creates
nothing twice. Later issues extend `seed()` with their own demo rows.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django_scopes import scope, scopes_disabled

from alliedup import services
from alliedup.models import Cooperative, Role, User
from members import demo as members_demo
from payroll import demo as payroll_demo
from placements import demo as placements_demo

COOPERATIVES = [
    ("alliedup", "AlliedUP Cooperative", "America/Los_Angeles"),
    ("nursescan", "NursesCan Cooperative", "America/Los_Angeles"),
]
PASSWORD = "coop-demo-{role}"


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


@transaction.atomic
def seed() -> list[DemoLogin]:
    """Create (or find) the demo cooperatives and users; return the logins to print."""
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
                users[role] = _user(email, password, f"{role.title()} {name.split()[0]}")
                services.role_grant(cooperative=coop, user=users[role], role=role)
                logins.append(DemoLogin(slug, role, email, password))
            with scope(cooperative=coop):
                members_demo.seed(coop, users[Role.WORKER])
                placements_demo.seed(coop, users[Role.CLIENT])
                payroll_demo.seed(coop)
        # One person in both co-ops, to show the cooperative picker.
        both = _user("two-coops@example.com", "coop-demo-two", "Dana Two-Coops")
        services.role_grant(cooperative=Cooperative.objects.get(slug="alliedup"), user=both, role=Role.WORKER)
        services.role_grant(cooperative=Cooperative.objects.get(slug="nursescan"), user=both, role=Role.COORDINATOR)
        logins.append(DemoLogin("alliedup + nursescan", "worker / coordinator", both.email, "coop-demo-two"))
    return logins
