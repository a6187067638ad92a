"""Money helpers: Decimal only, one rounding rule, splits that sum exactly, and the one way
money and hours are printed on pages, PDFs and CSV files (the template filters of
alliedup/templatetags/figures.py call the same functions)."""

from decimal import Decimal, InvalidOperation, ROUND_DOWN, ROUND_HALF_UP, localcontext

CENT = Decimal("0.01")
ZERO = Decimal("0.00")  # an empty sum of money or hours, at the cent
RATE_PLACES = Decimal("0.0001")


def to_cents(value) -> Decimal:
    """Round half up to the cent (line-level rounding, design § 4)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def sum_to_cents(value) -> Decimal:
    """An SQL Sum of a two-place column (money or hours) as the exact two-place Decimal; None
    (no rows) is 0.00. PostgreSQL keeps the column's scale, but SQLite (the no-settings demo
    mode) sums in floating point and Django hands back 15 significant digits
    (269.06 → 269.060000000000): quantizing gives back the exact sum on both."""
    return ZERO if value is None else to_cents(value)


# Printing ------------------------------------------------------------------------------------
# Pages and PDFs: two places, thousands separators ("$1,234.50", "1,234.50" hours). CSV files:
# two places, no separators ("1234.50"), so a spreadsheet or the processor reads a number.
# Hourly rates keep up to four places where they have them (rate_text).


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)  # 0.1 → "0.1", not the binary expansion
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def _two_places(value) -> Decimal | None:
    number = _decimal(value)
    if number is None:
        return None
    with localcontext() as ctx:  # a typo like 1E+40 still prints (quantize needs the digits)
        ctx.prec = max(ctx.prec, number.adjusted() + 3)
        number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    return number if number else abs(number)  # no "-0.00"


def money_text(value) -> str:
    """An amount for a page or PDF: 1234.5 → "$1,234.50", -12 → "-$12.00" (half up to the
    cent); "" for None; anything not a number is returned as text unchanged."""
    number = _two_places(value)
    if number is None:
        return "" if value is None else str(value)
    return f"-${-number:,.2f}" if number < 0 else f"${number:,.2f}"


def hours_text(value) -> str:
    """Hours (or another two-place quantity) for a page or PDF: 1234.5 → "1,234.50"; "" for
    None; anything not a number is returned as text unchanged. The page labels the unit."""
    number = _two_places(value)
    if number is None:
        return "" if value is None else str(value)
    return f"{number:,.2f}"


def csv_amount(value) -> str:
    """Money or hours in a CSV file: exactly two places, no separators, half up
    (269.060000000000 → "269.06", 8.1 → "8.10"); "" for None."""
    number = _two_places(value)
    if number is None:
        return "" if value is None else str(value)
    return f"{number:.2f}"


def rate_text(rate) -> str:
    """An hourly rate, without the "$": 52.0000 → "52.00"; 46.6875 → "46.6875" (rates carry up
    to four places, and a rate that has them shows them); "" for None."""
    number = _decimal(rate)
    if number is None:
        return "" if rate is None else str(rate)
    number = number.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
    cents = number.quantize(CENT)
    return f"{cents:,}" if cents == number else f"{number.normalize():,f}"


def split_evenly(total: Decimal, parts: int, *, leftover_to: str = "first") -> list[Decimal]:
    """Split `total` into `parts` amounts that differ by at most a cent and sum to it exactly.
    The leftover cents go one each to the first parts (250.00 / 3 → 83.34, 83.33, 83.33), or
    with `leftover_to="last"` to the last ones (1000.01 / 5 → 200.00 ×4, 200.01), as bylaws
    that settle the odd cents on the final installment of a redemption want."""
    if parts < 1:
        raise ValueError("parts must be at least 1")
    if leftover_to not in ("first", "last"):
        raise ValueError('leftover_to is "first" or "last"')
    shares = split_by_weights(total, [Decimal(1)] * parts)
    # Equal weights: the leftover cents sit on the first parts, so reversing moves them last.
    return shares if leftover_to == "first" else shares[::-1]


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
