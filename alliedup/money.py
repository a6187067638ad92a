"""Money helpers: Decimal only, one rounding rule, splits that sum exactly."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(value) -> Decimal:
    """Round half up to the cent (line-level rounding, design § 4)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """Split `total` into `parts` amounts that differ by at most a cent and sum to it exactly.
    250.00 / 3 → 83.34, 83.33, 83.33 (equal remainders: the leftover cents go to the first parts)."""
    if parts < 1:
        raise ValueError("parts must be at least 1")
    return split_by_weights(total, [Decimal(1)] * parts)


def split_by_weights(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights` by the largest remainder method, to the cent,
    summing to `total` exactly.

    Each share is total × weight ÷ Σ weights, floored to the cent (toward zero, so a negative
    total splits the same way); the cents left over go one each to the shares with the
    largest remainders, ties to the earlier position (callers pass a stable order).
    100.00 over three equal weights → 33.34, 33.33, 33.33.
    """
    total = Decimal(total)
    if total != total.quantize(CENT):
        raise ValueError("total must be in whole cents")
    weights = [Decimal(w) for w in weights]
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative with a positive sum")
    sign = -1 if total < 0 else 1
    magnitude, whole = abs(total), sum(weights)
    exact = [magnitude * w / whole for w in weights]
    shares = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    leftover = int((magnitude - sum(shares)) / CENT)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[:leftover]:
        shares[i] += CENT
    return [sign * s for s in shares]
