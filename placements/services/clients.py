"""Clients, their contracts and effective-dated bill rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from alliedup.audit import audit_log
from alliedup.models import Cooperative
from placements.models import BillRate, Client, ClientContract

if TYPE_CHECKING:
    from members.models import JobClassification

RATE_PLACES = Decimal("0.0001")


@transaction.atomic
def client_create(*, cooperative: Cooperative, name: str, created_by=None, **fields) -> Client:
    client = Client(cooperative=cooperative, name=name.strip(), **fields)
    client.full_clean()
    client.save()
    audit_log(cooperative=cooperative, action="placements.client.created", user=created_by, obj=client)
    return client


@transaction.atomic
def contract_create(*, client: Client, reference: str, starts_on: date, ends_on: date | None = None, created_by=None) -> ClientContract:
    contract = ClientContract(cooperative=client.cooperative, client=client, reference=reference.strip(), starts_on=starts_on, ends_on=ends_on)
    contract.full_clean()
    contract.save()
    audit_log(cooperative=client.cooperative, action="placements.contract.created", user=created_by, obj=contract)
    return contract


@transaction.atomic
def bill_rate_set(
    *, contract: ClientContract, classification: JobClassification, effective_from: date, regular_rate,
    overtime_multiplier="1.50", holiday_multiplier="1.50", double_time_multiplier="2.00", set_by=None,
) -> BillRate:
    """Add the rate a client pays for a classification from `effective_from` (rates of
    earlier dates stay for the shifts they cover). Raises ValidationError on a zero or
    negative rate, a multiplier below 1, or a date outside the contract."""
    try:
        rate = Decimal(str(regular_rate))
        ot, holiday = Decimal(str(overtime_multiplier)), Decimal(str(holiday_multiplier))
        double = Decimal(str(double_time_multiplier))
    except (InvalidOperation, ValueError):
        raise ValidationError({"regular_rate": "Rates are numbers."}) from None
    if not (rate.is_finite() and ot.is_finite() and holiday.is_finite() and double.is_finite()):
        raise ValidationError({"regular_rate": "Rates are numbers."})
    if rate <= 0:
        raise ValidationError({"regular_rate": "A bill rate must be more than zero."})
    if rate != rate.quantize(RATE_PLACES):
        raise ValidationError({"regular_rate": "Rates have at most four decimal places."})
    if ot < 1 or holiday < 1 or double < 1:
        raise ValidationError({"overtime_multiplier": "Multipliers are at least 1."})
    if effective_from < contract.starts_on or (contract.ends_on and effective_from > contract.ends_on):
        raise ValidationError({"effective_from": "The rate must start within the contract's dates."})
    if classification.cooperative_id != contract.cooperative_id:
        raise ValidationError({"classification": "That classification belongs to another cooperative."})
    bill_rate, created = BillRate.objects.update_or_create(
        cooperative=contract.cooperative, contract=contract, classification=classification, effective_from=effective_from,
        defaults={"regular_rate": rate, "overtime_multiplier": ot, "holiday_multiplier": holiday, "double_time_multiplier": double},
    )
    audit_log(cooperative=contract.cooperative, action="placements.bill_rate.set", user=set_by, obj=contract,
              after={"classification": classification.code, "from": effective_from, "rate": rate})
    return bill_rate
