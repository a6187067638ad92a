"""The board pack PDF (insights:board_pdf): the board report's sections as printed, each
with its chart and its table(s).

WeasyPrint spends about 2 ms on every table cell (cascade, column widths, text shaping,
drawing), so the pack stays fast only while its tables stay a board's reading length. Every
figure prints all its rows except the finance table: one row per client and quarter is 600
rows over ten years with 15 clients (about 10 s of layout, 80 pages). Over PACK_DETAIL_ROWS it
prints what a board reads instead: totals per quarter (all clients, with the period's total)
and per client (the whole period, largest billed first), and says where every row is (the
board page and its CSV export)."""

import base64
from dataclasses import dataclass, replace

from alliedup.money import ZERO
from insights.reports import Section

# A year of 15 clients (60 rows) still prints client by client.
PACK_DETAIL_ROWS = 60
TEXT_CHARS = 24
ROW_CHARS = 90  # characters of the pack's 9 pt table text in a row of a Letter page (2.2 cm margins)
FINANCE_AMOUNTS = ("billed", "paid", "margin", "absorbed", "billed_at_pay")


@dataclass
class PackTable:
    caption: str  # "" for the figure's own table
    note: str
    section: Section  # columns and display_rows of this table

    @property
    def column_widths(self) -> list[str]:
        """Each column's share of the table width ("12.5%"), by its longest cell or header word
        in characters (the pack's digits are all one width), or [] for a table that may not fit
        a row of the page. With widths the table has a fixed layout: WeasyPrint need not measure
        every cell's text before laying the rows out (a fifth of the pack's time)."""
        # A bold header word is about a tenth wider; text longer than TEXT_CHARS wraps (numbers never do).
        chars = [1.1 * max((len(word) for word in str(label).split()), default=1) for _, label in self.section.figure.columns]
        for row in self.section.display_rows:
            chars = [max(n, len(text) if is_num else min(len(text), TEXT_CHARS)) for n, (text, is_num) in zip(chars, row)]
        room = [n + 2 for n in chars]  # the cell's padding
        if sum(room) > ROW_CHARS:  # too wide to guess well: WeasyPrint measures (a short table, as a rule)
            return []
        return [f"{100 * n / sum(room):.1f}%" for n in room]


@dataclass
class PackSection:
    section: Section  # title, definition and chart of the figure
    tables: list[PackTable]

    @property
    def chart_src(self) -> str:
        """The chart as a data: URL for an <img>, "" without one."""
        chart = self.section.chart
        return f"data:image/svg+xml;base64,{base64.b64encode(chart.encode()).decode()}" if chart else ""


def pack_sections(sections: list[Section]) -> list[PackSection]:
    """The sections as the pack prints them: every figure's chart, its rows, and for a finance
    table over PACK_DETAIL_ROWS rows its totals by quarter and by client instead."""
    out = []
    for section in sections:
        if section.figure.name == "finance_by_client" and len(section.figure.rows) > PACK_DETAIL_ROWS:
            out.append(PackSection(section, _finance_summary(section)))
        else:
            out.append(PackSection(section, [PackTable("", "", section)]))
    return out


def _totals(rows: list[dict], key: str) -> list[dict]:
    """The finance rows summed per value of `key`, in the order each value first appears."""
    totals: dict[str, dict] = {}
    for row in rows:
        total = totals.setdefault(row[key], {key: row[key], **{k: ZERO for k in FINANCE_AMOUNTS}})
        for k in FINANCE_AMOUNTS:
            total[k] += row[k]
    return list(totals.values())


def _finance_summary(section: Section) -> list[PackTable]:
    figure = section.figure
    labels = dict(figure.columns)
    amounts = [(k, labels[k]) for k in FINANCE_AMOUNTS]
    by_quarter = _totals(figure.rows, "quarter")  # rows come sorted by quarter
    by_quarter.append({"quarter": "Period total", **{k: sum((r[k] for r in by_quarter), ZERO) for k in FINANCE_AMOUNTS}})
    by_client = sorted(_totals(figure.rows, "client"), key=lambda r: (-r["billed"], r["client"]))
    clients = len(by_client)
    note = (f"{len(figure.rows):,} rows of client and quarter ({clients:,} clients) are too many to print: the pack "
            "gives the totals by quarter and by client. The board page and its CSV export list every row.")
    return [
        PackTable("By quarter, all clients", note,
                  replace(section, figure=replace(figure, columns=[("quarter", labels["quarter"])] + amounts, rows=by_quarter))),
        PackTable("By client, whole period (largest billed first)", "",
                  replace(section, figure=replace(figure, columns=[("client", labels["client"])] + amounts, rows=by_client))),
    ]
