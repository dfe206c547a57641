"""Charts as inline SVG, drawn on the server so a page and its PDF show the same picture.

Every chart carries a <title> and a <desc> for screen readers (the page shows the same numbers
as a table next to it) and a viewBox padded so labels are never clipped. No JavaScript, no
external fonts: on a page the SVG takes the page's font (portal.css sets ``.chart { font-family:
inherit }``, which outranks the attribute); a PDF's SVG renderer reads only the attribute, which
names the font the report embeds (``FONT_FAMILY``).

The functions take plain values (labels, numbers) and know nothing about the portal's models,
so every app can draw with them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import count

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#0b4f8a", "#d97706", "#15803d", "#9333ea", "#b91c1c", "#0e7490"]
GRID = "#c8ced6"
INK = "#212529"
MUTED = "#5c636a"
# The family the PDF reports declare with @font-face from the shipped DejaVu Sans files.
FONT_FAMILY = "Portal Sans, DejaVu Sans, sans-serif"

_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: list  # numbers or None (no value: not drawn)
    color: str | None = None
    dashed: bool = False
    # Per value: drawn as an open circle (a provisional or derived figure) when true; a line
    # chart dashes the segment that leads to it, a radar the outline of a series all of whose
    # values are open, so dashes and open circles always mark the same figures.
    hollow: list | None = None
    # The legend's name for the open circles, when they need one of their own.
    hollow_name: str = ""
    # Drawn thinner and fainter, solid with filled points unless its values are open: a
    # series shown for comparison beside the main one (an earlier year).
    secondary: bool = False

    @property
    def all_hollow(self) -> bool:
        return bool(self.hollow) and all(self.hollow)


def _fmt(value, places=2) -> str:
    return number_format(Decimal(value), places) if value is not None else "—"


def _num(value) -> float:
    return float(value)


def _svg(width, height, title, desc, body, pad=0) -> SafeString:
    uid = next(_ids)
    outer_w, outer_h = width + 2 * pad, height + 2 * pad
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="{-pad} {-pad} {outer_w} {outer_h}" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc" '
        # Attributes, not a style attribute (the Content-Security-Policy refuses those): the
        # chart's own size, which the page's and the PDF's CSS (max-width: 100%; height: auto)
        # shrink to a narrower container.
        f'width="{outer_w}" height="{outer_h}" font-family="{FONT_FAMILY}" font-size="12">'
        f'<title id="chart-{uid}-title">{escape(title)}</title>'
        f'<desc id="chart-{uid}-desc">{escape(desc)}</desc>'
        f"{''.join(body)}</svg>"
    )


def _drawn(series) -> list[Series]:
    """The series worth drawing, each with its colour fixed by its place in the caller's list:
    a series without a single value is left out of the chart and its legend (the caller says
    why beside the chart), and the others keep their colours."""
    coloured = [
        replace(item, color=item.color or PALETTE[i % len(PALETTE)])
        for i, item in enumerate(series)
    ]
    return [item for item in coloured if any(v is not None for v in item.values)]


def _legend_entries(series) -> list[tuple[Series, str, bool]]:
    """(series, name, open circle) for each line of a legend: a series, and after it its open
    circles where they have a name of their own."""
    entries = []
    for item in series:
        entries.append((item, item.name, False))
        if item.hollow_name and item.hollow and any(item.hollow):
            entries.append((item, item.hollow_name, True))
    return entries


def _legend(series, x, y) -> list[str]:
    parts = []
    for i, (item, name, hollow) in enumerate(_legend_entries(series)):
        color = item.color
        row = y + i * 18
        # A series whose every value is open is dashed with an open circle, like its open
        # circles' own entry.
        hollow = hollow or (item.all_hollow and not item.hollow_name)
        dash = ' stroke-dasharray="5 3"' if item.dashed or hollow else ""
        width = "2" if item.secondary else "3"
        parts.append(
            f'<line x1="{x}" y1="{row}" x2="{x + 22}" y2="{row}" '
            f'stroke="{color}" stroke-width="{width}"{dash}/>'
        )
        if hollow:
            parts.append(
                f'<circle cx="{x + 11}" cy="{row}" r="4" fill="#fff" stroke="{color}" '
                f'stroke-width="2"/>'
            )
        parts.append(f'<text x="{x + 28}" y="{row + 4}" fill="{INK}">{escape(name)}</text>')
    return parts


def _legend_height(series) -> int:
    return 18 * len(_legend_entries(series))


def radar_chart(axes, series, *, scale=(1, 4), title, desc) -> SafeString:
    """A spider chart: one axis per label, one polygon per series (values on ``scale``)."""
    low, high = scale
    series = _drawn(series)
    # Wide enough for the longest axis labels left and right of the web.
    size, radius = 520, 115
    cx, cy = size / 2, 145
    n = len(axes)

    def point(i, value):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * _num(value) / high
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    body = []
    for level in range(low, high + 1):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(n)))
        body.append(f'<polygon points="{ring}" fill="none" stroke="{GRID}" stroke-width="1"/>')
        x, y = point(0, level)
        body.append(
            f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" fill="{MUTED}" font-size="10">{level}</text>'
        )
    for i, label in enumerate(axes):
        x, y = point(i, high)
        body.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lx, ly = point(i, high * 1.16)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        body.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}" fill="{INK}">'
            f"{escape(label)}</text>"
        )
    for item in series:
        color = item.color
        points = [(i, v) for i, v in enumerate(item.values) if v is not None]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in points))
        dash = ' stroke-dasharray="5 3"' if item.dashed or item.all_hollow else ""
        opacity = "0.08" if item.secondary else "0.25"
        body.append(
            f'<polygon points="{coords}" fill="{color}" fill-opacity="{opacity}" '
            f'stroke="{color}" stroke-width="{1.25 if item.secondary else 2}"{dash}/>'
        )
        for i, v in points:
            x, y = point(i, v)
            fill = "#fff" if item.hollow and item.hollow[i] else color
            r = "3" if item.secondary else "3.5"
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}" stroke="{color}" '
                f'stroke-width="1.5"/>'
            )
    body += _legend(series, cx - 40, 300)
    return _svg(size, 300 + _legend_height(series), title, desc, body, pad=12)


def line_chart(labels, series, *, scale=(1, 4), title, desc) -> SafeString:
    """Values over a sequence of labels (years), one line per series, with value labels."""
    low, high = scale
    series = _drawn(series)
    width, height, left, top, plot_h = 400, 230, 44, 12, 170
    step = (width - left - 30) / max(len(labels) - 1, 1)

    def xy(i, v):
        return left + 15 + i * step, top + plot_h * (1 - (_num(v) - low) / (high - low))

    body = []
    for level in range(low, high + 1):
        _x, y = xy(0, level)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        body.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{level}</text>'
        )
    for i, label in enumerate(labels):
        x, _y = xy(i, low)
        body.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle" fill="{INK}">'
            f"{escape(label)}</text>"
        )
    for item in series:
        color = item.color
        points = [(i, v) for i, v in enumerate(item.values) if v is not None]
        hollow = item.hollow or [False] * len(item.values)
        # A segment leading to an open circle is dashed like the whole of a dashed series.
        for (i, v), (j, w) in zip(points, points[1:], strict=False):
            dash = ' stroke-dasharray="5 3"' if item.dashed or hollow[j] else ""
            (x1, y1), (x2, y2) = xy(i, v), xy(j, w)
            body.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{color}" stroke-width="{1.5 if item.secondary else 2.5}" '
                f'stroke-linecap="round"{dash}/>'
            )
        for i, v in points:
            x, y = xy(i, v)
            fill = "#fff" if item.hollow and item.hollow[i] else color
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{fill}" stroke="{color}" '
                f'stroke-width="2"/>'
            )
            body.append(
                f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" fill="{color}" '
                f'font-weight="600">{_fmt(v)}</text>'
            )
    body += _legend(series, left, height + 8)
    return _svg(width, height + _legend_height(series), title, desc, body, pad=16)


def bar_chart(labels, series, *, maximum=None, places=2, title, desc) -> SafeString:
    """Horizontal bars: one group per label, one bar per series, value written at the end."""
    series = _drawn(series)
    values = [v for item in series for v in item.values if v is not None]
    top_value = _num(maximum if maximum is not None else max(values, default=1) or 1)
    # Room for the longest label at about 7 px a character (12 px sans-serif).
    label_w = max(90, 7 * max((len(str(label)) for label in labels), default=0) + 12)
    bar_w, bar_h = 250, 14
    group_h = bar_h * len(series) + 10
    body = []
    for g, label in enumerate(labels):
        y0 = g * group_h
        body.append(
            f'<text x="{label_w - 8}" y="{y0 + group_h / 2:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        for s, item in enumerate(series):
            value = item.values[g]
            color = item.color
            y = y0 + s * bar_h
            if value is None:
                body.append(f'<text x="{label_w + 4}" y="{y + 11}" fill="{MUTED}">—</text>')
                continue
            length = bar_w * min(_num(value) / top_value, 1)
            body.append(
                f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h - 3}" '
                f'fill="{color}"/>'
                f'<text x="{label_w + length + 4:.1f}" y="{y + 10}" fill="{INK}">'
                f"{_fmt(value, places)}</text>"
            )
    height = group_h * len(labels)
    if len(series) > 1:
        body += _legend(series, label_w, height + 12)
        height += _legend_height(series) + 6
    return _svg(label_w + bar_w + 60, height, title, desc, body, pad=12)
