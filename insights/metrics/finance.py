"""Money figures: finance by client, the wage uplift, patronage and capital accounts (the common
rules: insights.metrics)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from alliedup.models import Cooperative
from alliedup.money import ZERO
from insights.figure import Figure, make_figure
from insights.metrics.base import _day, _hours, _money, _percent, quarter_label, years
from members.selectors import equity_paid_in_by_year
from patronage.selectors import capital_by_year, decided_allocation_totals
from payroll.selectors import regular_pay_by_classification, wages_by_client_and_quarter
from placements.selectors import billed_by_client_and_quarter

# The case study's reference: a medical assistant earns $17.50 an hour at other agencies.
DEFAULT_MARKET_REFERENCE = {"ma": Decimal("17.50")}


def finance_by_client(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Per client and quarter (of the workday): billed = invoice lines of issued or paid
    invoices (drafts and void invoices are not revenue); paid = every pay line of final
    (approved or exported) pay runs that comes from the client's timesheets (straight time,
    differentials, overtime premiums); margin = billed − paid; absorbed = the wage-floor
    differential the co-op paid out of margin because the bill rate was below the CBA wage
    (PayLine.absorbed); billed at pay = what the pay lines say those hours bill
    (PayLine.bill_amount, the wage-floor report's figure, billed or not yet). Pay not tied to
    a client (sick leave, adjustments) is not in any row. Two queries."""
    table: dict[tuple[date, int], dict] = {}

    def row(quarter, client_id, name):
        key = (_day(quarter), client_id)
        if key not in table:
            table[key] = {"quarter": quarter_label(_day(quarter)), "client": name, "billed": ZERO, "paid": ZERO,
                          "absorbed": ZERO, "billed_at_pay": ZERO}
        return table[key]

    for r in billed_by_client_and_quarter(cooperative, start, end):
        row(r["quarter"], r["client_id"], r["client_name"])["billed"] = _money(r["billed"])
    for r in wages_by_client_and_quarter(cooperative, start, end):
        target = row(r["quarter"], r["client_id"], r["client_name"])
        target.update(paid=_money(r["paid"]), absorbed=_money(r["absorbed"]), billed_at_pay=_money(r["billed_at_pay"]))
    rows = [table[k] for k in sorted(table, key=lambda k: (k[0], table[k]["client"]))]
    for r in rows:
        r["margin"] = r["billed"] - r["paid"]
    return make_figure(finance_by_client, cooperative, start, end,
                       [("quarter", "Quarter"), ("client", "Client"), ("billed", "Billed"), ("paid", "Wages paid"),
                        ("margin", "Margin"), ("absorbed", "Absorbed differential"), ("billed_at_pay", "Billed at pay")], rows)


def parse_market_reference(value) -> dict[str, Decimal]:
    """`"ma:17.50, cna:19"` (or a list of such strings) → {"ma": Decimal("17.50"), …}.
    Empty → the case study's default (MA $17.50). Raises ValidationError on a bad entry."""
    parts = []
    for item in ([value] if isinstance(value, str) else list(value or [])):
        parts += [p.strip() for p in str(item).split(",") if p.strip()]
    if not parts:
        return dict(DEFAULT_MARKET_REFERENCE)
    out = {}
    for part in parts:
        code, sep, amount = part.partition(":")
        try:  # to the cent first: a rate too large to carry cents, or under half a cent, is refused too
            rate = Decimal(amount.strip()).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            rate = None
        if not sep or not code.strip() or rate is None or not rate.is_finite() or rate <= 0:
            raise ValidationError({"market_reference": f"{part!r} is not code:hourly rate, e.g. ma:17.50."})
        out[code.strip().lower()] = rate
    return out


def wage_uplift(cooperative: Cooperative, start: date, end: date, market_reference: dict[str, Decimal] | None = None) -> Figure:
    """Average wage per job classification = the amount ÷ the hours of regular (REG) pay
    lines of final pay runs with workdays in the period, to the cent (straight time at the
    CBA wage; differentials and overtime premiums are not in it). Uplift = (average wage −
    market reference) ÷ market reference × 100, one decimal. The market reference is what
    other agencies pay for the classification; the platform has no record of it, so it is
    given with the request (`market_reference=ma:17.50,cna:19.00`), by default the case
    study's $17.50 for a medical assistant ("ma"). One query."""
    reference = DEFAULT_MARKET_REFERENCE if market_reference is None else market_reference
    rows = []
    for r in regular_pay_by_classification(cooperative, start, end):
        if not r["hours"]:
            continue
        average = (r["amount"] / r["hours"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        market = reference.get(r["classification_code"])
        rows.append({"classification": r["classification_code"], "classification_name": r["classification_name"],
                     "hours": _hours(r["hours"]), "average_wage": average, "market_reference": market,
                     "uplift": _percent(average - market, market) if market else None})
    return make_figure(wage_uplift, cooperative, start, end,
                       [("classification", "Code"), ("classification_name", "Classification"), ("hours", "Hours"),
                        ("average_wage", "Average wage"), ("market_reference", "Market reference"), ("uplift", "Uplift %")],
                       rows, market_reference=reference)


def patronage(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Patronage allocated per fiscal year ending in the period: allocations approved,
    issued or cash paid (drafts are not decided): net earnings, the collective reserve, the
    pool shared, the number of members with a line and the sum of their lines (allocated =
    cash + retained). Totals only, never a member's share. One query."""
    rows = [
        {"fiscal_year_end": r["fiscal_year_ends_on"], "status": r["status_label"], "net_earnings": r["net_earnings"],
         "reserve": r["reserve"], "pool": r["pool"], "members": r["members"], "allocated": _money(r["allocated"]),
         "cash": _money(r["cash"]), "retained": _money(r["retained"])}
        for r in decided_allocation_totals(cooperative, start, end)
    ]
    return make_figure(patronage, cooperative, start, end,
                       [("fiscal_year_end", gettext_lazy("Fiscal year ends")), ("status", gettext_lazy("Status")),
                        ("net_earnings", gettext_lazy("Net earnings")), ("reserve", gettext_lazy("Reserve")),
                        ("pool", gettext_lazy("Pool")), ("members", gettext_lazy("Members")),
                        ("allocated", gettext_lazy("Allocated")), ("cash", gettext_lazy("Cash")),
                        ("retained", gettext_lazy("Retained"))], rows)


def capital_accounts(cooperative: Cooperative, start: date, end: date) -> Figure:
    """Members' capital accounts, all members together, at each calendar year end (the
    period's end for its last year): equity paid in (the members equity ledger: payments
    and payroll deductions less their reversals; waivers are forgiven, not paid; less the
    equity repaid on exit) + the capital account ledger (retained patronage − allocated
    losses − redemptions of it), every entry effective on or before that day. Two queries."""
    equity = equity_paid_in_by_year(cooperative, end)
    # An exit's repayment of the equity buy-in is a redemption entry of the capital ledger
    # (patronage): it lowers the equity column, not the retained patronage.
    capital, equity_repaid = {}, {}
    for year, retained, repaid in capital_by_year(cooperative, end):
        capital[year], equity_repaid[year] = retained or ZERO, repaid or ZERO
    for year, repaid in equity_repaid.items():
        equity[year] = equity.get(year, ZERO) + repaid  # repaid is negative

    def upto(totals, year):
        return sum((v for y, v in totals.items() if y <= year), ZERO)

    # Both sums stop at `end`, so the last year's total is at the period's end and every
    # earlier year's at December 31.
    rows = []
    for _, last in years(start, end):
        eq, cap = _money(upto(equity, last.year)), _money(upto(capital, last.year))
        rows.append({"year": last.year, "on": last, "equity_paid": eq, "retained_net": cap, "total": eq + cap})
    return make_figure(capital_accounts, cooperative, start, end,
                       [("year", "Year"), ("on", "On"), ("equity_paid", "Equity paid in"), ("retained_net", "Retained patronage, net"),
                        ("total", "Capital accounts total")], rows)
