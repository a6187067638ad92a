"""Money helpers: Decimal only, one rounding rule, splits that sum exactly."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(value) -> Decimal:
    """Round half up to the cent (line-level rounding, design § 4)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """Split `total` into `parts` amounts that differ by at most a cent and sum to it exactly.

    Each part is the floor to the cent; the leftover cents go one each to the first parts
    (all remainders are equal, so the stable order is position). 250.00 / 3 → 83.34, 83.33, 83.33.
    """
    if parts < 1:
        raise ValueError("parts must be at least 1")
    total = Decimal(total)
    if total != total.quantize(CENT):
        raise ValueError("total must be in whole cents")
    base = (total / parts).quantize(CENT, rounding=ROUND_DOWN)
    leftover = int((total - base * parts) / CENT)
    return [base + CENT if i < leftover else base for i in range(parts)]
