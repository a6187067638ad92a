"""The core's generated rows (cooperatives, users with their addresses, roles, the audit
trail), the run's `Context` and the helpers every generator shares, and what works on the
generated data as a whole: `reset()`, `analyze()`, `generated_parameters()`,
`generated_counts()`. The run itself, and the order of the generators, is
`seeding.generate.generate()`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import ROUND_HALF_UP, Decimal

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django_scopes import scopes_disabled

from alliedup.bulk import BATCH_SIZE, bulk_insert as _bulk, copy_rows
from alliedup.models import AuditEvent, Cooperative, CooperativeRole, Role, User

SLUG_PREFIX = "gen-coop-"
EMAIL_DOMAIN = "{slug}.example.com"
# Every generated user signs in with this password (on a development server, say).
PASSWORD = "coop-generated"

# The people each cooperative has besides its workers (role, how many).
STAFF = (
    (Role.ADMIN, 1),
    (Role.COORDINATOR, 2),
    (Role.PAYROLL, 1),
    (Role.BOARD, 3),
    (Role.CLIENT, 2),
)

FIRST_NAMES = (
    "Maria", "José", "Guadalupe", "Juan", "Rosa", "Luis", "Ana", "Carlos", "Carmen", "Jesús",
    "Angela", "Miguel", "Teresa", "Francisco", "Patricia", "Antonio", "Linda", "David", "Mei",
    "Wei", "Nguyen", "Thanh", "Aisha", "Fatima", "Omar", "Amina", "Kwame", "Abena", "Tamika",
    "Darnell", "Keisha", "Marcus", "Sarah", "Michael", "Jennifer", "James", "Emily", "Robert",
    "Priya", "Arjun", "Sofia", "Mateo", "Valentina", "Diego", "Lucía", "Alejandro", "Hana",
    "Kenji", "Grace", "Samuel", "Esperanza", "Tomás", "Imani", "Jamal", "Leilani", "Kai",
    "Olga", "Dmitri", "Noor", "Yusuf",
)
LAST_NAMES = (
    "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez",
    "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Cruz", "Morales", "Reyes",
    "Nguyen", "Tran", "Le", "Pham", "Chen", "Wang", "Li", "Zhang", "Kim", "Park", "Lee",
    "Santos", "Reyes", "Johnson", "Williams", "Brown", "Jones", "Davis", "Miller", "Wilson",
    "Moore", "Taylor", "Anderson", "Thomas", "Jackson", "White", "Harris", "Okafor", "Mensah",
    "Abdi", "Hassan", "Ali", "Patel", "Singh", "Shah", "Kaur", "Yamamoto", "Tanaka", "Kahale",
    "Ivanova", "Petrov", "Mendoza", "Castillo",
)
CITIES = (
    "Oakland", "Fresno", "Sacramento", "San José", "Stockton", "Salinas", "Modesto", "Riverside",
    "Bakersfield", "Santa Rosa", "Long Beach", "Pomona", "Richmond", "Eureka", "Chico",
    "Visalia", "Merced", "Watsonville", "Vallejo", "Ventura",
)
TRADES = (
    "Home Care", "Nursing", "Hospitality", "Cleaning", "Food Service", "Warehouse",
    "Event Staffing", "Security", "Landscaping", "Childcare",
)
TIME_ZONES = (
    "America/Los_Angeles", "America/Los_Angeles", "America/Los_Angeles", "America/Denver",
    "America/Chicago", "America/New_York",
)


class GeneratedDataExists(Exception):
    """Generated rows are already in the database; reset() them first."""


@dataclass
class Person:
    user: User
    cooperative: Cooperative
    role: str
    joined: datetime


@dataclass
class Context:
    """What one run knows: its sizes and seed, and the rows earlier generators created."""

    seed: int
    cooperatives: int
    workers: int
    weeks: int
    until: datetime
    coops: list[Cooperative] = field(default_factory=list)
    founded: dict[int, datetime] = field(default_factory=dict)  # by cooperative pk
    people: list[Person] = field(default_factory=list)
    roles: list[CooperativeRole] = field(default_factory=list)
    password_hash: str = ""
    # Left by seeding.generate.members: [(Worker, JobClassification, [(workday, hours), …])],
    # the shifts behind the hours ledger, so seeding.generate.placements gives the same shifts
    # timesheets.
    hours_plan: list = field(default_factory=list)

    @property
    def start(self) -> datetime:
        return self.until - timedelta(weeks=self.weeks)

    def rng(self, kind: str) -> random.Random:
        # A string seed is hashed with SHA-512, so it is stable across runs and processes.
        return random.Random(f"{self.seed}:{kind}")

    def in_coop(self, coop: Cooperative, role: str) -> list[Person]:
        return [p for p in self.people if p.cooperative.pk == coop.pk and p.role == role]

    def parameters(self) -> dict:
        return {
            "seed": self.seed, "cooperatives": self.cooperatives, "workers": self.workers,
            "weeks": self.weeks, "until": self.until.isoformat(),
        }


def generated_cooperatives() -> models.QuerySet[Cooperative]:
    return Cooperative.objects.filter(slug__startswith=SLUG_PREFIX)


def generated_users() -> models.QuerySet[User]:
    """Users with an address `…@gen-coop-NNN.example.com`."""
    return User.objects.filter(email__contains=f"@{SLUG_PREFIX}", email__endswith=".example.com")


def reserve_ids(model: type[models.Model], n: int) -> int:
    """Take `n` consecutive primary keys of `model` for rows inserted with explicit ids (COPY
    gives no ids back, and children need their parents' ids); return the first. Generation
    runs alone, so nothing else takes ids in between on other backends either."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = cursor.fetchone()[0]
            if n > 1:
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
            return first
        cursor.execute(f"SELECT MAX({model._meta.pk.column}) FROM {table}")
        return (cursor.fetchone()[0] or 0) + 1


def _ensure_pks(objs: list[User]) -> None:
    """Backends that cannot return ids from a bulk insert leave pk None: look them up by email."""
    if objs and objs[0].pk is None:
        ids = dict(generated_users().values_list("email", "id"))
        for obj in objs:
            obj.pk = ids[obj.email]


def _split(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights`, by largest remainder (the parts sum to total)."""
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _at(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A random moment in [start, end), to the second."""
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rng.randrange(max(seconds, 1)))


# --- The core's generators, the first of seeding.generate.GENERATORS ---------------------


def generate_cooperatives(ctx: Context) -> dict[str, int]:
    """`gen-coop-001`… with plausible names and zones, founded 2 to 13 months before the
    period; their rule settings keep the model defaults."""
    rng = ctx.rng("cooperatives")
    coops, founded = [], {}
    for n in range(1, ctx.cooperatives + 1):
        city, trade = rng.choice(CITIES), rng.choice(TRADES)
        coops.append(
            Cooperative(
                slug=f"{SLUG_PREFIX}{n:03d}",
                name=f"{city} {trade} Cooperative {n:03d}",
                time_zone=rng.choice(TIME_ZONES),
                placements_goal_per_year=rng.randrange(500, 5000, 100),
            )
        )
        founded[coops[-1].slug] = ctx.start - timedelta(days=rng.randrange(60, 400), hours=rng.randrange(24))
    Cooperative.objects.bulk_create(coops, batch_size=BATCH_SIZE)
    for slug, at in founded.items():  # created_at is auto_now_add: bulk_create sets it to now
        Cooperative.objects.filter(slug=slug).update(created_at=at)
    # Reloaded: SQLite before 3.35 returns no ids from a bulk insert.
    ctx.coops = list(generated_cooperatives().order_by("slug"))
    ctx.founded = {coop.pk: coop.created_at for coop in ctx.coops}
    return {"cooperatives": len(ctx.coops)}


def generate_users(ctx: Context) -> dict[str, int]:
    """The staff of each co-op (STAFF) and the workers, spread unevenly: co-op N gets a share
    proportional to 1/N, so the first co-op is the largest and the last the smallest, as real
    co-ops differ (and the benchmarks compare the two)."""
    rng = ctx.rng("users")
    ctx.password_hash = make_password(PASSWORD)  # once: every user shares the hash
    per_coop = _split(ctx.workers, [1 / n for n in range(1, len(ctx.coops) + 1)])
    people: list[Person] = []

    def person(coop: Cooperative, local: str, role: str, joined: datetime) -> Person:
        user = User(
            email=f"{local}@{EMAIL_DOMAIN.format(slug=coop.slug)}",
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            password=ctx.password_hash,
            date_joined=joined,
        )
        return Person(user=user, cooperative=coop, role=role, joined=joined)

    worker_number = 0
    for coop, n_workers in zip(ctx.coops, per_coop):
        founded = ctx.founded[coop.pk]
        for role, count in STAFF:
            for i in range(1, count + 1):
                local = str(role) if count == 1 else f"{role}{i}"
                people.append(person(coop, local, role, _at(rng, founded, ctx.start)))
        for _ in range(n_workers):
            worker_number += 1
            # Two thirds were members before the period; the rest join during it.
            if rng.random() < 2 / 3:
                joined = _at(rng, founded, ctx.start)
            else:
                joined = _at(rng, ctx.start, ctx.until)
            people.append(person(coop, f"w{worker_number:05d}", Role.WORKER, joined))

    users = [p.user for p in people]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    _ensure_pks(users)
    emails = _bulk(
        EmailAddress,
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
    )
    ctx.people = people
    return {"users": len(users), "email_addresses": emails}


def generate_roles(ctx: Context) -> dict[str, int]:
    """One CooperativeRole per person, granted by the co-op's administrator when they joined."""
    admins = {p.cooperative.pk: p.user for p in ctx.people if p.role == Role.ADMIN}
    roles = [
        CooperativeRole(
            cooperative=p.cooperative,
            user=p.user,
            role=p.role,
            granted_by=None if p.role == Role.ADMIN else admins.get(p.cooperative.pk),
            granted_at=p.joined,
        )
        for p in ctx.people
    ]
    CooperativeRole.objects.bulk_create(roles, batch_size=BATCH_SIZE)
    ctx.roles = roles
    return {"roles": len(roles)}


def generate_audit_events(ctx: Context) -> dict[str, int]:
    """The history each co-op's audit trail shows: its creation, each role grant, each week's
    payroll run and, for each worker after joining, placements starting and ending and the
    weekly timesheet submitted and approved: about two events per worker-week worked.

    Written with COPY (alliedup.bulk.copy_rows) as plain rows, in the order they are drawn:
    840,000 AuditEvent instances through bulk_create took over two minutes."""
    return {"audit_events": copy_rows(AuditEvent, _audit_events(ctx))}


def _event(coop_id: int, action: str, actor_id: int | None, object_type: str, object_id: str, object_repr: str,
           created_at: datetime, before: dict | None = None, after: dict | None = None, data: dict | None = None) -> dict:
    """An AuditEvent row as copy_rows takes it (every column given: nothing left to fill in)."""
    return {
        "cooperative_id": coop_id, "action": action, "actor_id": actor_id, "object_type": object_type,
        "object_id": object_id, "object_repr": object_repr[:200], "before": before or {}, "after": after or {},
        "data": data or {}, "created_at": created_at,
    }


def _audit_events(ctx: Context) -> Iterator[dict]:
    rng = ctx.rng("audit_events")
    for coop in ctx.coops:
        admin = ctx.in_coop(coop, Role.ADMIN)[0].user
        coordinators = [p.user for p in ctx.in_coop(coop, Role.COORDINATOR)]
        payroll = ctx.in_coop(coop, Role.PAYROLL)[0].user

        # The run's parameters, so a later run (the benchmarks) can tell whether to reuse.
        yield _event(coop.pk, "alliedup.cooperative.created", None, "alliedup.cooperative", str(coop.pk), coop.name,
                     ctx.founded[coop.pk], data={"generated": ctx.parameters()})
        for role in (r for r in ctx.roles if r.cooperative_id == coop.pk):
            yield _event(
                coop.pk, "alliedup.role.granted", role.granted_by.pk if role.granted_by else None,
                "alliedup.cooperativerole", str(role.pk or ""), f"{role.user.full_name} · {role.get_role_display()}",
                role.granted_at, after={"user": role.user.email, "role": role.role},
            )
        object_ids = iter(range(1, 10**9))
        workers = ctx.in_coop(coop, Role.WORKER)
        for worker in workers:
            yield from _worker_weeks(ctx, rng, coop, worker, rng.choice(coordinators), object_ids)
        yield from _coop_weeks(ctx, rng, coop, admin, payroll, len(workers))


def _worker_weeks(ctx, rng, coop, worker: Person, coordinator, object_ids) -> Iterator[dict]:
    """A worker's weeks: placements of 2–12 weeks with gaps between them, and in each week
    worked a timesheet submitted by the worker and approved (or sent back) by a coordinator."""
    user = worker.user
    name = user.full_name
    weeks_left = 0  # of the current placement
    placement_id = placement_repr = ""
    for week in range(ctx.weeks):
        week_start = ctx.start + timedelta(weeks=week)
        if week_start + timedelta(days=7) <= worker.joined:
            continue  # not yet a member
        day = week_start.date().isoformat()
        events = []
        if weeks_left == 0:
            if rng.random() < 0.5:
                continue  # between placements
            weeks_left = rng.randrange(2, 13)
            placement_id = str(next(object_ids))
            placement_repr = f"Placement from {day} · {name}"
            events.append((
                "placements.placement.started", coordinator, week_start + timedelta(hours=rng.randrange(0, 24)),
                "placements.placement", placement_id, placement_repr,
                {}, {"worker": user.email, "weeks": weeks_left},
            ))
        weeks_left -= 1
        if rng.random() < 0.95:  # sick or off the odd week
            hours = (Decimal(rng.choice((8, 16, 24, 32, 40, 40, 40))) - Decimal(rng.randrange(0, 9)) / 2).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
            timesheet_id = str(next(object_ids))
            submitted = week_start + timedelta(days=6, hours=rng.randrange(8, 20))
            approved = submitted + timedelta(hours=rng.randrange(2, 30))
            repr_ = f"Timesheet of week {day} · {name}"
            events.append((
                "placements.timesheet.submitted", user, submitted, "placements.timesheet", timesheet_id,
                repr_, {"status": "draft"}, {"status": "submitted", "hours": str(hours)},
            ))
            verdict = "approved" if rng.random() < 0.96 else "rejected"
            events.append((
                f"placements.timesheet.{verdict}", coordinator, approved, "placements.timesheet",
                timesheet_id, repr_, {"status": "submitted"}, {"status": verdict},
            ))
        if weeks_left == 0:
            events.append((
                "placements.placement.ended", coordinator, week_start + timedelta(days=6, hours=18),
                "placements.placement", placement_id, placement_repr,
                {"status": "active"}, {"status": "ended"},
            ))
        if rng.random() < 0.02:
            events.append((
                "members.candidacy.opened", coordinator, week_start + timedelta(days=3),
                "members.candidacy", str(next(object_ids)), f"Candidacy · {name}", {}, {"status": "open"},
            ))
        for action, actor, at, object_type, object_id, object_repr, before, after in events:
            if at >= ctx.until:
                continue  # the period ends at `until`: nothing in the future
            yield _event(coop.pk, action, actor.pk, object_type, object_id, object_repr, at, before, after)


def _coop_weeks(ctx, rng, coop, admin, payroll, n_workers: int) -> Iterator[dict]:
    """Each week's payroll run, and the odd settings change by the administrator."""
    for week in range(ctx.weeks):
        week_start = ctx.start + timedelta(weeks=week)
        posted = week_start + timedelta(days=8, hours=rng.randrange(9, 17))
        if posted < ctx.until:
            yield _event(
                coop.pk, "payroll.run.posted", payroll.pk, "payroll.payrollrun", str(week + 1),
                f"Payroll of week {week_start.date().isoformat()}", posted,
                before={"status": "draft"}, after={"status": "posted"},
                data={"paystubs": int(n_workers * rng.uniform(0.6, 0.8))},
            )
        if rng.random() < 0.1:
            goal = coop.placements_goal_per_year
            yield _event(
                coop.pk, "alliedup.cooperative.settings_changed", admin.pk, "alliedup.cooperative", str(coop.pk),
                coop.name, _at(rng, week_start, min(week_start + timedelta(days=7), ctx.until)),
                before={"placements_goal_per_year": goal}, after={"placements_goal_per_year": goal + 100},
            )


# --- The generated data as a whole ---------------------------------------------------------


def default_until() -> datetime:
    return timezone.now().astimezone(dt_timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def analyze() -> None:
    """Bring PostgreSQL to the state autovacuum would reach after a bulk load: fresh planner
    statistics (they still describe empty tables) and, outside a transaction, a vacuum that
    marks pages all-visible (else an index-only COUNT also reads every row from the table:
    the largest co-op's audit trail page took twice as long)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def tenant_models() -> list[tuple[type[models.Model], str]]:
    """Every concrete model with a foreign key to Cooperative (and the name of that key)."""
    found = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Cooperative:
                found.append((model, f.name))
    return found


def reset() -> dict[str, int]:
    """Delete the generated cooperatives, every row that points at them, and the generated
    users; return the numbers deleted by model label. Nothing else is touched.

    Rows go children first: a model whose rows are still protected (on_delete=PROTECT) by
    another's is retried after that one, so models added later need no registration.
    Raises ProtectedError if rows outside the generated data hold on to generated ones.
    """
    deleted: dict[str, int] = {}

    def count(result: tuple[int, dict[str, int]]) -> None:
        for label, n in result[1].items():
            if n:
                deleted[label] = deleted.get(label, 0) + n

    with scopes_disabled(), transaction.atomic():
        coop_ids = list(generated_cooperatives().values_list("pk", flat=True))
        delete_cooperatives(coop_ids, count=count, users=generated_users())
    return deleted


def delete_cooperatives(coop_ids: list[int], *, count: Callable = lambda result: None, users=None) -> None:
    """Delete the cooperatives `coop_ids` with every row pointing at them (and `users`, a
    queryset, before the cooperatives); `count` gets each delete()'s result. Call it with
    scopes disabled, in a transaction."""
    # The audit trail and roles first: the largest tables, and nothing points at them.
    pending = sorted(
        tenant_models(), key=lambda mf: (mf[0] is not AuditEvent, mf[0] is not CooperativeRole)
    )
    while pending:
        blocked = []
        for model, fk in pending:
            try:
                count(model._base_manager.filter(**{f"{fk}__in": coop_ids}).delete())
            except (ProtectedError, RestrictedError):
                blocked.append((model, fk))
        if len(blocked) == len(pending):
            # No progress: the last error names the rows in the way.
            model, fk = blocked[0]
            model._base_manager.filter(**{f"{fk}__in": coop_ids}).delete()
        pending = blocked
    if users is not None:
        count(users.delete())
    count(Cooperative.objects.filter(pk__in=coop_ids).delete())


def generated_parameters() -> dict | None:
    """The parameters (seed, sizes, until) of the generated data in the database, or None."""
    with scopes_disabled():
        event = (
            AuditEvent.objects.filter(
                cooperative__slug=f"{SLUG_PREFIX}001", action="alliedup.cooperative.created"
            )
            .only("data")
            .first()
        )
    return (event.data or {}).get("generated") if event else None


def generated_counts() -> dict[str, int]:
    """Rows of the generated data now in the database, by kind (as generate() counts them),
    plus any other model pointing at the generated co-ops, by model label."""
    with scopes_disabled():
        coops = generated_cooperatives()
        users = generated_users()
        counts = {
            "cooperatives": coops.count(),
            "users": users.count(),
            "email_addresses": EmailAddress.objects.filter(user__in=users).count(),
        }
        names = {CooperativeRole: "roles", AuditEvent: "audit_events"}
        for model, fk in tenant_models():
            key = names.get(model, model._meta.label)
            counts[key] = model._base_manager.filter(**{f"{fk}__in": coops}).count()
    return counts
