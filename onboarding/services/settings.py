"""Writes of a co-op's set-up: its bylaws settings (the catalogue of classifications and
credential types is members.services.classifications)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction

from alliedup.audit import audit_log
from alliedup.models import Cooperative, User
from onboarding.selectors import (
    EDITABLE_SETTINGS,
    INSTALLMENT_LOCKED,
    OPERATOR_SETTINGS,
    PAY_RUN_LOCKED,
    SETTING_CHANGED,
    SETTINGS_REVIEWED,
    settings_locks,
)


def setting_refusal(name: str) -> str | None:
    """Why `name` cannot be changed on the co-op's settings, or None if it can."""
    if name in EDITABLE_SETTINGS:
        return None
    if name in OPERATOR_SETTINGS:
        return "Set by the platform operator; ask them to change it."
    return "Not a setting of the cooperative."


# Two of the model's CheckConstraints have no field validator, and a violated constraint only
# says "Constraint … is violated": the same rules, said on their field.
FIELD_RULES = {
    "candidacy_hours_threshold": (lambda v: v > 0, "The hours for candidacy must be more than zero."),
    "equity_installments": (lambda v: v >= 1, "The buy-in is paid in at least one installment."),
}


def _typed(field: models.Field, value):
    # Stored with the field's places: "350" and "350.00" are one value, audited alike.
    if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
        return value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


@transaction.atomic
def cooperative_settings_update(*, cooperative: Cooperative, changes: dict, updated_by: User | None) -> list[str]:
    """Apply `changes` ({setting: value}, values as typed or as text) to the co-op's settings.

    Validates every value (full_clean: field validators and the model's constraints), refuses
    settings that would break recorded history (the workweek, workday and time zone once a
    pay run exists; the equity buy-in and installments once an installment plan exists) and
    the platform operator's fields. Writes in one transaction and audits each changed setting
    with its before and after; a save that changes nothing is audited as "reviewed".

    Returns the names of the settings that changed; `cooperative` is updated in place.
    Raises ValidationError ({setting: message}) and then writes nothing.
    """
    errors = {name: refusal for name in changes if (refusal := setting_refusal(name))}
    if errors:
        raise ValidationError(errors)
    # Locked so two admins saving at once cannot interleave, and a pay period (which locks
    # the same row in payroll.services.periods) is not created mid-change.
    current = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    before = {name: getattr(current, name) for name in changes}
    for name, value in changes.items():
        setattr(current, name, value)
    try:
        current.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    for name, (holds, message) in FIELD_RULES.items():
        if name in changes and name not in errors and not holds(getattr(current, name)):
            errors[name] = [message]
    fields = {name: Cooperative._meta.get_field(name) for name in changes}
    changed = []
    for name in changes:
        if name in errors:
            continue
        after = _typed(fields[name], getattr(current, name))
        setattr(current, name, after)
        if after != before[name]:
            changed.append(name)
    # Read only when a setting history depends on is about to change.
    locks = settings_locks(current) if set(changed) & {*PAY_RUN_LOCKED, *INSTALLMENT_LOCKED} else {}
    errors.update({name: f"Cannot change this any more: {locks[name]}" for name in changed if name in locks})
    if errors:
        raise ValidationError(errors)
    current.validate_constraints()  # the rest of the model's constraints, as the database would
    if changed:
        current.save(update_fields=changed)
    for name in changed:
        audit_log(
            cooperative=current, action=SETTING_CHANGED, user=updated_by, obj=current,
            before={name: before[name]}, after={name: getattr(current, name)}, data={"setting": name},
        )
    if not changed:
        audit_log(cooperative=current, action=SETTINGS_REVIEWED, user=updated_by, obj=current)
    for name in changed:
        setattr(cooperative, name, getattr(current, name))
    return changed

