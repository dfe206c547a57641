"""Geometry of the server-side SVG charts: plain numbers in, coordinates as strings out.

Coordinates are formatted here with a decimal point because templates would localise them
(``12,5`` in Indonesian), which SVG does not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 36, 10, 12, 28
# Room between the axes and the first and last year.
PAD = 18


def _fmt(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class Mark:
    x: str
    y: str
    year: int
    value: Decimal
    provisional: bool = False


@dataclass(frozen=True)
class ScoreChart:
    width: int
    height: int
    gridlines: tuple[tuple[str, int], ...]
    years: tuple[tuple[str, int], ...]
    target: tuple[Mark, ...]
    actual: tuple[Mark, ...]
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM

    @property
    def target_path(self) -> str:
        return " ".join(f"{m.x},{m.y}" for m in self.target)

    @property
    def actual_path(self) -> str:
        return " ".join(f"{m.x},{m.y}" for m in self.actual)

    @property
    def middle(self) -> str:
        return _fmt(self.left + (self.right_edge - self.left) / 2)

    @property
    def empty(self) -> bool:
        return not self.target and not self.actual


def score_chart(points, *, scale_min: int, scale_max: int) -> ScoreChart:
    """A line chart of target and actual scores over the years, on the framework's scale.

    ``points`` are ``progress.ScorePoint``s, one per plan year.
    """
    points = list(points)
    inner_width = WIDTH - LEFT - RIGHT - 2 * PAD
    inner_height = HEIGHT - TOP - BOTTOM
    span = max(len(points) - 1, 1)

    def x(index):
        offset = inner_width / 2 if len(points) == 1 else inner_width * index / span
        return _fmt(LEFT + PAD + offset)

    def y(value):
        share = (float(value) - scale_min) / (scale_max - scale_min)
        share = min(max(share, 0.0), 1.0)
        return _fmt(TOP + inner_height * (1 - share))

    return ScoreChart(
        width=WIDTH,
        height=HEIGHT,
        gridlines=tuple((y(level), level) for level in range(scale_min, scale_max + 1)),
        years=tuple((x(i), point.year) for i, point in enumerate(points)),
        target=tuple(
            Mark(x(i), y(p.target), p.year, p.target)
            for i, p in enumerate(points)
            if p.target is not None
        ),
        actual=tuple(
            Mark(x(i), y(p.actual), p.year, p.actual, p.provisional)
            for i, p in enumerate(points)
            if p.actual is not None
        ),
    )
