"""Reads of a co-op's set-up: which settings exist and their defaults, which ones history
has locked, and the first-run checklist."""

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from alliedup.models import AuditEvent, Cooperative
from members.selectors import classifications_qs, credential_types_qs, installment_plans_count, workers_qs
from payroll.selectors import current_wage_tables_qs, pay_run_summary
from worktime.selectors import holidays_in_year

# The settings an administrator edits, grouped as the page shows them. Everything else on
# Cooperative (slug, is_active, created_at) is the platform operator's.
SETTINGS_GROUPS: list[tuple[str, list[str]]] = [
    ("The co-op", ["name", "address"]),
    ("Ownership path", [
        "candidacy_hours_threshold", "candidacy_lookback_days", "candidacy_window_days", "equity_buy_in",
        "equity_installments", "ownership_starts_at_first_installment", "retention_hours_per_year", "retention_year",
        "retention_warning_days", "equity_redemption_days", "capital_redemption_installments",
    ]),
    ("Payroll: time cuts and sick leave", [
        "time_zone", "workday_start", "workweek_start", "pay_frequency", "sick_accrual_per_hours_worked",
        "sick_accrual_cap_hours", "sick_accrual_cap_days", "sick_use_cap_hours", "sick_use_cap_days",
        "sick_usable_after_days",
    ]),
    ("Entry guards", ["adjustment_max_amount", "adjustment_max_hours", "timesheet_tolerance_minutes"]),
    ("Shifts: drops and swaps", ["shift_change_cutoff_hours"]),
    ("Patronage and governance", [
        "patronage_basis", "patronage_cash_percent", "patronage_whole_year", "patronage_allocate_losses",
        "board_owner_majority_required", "placements_goal_per_year",
    ]),
]
EDITABLE_SETTINGS: tuple[str, ...] = tuple(name for _, names in SETTINGS_GROUPS for name in names)
OPERATOR_SETTINGS = frozenset({"slug", "is_active"})

# Settings that cut recorded history: changing them would re-cut what was already paid.
PAY_RUN_LOCKED = ("workweek_start", "workday_start", "time_zone")
INSTALLMENT_LOCKED = ("equity_buy_in", "equity_installments")

# Audit actions of cooperative_settings_update: a save that changed something, or none.
SETTING_CHANGED = "alliedup.cooperative.setting_changed"
SETTINGS_REVIEWED = "alliedup.cooperative.settings_reviewed"


def setting_default(name: str):
    """The bylaws/statutory default of a setting: the model field's default (None if none)."""
    field = Cooperative._meta.get_field(name)
    return field.get_default() if field.has_default() else None


def setting_display(name: str, value) -> str:
    """A setting's value as a person reads it ("Sunday", "Yes", "00:00")."""
    field = Cooperative._meta.get_field(name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def settings_locks(cooperative: Cooperative) -> dict[str, str]:
    """{setting: why it can no longer change} for settings that recorded history depends on.
    Two queries."""
    locks = {}
    runs = pay_run_summary(cooperative)
    if runs["n"]:
        reason = (
            f"{runs['n']} pay run{'s exist' if runs['n'] != 1 else ' exists'} (the first for the period starting "
            f"{runs['first']:%b %-d, %Y}); their workdays and workweeks were cut with the current setting, and "
            "changing it would re-cut hours already paid."
        )
        locks.update(dict.fromkeys(PAY_RUN_LOCKED, reason))
    plans = installment_plans_count(cooperative)
    if plans:
        reason = (
            f"{plans} worker{'s pay' if plans != 1 else ' pays'} the equity buy-in by installment plan; "
            "those schedules were set from the current buy-in and number of installments."
        )
        locks.update(dict.fromkeys(INSTALLMENT_LOCKED, reason))
    return locks


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    detail: str
    url: str


def _count(queryset):
    """A correlated COUNT(*) subquery of `queryset` (filtered on OuterRef), 0 when none."""
    counted = queryset.order_by().values("cooperative").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def setup_checklist(cooperative: Cooperative, *, today: date) -> list[ChecklistItem]:
    """What a new co-op still has to set up, each item done or not with the page that does
    it: classifications, credential types, settings reviewed, a collective agreement with
    wage tables, this year's holidays, its workers. One query: each app's selector gives a
    lazy QuerySet of the co-op (the OuterRef), counted here in a subquery."""
    mine = OuterRef("pk")
    n = Cooperative.objects.filter(pk=cooperative.pk).annotate(
        classifications=_count(classifications_qs(mine, active_only=True)),
        credential_types=_count(credential_types_qs(mine)),
        reviewed=Exists(AuditEvent.objects.filter(cooperative=mine, action__in=(SETTING_CHANGED, SETTINGS_REVIEWED))),
        # An agreement not a draft and not over (one starting later counts: set up ahead).
        wage_tables=_count(current_wage_tables_qs(mine, today=today)),
        holidays=_count(holidays_in_year(mine, today.year)),
        workers=_count(workers_qs(mine)),
    ).values("classifications", "credential_types", "reviewed", "wage_tables", "holidays", "workers").get()
    slug = cooperative.slug
    return [
        ChecklistItem("classifications", "Job classifications", n["classifications"] > 0,
                      f"{n['classifications']} active" if n["classifications"] else "None yet: add the ones you hire into.",
                      reverse("setup:classifications", args=[slug])),
        ChecklistItem("credential_types", "Credential types", n["credential_types"] > 0,
                      f"{n['credential_types']} defined" if n["credential_types"]
                      else "None yet: add the licences and certificates each classification requires.",
                      reverse("setup:credential_types", args=[slug])),
        ChecklistItem("settings", "Bylaws settings reviewed", n["reviewed"],
                      "Reviewed" if n["reviewed"] else "Check the defaults against your bylaws and save the page.",
                      reverse("setup:settings", args=[slug])),
        ChecklistItem("wage_tables", "Collective agreement with wage tables", n["wage_tables"] > 0,
                      f"{n['wage_tables']} wage table{'s' if n['wage_tables'] != 1 else ''} in a current agreement"
                      if n["wage_tables"] else "No current agreement with wage tables: pay runs need one.",
                      reverse("payroll:agreements", args=[slug])),
        ChecklistItem("holidays", f"Holidays for {today.year}", n["holidays"] > 0,
                      f"{n['holidays']} holiday{'s' if n['holidays'] != 1 else ''}" if n["holidays"]
                      else "None yet: add the standard holidays in one step.",
                      f"{reverse('payroll:holidays', args=[slug])}?year={today.year}"),
        ChecklistItem("workers", "Your workers", n["workers"] > 0,
                      f"{n['workers']} on the roster" if n["workers"]
                      else "None yet: import your roster from a CSV file, or hire them one by one.",
                      reverse("setup:roster_import", args=[slug])),
    ]


def setup_complete(items: list[ChecklistItem]) -> bool:
    return all(item.done for item in items)
