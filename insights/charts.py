"""Server-side SVG charts: no JavaScript, no CDN, the same markup in pages and PDFs.

Each function returns an SVG string with `role="img"`, a `<title>` and a `<desc>` (named by
`aria-labelledby` and `aria-describedby`), and a viewBox with no fixed width, so the chart scales to its container.
The viewBox is 400 units wide and text is 12 units: at a 375 px phone width text stays
about 11 px. Pages follow every chart with a table of the same numbers (screen readers and
anyone who wants the exact figures read that).
"""

import math
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext

WIDTH, HEIGHT = 400, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 44
FONT = 12
PALETTE = ("#0b5c3b", "#1f4e9e", "#a8431c", "#6b3fa0")  # each at least 4.5:1 on white
LABEL_WIDTH = 46  # room one x-axis label needs, in viewBox units


def _attr(value) -> str:
    return escape(str(value), {'"': "&quot;"})


def _nice_max(value: float) -> float:
    """The axis top: 1, 2, 2.5 or 5 × a power of ten at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _frame(chart_id: str, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart" '
        f'preserveAspectRatio="xMidYMid meet" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="{FONT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        + "".join(body) + "</svg>"
    )


def _axes(top: float, unit: str) -> list[str]:
    """The y axis with 4 gridlines and the baseline."""
    plot_h = HEIGHT - TOP - BOTTOM
    out = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c9d1da" stroke-width="0.6"/>')
        out.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#1b1f24">{escape(_fmt(value))}</text>')
    if unit:
        out.append(f'<text x="4" y="{TOP - 2}" fill="#4a5360" font-size="10">{escape(unit)}</text>')
    return out


def _no_data() -> str:
    empty = gettext("No data in this period")  # not inside an f-string: makemessages would miss it
    return f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="#4a5360">{escape(empty)}</text>'


def _x_labels(labels: list[str], centers: list[float]) -> list[str]:
    """Every k-th label, so labels never overlap at any count."""
    plot_w = WIDTH - LEFT - RIGHT
    step = max(1, math.ceil(len(labels) * LABEL_WIDTH / plot_w)) if labels else 1
    y = HEIGHT - BOTTOM + 16
    return [
        f'<text x="{x:.1f}" y="{y}" text-anchor="middle" fill="#1b1f24">{escape(str(label))}</text>'
        for i, (label, x) in enumerate(zip(labels, centers)) if i % step == 0
    ]


def _value_text(value) -> str:
    """A bar's exact value in its tooltip, as the table beside it prints it: with thousands
    separators and the places the figure has (money and hours arrive quantized to two)."""
    if value is None:
        return "—"
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _number(value) -> float:
    if value is None:
        return 0.0
    return float(value) if isinstance(value, (int, float, Decimal)) else 0.0


def bar_chart(chart_id: str, title: str, desc: str, points: list[tuple[str, object]], unit: str = "") -> str:
    """A vertical bar chart of (label, value) points; None counts as no bar."""
    values = [_number(v) for _, v in points]
    top = _nice_max(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    body = _axes(top, unit)
    n = max(len(points), 1)
    slot = plot_w / n
    bar = max(slot * 0.7, 1)
    centers = []
    for i, ((label, raw), value) in enumerate(zip(points, values)):
        x = LEFT + slot * i + (slot - bar) / 2
        h = plot_h * max(value, 0) / top
        centers.append(x + bar / 2)
        body.append(
            f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{PALETTE[0]}">'
            f"<title>{escape(str(label))}: {escape(_value_text(raw))}</title></rect>"
        )
    if not points:
        body.append(_no_data())
    body += _x_labels([p[0] for p in points], centers)
    return _frame(chart_id, title, desc, body)


def line_chart(chart_id: str, title: str, desc: str, labels: list[str], series: list[tuple[str, list]], unit: str = "") -> str:
    """A time series: one line per (name, values) series over the shared `labels`; a None
    value breaks the line. A legend under the axis names each series."""
    top = _nice_max(max((_number(v) for _, vs in series for v in vs if v is not None), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    body = _axes(top, unit)
    n = len(labels)
    xs = [LEFT + (plot_w * (i + 0.5) / n) for i in range(n)]
    for s, (name, values) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        dash = ("", ' stroke-dasharray="6 3"', ' stroke-dasharray="2 2"', ' stroke-dasharray="8 2 2 2"')[s % 4]
        segments, current = [], []
        for x, v in zip(xs, values):
            if v is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append((x, TOP + plot_h - plot_h * _number(v) / top))
        if current:
            segments.append(current)
        for seg in segments:
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in seg)
            body.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"{dash}/>')
            body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>' for x, y in seg]
        lx = LEFT + s * (plot_w / max(len(series), 1))
        body.append(f'<line x1="{lx:.1f}" x2="{lx + 16:.1f}" y1="{HEIGHT - 8}" y2="{HEIGHT - 8}" stroke="{color}" stroke-width="2"{dash}/>')
        body.append(f'<text x="{lx + 20:.1f}" y="{HEIGHT - 4}" fill="#1b1f24">{escape(name)}</text>')
    if not labels:
        body.append(_no_data())
    body += _x_labels(labels, xs)
    return _frame(chart_id, title, desc, body)
