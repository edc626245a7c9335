"""Geometry of the decision-maker circle map: rings, dots and labels that do not collide.

Units are SVG user units (pixels at 100 %). Three concentric bands around one
centre: the first circle is the inner disc (radius ``R1``), the second the ring
``R1..R2``, the third ``R2..R3``. Each active person is one dot inside the band
of their circle, with radius ``DOT_BASE + DOT_PER_INFLUENCE × influence``
(influence 1..5), scaled down together when a band is too crowded. Dots sit on
1-4 evenly spaced tracks per band, evenly spread by angle.

Labels go in two columns left and right of the rings (each dot to the side it
lies on), in the order of the dots' heights, pushed apart to at least
``LABEL_GAP`` so 30-40 names stay readable; a thin leader line joins each label
to its dot. The picture grows taller when a column needs the room.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from plugins.engagement.domain.vocabulary import CIRCLES

R1, R2, R3 = 78.0, 136.0, 192.0
INNER_HOLE = 0.0
DOT_BASE = 4.0
DOT_PER_INFLUENCE = 1.6
DOT_GAP = 3.0
MAX_TRACKS = 4
LABEL_FONT = 12
LABEL_GAP = 15.0
LABEL_CHARS = 22
LABEL_COLUMN = LABEL_CHARS * 0.62 * LABEL_FONT  # DejaVu Sans over-estimate, see charts
MARGIN = 12.0
LEADER = 18.0
LEGEND_HEIGHT = 70.0


@dataclass(frozen=True)
class MapPerson:
    id: int
    name: str
    circle: int
    stance: str
    influence: int
    engaged: bool
    move: int = 0  # +1 became more favourable, −1 less, 0 no move
    detail: str = ""  # full text for the dot's tooltip


@dataclass(frozen=True)
class PlacedDot:
    person: MapPerson
    x: float
    y: float
    r: float


@dataclass(frozen=True)
class PlacedLabel:
    person_id: int
    text: str
    x: float
    y: float
    anchor: str  # "start" (right column) or "end" (left column)
    line: tuple[float, float, float, float]  # leader line x1, y1, x2, y2


@dataclass(frozen=True)
class CircleMapLayout:
    width: float
    height: float
    cx: float
    cy: float
    radii: tuple[float, float, float]
    dots: tuple[PlacedDot, ...]
    labels: tuple[PlacedLabel, ...]
    legend_top: float

    def band_of(self, circle: int) -> tuple[float, float]:
        """Inner and outer radius of ``circle``'s band."""
        bounds = (INNER_HOLE, *self.radii)
        return bounds[circle - 1], bounds[circle]


def dot_radius(influence: int) -> float:
    return DOT_BASE + DOT_PER_INFLUENCE * max(1, min(5, influence))


def truncate(text: str, max_chars: int = LABEL_CHARS) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def _tracks(inner: float, outer: float, count: int, spacing: float) -> tuple[list, bool]:
    """Tracks for ``count`` dots of centre spacing ``spacing`` in the band ``inner..outer``.

    Returns ``[(radius, dots on it), ...]`` (always ``count`` dots in all) and
    whether they fit without overlapping.
    """
    if count == 1 and inner == 0:
        return [(0.0, 1)], True
    for tracks in range(1, MAX_TRACKS + 1):
        radii = [inner + (outer - inner) * (j + 0.5) / tracks for j in range(tracks)]
        capacity = [max(1, int(2 * math.pi * r / spacing)) for r in radii]
        if sum(capacity) >= count:
            break
    fits = sum(capacity) >= count
    total = sum(capacity)
    # Share the dots out in proportion to each track's room (outer tracks hold more).
    shares = [count * c // total for c in capacity]
    for j in sorted(range(len(capacity)), key=lambda i: -capacity[i]):
        if sum(shares) >= count:
            break
        shares[j] += 1
    while sum(shares) < count:  # does not fit: crowd the outermost track
        shares[-1] += 1
    return [(r, n) for r, n in zip(radii, shares, strict=True) if n > 0], fits


def _place_band(
    people: Sequence[MapPerson], inner: float, outer: float, cx: float, cy: float, offset: float
) -> list[PlacedDot]:
    if not people:
        return []
    largest = max(dot_radius(p.influence) for p in people)
    scale = 1.0
    while True:
        spacing = 2 * largest * scale + DOT_GAP
        low = inner + largest * scale + 1 if inner else 0.0
        high = outer - largest * scale - 1
        tracks, fits = _tracks(low, high, len(people), spacing)
        if fits or scale < 0.35:
            break
        scale *= 0.85
    dots = []
    queue = list(people)
    for index, (radius, count) in enumerate(tracks):
        start = offset + index * math.pi / max(3, count)
        for k in range(count):
            person = queue.pop(0)
            angle = start + 2 * math.pi * k / count
            dots.append(
                PlacedDot(
                    person,
                    cx + radius * math.cos(angle),
                    cy + radius * math.sin(angle),
                    dot_radius(person.influence) * scale,
                )
            )
    return dots


def _spread(desired: list[float], top: float, bottom: float, gap: float) -> list[float]:
    """Positions as close to ``desired`` (sorted) as possible, ≥ ``gap`` apart, in [top, bottom]."""
    placed: list[float] = []
    for y in desired:
        placed.append(max(y, top, placed[-1] + gap if placed else top))
    if placed and placed[-1] > bottom:
        placed[-1] = bottom
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    return placed


def layout_circle_map(people: Sequence[MapPerson]) -> CircleMapLayout:
    """Place every person of ``people`` (active ones; the caller filters) and their labels."""
    per_side = math.ceil(len(people) / 2) + 2
    rings_height = 2 * R3 + 2 * MARGIN
    height = max(rings_height, per_side * LABEL_GAP + 2 * MARGIN)
    width = 2 * (R3 + LEADER + LABEL_COLUMN + MARGIN)
    cx, cy = width / 2, height / 2
    ordered = sorted(people, key=lambda p: (p.circle, -p.influence, p.name, p.id))
    dots: list[PlacedDot] = []
    bounds = (INNER_HOLE, R1, R2, R3)
    for circle in CIRCLES:
        members = [p for p in ordered if p.circle == circle]
        offset = -math.pi / 2 + (circle - 1) * math.pi / 7
        dots += _place_band(members, bounds[circle - 1], bounds[circle], cx, cy, offset)

    labels: list[PlacedLabel] = []
    left = [d for d in dots if d.x < cx - 0.5]
    right = [d for d in dots if d.x > cx + 0.5]
    for dot in (d for d in dots if cx - 0.5 <= d.x <= cx + 0.5):
        (left if len(left) <= len(right) else right).append(dot)
    top, bottom = MARGIN + LABEL_FONT, height - MARGIN
    for side, column in ((-1, left), (1, right)):
        column.sort(key=lambda d: (d.y, d.x))
        ys = _spread([d.y + LABEL_FONT / 3 for d in column], top, bottom, LABEL_GAP)
        x = cx + side * (R3 + LEADER)
        for dot, y in zip(column, ys, strict=True):
            reach = dot.x + side * dot.r
            labels.append(
                PlacedLabel(
                    dot.person.id,
                    truncate(dot.person.name),
                    x + side * 4,
                    y,
                    "start" if side > 0 else "end",
                    (reach, dot.y, x, y - LABEL_FONT / 3),
                )
            )
    return CircleMapLayout(
        width=width,
        height=height + LEGEND_HEIGHT,
        cx=cx,
        cy=cy,
        radii=(R1, R2, R3),
        dots=tuple(dots),
        labels=tuple(labels),
        legend_top=height,
    )
