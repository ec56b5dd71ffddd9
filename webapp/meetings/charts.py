"""Small server-rendered SVG charts: readable without JavaScript, labelled for screen readers.

Each chart carries <title> and <desc>; pages also show the same figures as a table.
"""

from __future__ import annotations

import itertools
import unicodedata

from markupsafe import Markup

_ids = itertools.count(1)

BAR_HEIGHT = 24
BAR_GAP = 8
LABEL_WIDTH = 250
CHART_WIDTH = 600


def _frame(width: int, height: int, title: str, desc: str, body: Markup) -> Markup:
    n = next(_ids)
    return Markup(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="chart-t{n} chart-d{n}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-t{n}">{title}</title><desc id="chart-d{n}">{desc}</desc>{body}</svg>'
    ).format(w=width, h=height, n=n, title=title, desc=desc, body=body)


def _svg(template: str, **values) -> Markup:
    """Fill an SVG fragment; every value is escaped unless already Markup."""
    return Markup(template).format(**values)  # noqa: S704 - templates are literals here


def _describe(rows: list[tuple[str, int]]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in rows)


def _clip(label: str, limit: int = 28) -> str:
    """Shorten long labels by whole characters (never mid-character); CJK counts double."""
    width, kept = 0, []
    for char in label:
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if width > limit:
            return "".join(kept[:-1]) + "…"
        kept.append(char)
    return label


def bar_chart(title: str, rows: list[tuple[str, int]], *, empty: str) -> Markup:
    """Horizontal bars, one per (label, value), largest first as given."""
    if not rows:
        return _frame(CHART_WIDTH, 40, title, empty,
                      _svg('<text class="chart-empty" x="0" y="24">{t}</text>', t=empty))
    top = max(value for _label, value in rows) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 50
    parts = []
    for index, (label, value) in enumerate(rows):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = max(1, round(room * value / top)) if value else 0
        parts.append(_svg(
            '<text class="chart-label" x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
            '<rect class="chart-bar" x="{bx}" y="{y}" width="{width}" height="{bh}" rx="3">'
            '</rect><text class="chart-value" x="{vx}" y="{ty}">{value}</text>',
            lx=LABEL_WIDTH - 8, ty=y + 18, label=_clip(label), bx=LABEL_WIDTH, y=y,
            width=width, bh=BAR_HEIGHT, vx=LABEL_WIDTH + width + 6, value=value,
        ))
    height = len(rows) * (BAR_HEIGHT + BAR_GAP)
    return _frame(CHART_WIDTH, height, title, _describe(rows), Markup("").join(parts))


def line_chart(title: str, points: list[tuple[str, int]], *, empty: str) -> Markup:
    """A running total over days: a polyline with the first and last day labelled."""
    if not points:
        return _frame(CHART_WIDTH, 40, title, empty,
                      _svg('<text class="chart-empty" x="0" y="24">{t}</text>', t=empty))
    width, height, pad_left, pad_bottom, pad_top = CHART_WIDTH, 200, 40, 28, 12
    top = max(value for _day, value in points) or 1
    span = max(1, len(points) - 1)
    plot_w, plot_h = width - pad_left - 10, height - pad_bottom - pad_top

    def xy(index: int, value: int) -> tuple[float, float]:
        return (pad_left + plot_w * index / span,
                pad_top + plot_h - plot_h * value / top)

    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in
                      (xy(i, v) for i, (_d, v) in enumerate(points)))
    if len(points) == 1:
        _x, y = xy(0, points[0][1])
        coords = f"{pad_left},{y:.1f} {pad_left + plot_w},{y:.1f}"
    body = _svg(
        '<line class="chart-axis" x1="{l}" y1="{b}" x2="{r}" y2="{b}"></line>'
        '<line class="chart-axis" x1="{l}" y1="{t}" x2="{l}" y2="{b}"></line>'
        '<text class="chart-label" x="{lt}" y="{t8}" text-anchor="end">{top}</text>'
        '<text class="chart-label" x="{lt}" y="{b}" text-anchor="end">0</text>'
        '<polyline class="chart-line" points="{coords}"></polyline>'
        '<text class="chart-label" x="{l}" y="{base}">{first}</text>'
        '<text class="chart-label" x="{r}" y="{base}" text-anchor="end">{last}</text>',
        l=pad_left, r=pad_left + plot_w, t=pad_top, b=pad_top + plot_h, lt=pad_left - 6,
        t8=pad_top + 8, top=top, coords=coords, base=height - 6, first=points[0][0],
        last=points[-1][0],
    )
    desc = f"{points[0][0]}: {points[0][1]} … {points[-1][0]}: {points[-1][1]}"
    return _frame(width, height, title, desc, body)
