"""A region's SPBE index over the years as a small inline SVG, drawn on the server.

No JavaScript and no fonts to fetch: the page works offline and every mark is a link
to the evidence behind it (``<a href>`` around each point, ``<title>`` as tooltip).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 30, 34
SCALE_MAX = 5.0

STYLE = {
    "score": 'r="6" fill="#1f5fa8" stroke="#fff" stroke-width="1.5"',
    "competing": 'r="4.5" fill="#fff" stroke="#b5472f" stroke-width="2"',
}


@dataclass(frozen=True)
class Point:
    """One mark: a consensus score, a competing value, a target or an official value."""

    year: int
    value: float
    kind: str  # score | competing | target | official
    href: str
    label: str


def _x(year: int, years: Sequence[int]) -> float:
    """Years spread over the width, half a year of margin on each side."""
    start, span = years[0] - 0.5, years[-1] - years[0] + 1
    return LEFT + (year - start) / span * (WIDTH - LEFT - RIGHT)


def _y(value: float) -> float:
    value = max(0.0, min(SCALE_MAX, value))
    return TOP + (1 - value / SCALE_MAX) * (HEIGHT - TOP - BOTTOM)


def _axes(years: Sequence[int]) -> list[str]:
    parts = []
    for v in range(6):
        y = _y(v)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
        )
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{v}</text>')
    for year in range(years[0], years[-1] + 1):
        x = _x(year, years)
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle">{year}</text>')
    return parts


OFFSET = {"target": -12, "official": 12}  # side by side when values coincide


def _mark(p: Point, years: Sequence[int]) -> str:
    x, y = _x(p.year, years) + OFFSET.get(p.kind, 0), _y(p.value)
    if p.kind == "target":
        shape = (
            f'<path d="M{x:.1f},{y - 7:.1f} L{x + 7:.1f},{y + 5:.1f} '
            f'L{x - 7:.1f},{y + 5:.1f} Z" fill="#fff" stroke="#2e8540" stroke-width="2"/>'
        )
    elif p.kind == "official":
        shape = (
            f'<path d="M{x:.1f},{y - 7:.1f} L{x + 7:.1f},{y:.1f} L{x:.1f},{y + 7:.1f} '
            f'L{x - 7:.1f},{y:.1f} Z" fill="#f2b01e" stroke="#7a5600" stroke-width="1"/>'
        )
    else:
        shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" {STYLE[p.kind]}/>'
    if p.kind == "score":
        shape += (
            f'<text x="{x:.1f}" y="{y - 11:.1f}" text-anchor="middle" '
            f'font-weight="bold">{p.value:g}</text>'
        )
    return (
        f'<a href="{escape(p.href)}" class="point point-{p.kind}" '
        f'data-year="{p.year}" data-value="{p.value:g}">'
        f"<title>{escape(p.label)}</title>{shape}</a>"
    )


def _legend() -> str:
    items = [
        ("#1f5fa8", "score (consensus)"),
        ("#b5472f", "competing value"),
        ("#2e8540", "target"),
        ("#f2b01e", "official result"),
    ]
    parts = []
    for i, (colour, text) in enumerate(items):
        x = LEFT + i * 165
        parts.append(
            f'<rect x="{x}" y="8" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 15}" y="17">{text}</text>'
        )
    return "".join(parts)


def svg_chart(points: Sequence[Point], title: str) -> Markup:
    """The chart of ``points``; consensus scores are joined by a line in year order."""
    if not points:
        return Markup("")
    first, last = min(p.year for p in points), max(p.year for p in points)
    years = [first, last]
    scores = sorted((p for p in points if p.kind == "score"), key=lambda p: p.year)
    line = " ".join(f"{_x(p.year, years):.1f},{_y(p.value):.1f}" for p in scores)
    body = [*_axes(years), _legend()]
    if len(scores) > 1:
        body.append(f'<polyline points="{line}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    order = {"official": 0, "target": 1, "competing": 2, "score": 3}
    body += [_mark(p, years) for p in sorted(points, key=lambda p: order[p.kind])]
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="spbe-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="sans-serif" font-size="12" fill="#333">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )
