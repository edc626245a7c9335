"""The decision-maker circle map as standalone SVG: no JavaScript, nothing fetched.

Three concentric rings (first circle inside), one dot per active person in
the ring of their circle, coloured by stance, sized by influence, faded when
not engaged within the cadence; a legend explains each encoding. Every piece
of text is escaped, so templates may mark the result safe and WeasyPrint can
draw it inline in the PDF review. Geometry comes from
``domain.circle_layout``; this module only writes markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from plugins.engagement.domain.circle_layout import (
    LABEL_FONT,
    CircleMapLayout,
    MapPerson,
    dot_radius,
    layout_circle_map,
)

FONT = "DejaVu Sans, Noto Sans, sans-serif"
INK = "#333333"
MUTED = "#767676"
# Okabe–Ito colours (safe under colour-vision deficiencies), favourable to unfavourable.
STANCE_COLOURS: dict[str, str] = {
    "champion": "#009E73",
    "supporter": "#56B4E9",
    "neutral": "#9A9A9A",
    "skeptic": "#E69F00",
    "blocker": "#D55E00",
}
RING_FILLS = {1: "#E8F0FB", 2: "#EEF6F0", 3: "#F5F0FA"}
RING_LINES = {1: "#1F5FBF", 2: "#3C8D5A", 3: "#8A5CC2"}
RING_NAMES = {1: "1st circle", 2: "2nd circle", 3: "3rd circle"}
FADED_OPACITY = "0.3"
MOVE_MARKS = {1: " ▲", -1: " ▼", 0: ""}


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _legend(layout: CircleMapLayout) -> list[str]:
    y = layout.legend_top + 16
    parts = [f'<g class="legend" font-size="11" fill="{INK}">']
    x = 12.0
    for stance, colour in STANCE_COLOURS.items():
        parts.append(f'<circle cx="{_n(x + 6)}" cy="{_n(y)}" r="6" fill="{colour}"/>')
        parts.append(f'<text x="{_n(x + 16)}" y="{_n(y + 4)}">{escape(stance.capitalize())}</text>')
        x += 28 + len(stance) * 7
    y2 = y + 24
    parts.append(f'<circle cx="18" cy="{_n(y2)}" r="{_n(dot_radius(1))}" fill="{MUTED}"/>')
    parts.append(f'<circle cx="38" cy="{_n(y2)}" r="{_n(dot_radius(5))}" fill="{MUTED}"/>')
    parts.append(f'<text x="56" y="{_n(y2 + 4)}">Size: influence 1 to 5</text>')
    fx = 220.0
    parts.append(
        f'<circle cx="{_n(fx)}" cy="{_n(y2)}" r="7" fill="{MUTED}" opacity="{FADED_OPACITY}" '
        f'stroke="{INK}" stroke-dasharray="2 2"/>'
    )
    parts.append(
        f'<text x="{_n(fx + 12)}" y="{_n(y2 + 4)}">Faded: not contacted within the cadence</text>'
    )
    parts.append(f'<text x="{_n(fx + 260)}" y="{_n(y2 + 4)}">▲ ▼ stance improved / worsened</text>')
    parts.append("</g>")
    return parts


def circle_map_svg(
    people: Sequence[MapPerson], *, title: str, id_prefix: str = "circle-map"
) -> str:
    """SVG markup of the map of ``people`` (the active ones; inactive are the caller's to drop)."""
    layout = layout_circle_map(people)
    prefix = _attr(id_prefix)
    counts = {c: sum(1 for p in people if p.circle == c) for c in (1, 2, 3)}
    engaged = sum(1 for p in people if p.engaged)
    description = (
        f"{len(people)} active people: {counts[1]} in the first circle, {counts[2]} in the "
        f"second, {counts[3]} in the third; {engaged} contacted within their cadence."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="engagement-circle-map" '
        f'viewBox="0 0 {_n(layout.width)} {_n(layout.height)}" width="{_n(layout.width)}" '
        f'height="{_n(layout.height)}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="{FONT}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
        '<g class="rings">',
    ]
    for circle in (3, 2, 1):
        _, outer = layout.band_of(circle)
        parts.append(
            f'<circle class="ring" data-circle="{circle}" cx="{_n(layout.cx)}" '
            f'cy="{_n(layout.cy)}" r="{_n(outer)}" fill="{RING_FILLS[circle]}" '
            f'stroke="{RING_LINES[circle]}" stroke-width="1.5"/>'
        )
    for circle in (1, 2, 3):
        inner, outer = layout.band_of(circle)
        y = layout.cy - outer + 13
        parts.append(
            f'<text x="{_n(layout.cx)}" y="{_n(y)}" text-anchor="middle" font-size="10" '
            f'fill="{RING_LINES[circle]}" font-weight="bold">{RING_NAMES[circle]}</text>'
        )
    parts.append("</g>")
    if not people:
        parts.append(
            f'<text class="empty" x="{_n(layout.cx)}" y="{_n(layout.cy + 4)}" '
            f'text-anchor="middle" font-size="13" fill="{INK}">No active people recorded</text>'
        )
    parts.append(f'<g class="leaders" stroke="{MUTED}" stroke-width="0.6" fill="none">')
    for label in layout.labels:
        x1, y1, x2, y2 = label.line
        parts.append(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"/>')
    parts.append("</g>")
    parts.append('<g class="dots">')
    for dot in layout.dots:
        person = dot.person
        colour = STANCE_COLOURS.get(person.stance, STANCE_COLOURS["neutral"])
        faded = "" if person.engaged else f' opacity="{FADED_OPACITY}" stroke-dasharray="2 2"'
        state = "engaged" if person.engaged else "faded"
        tooltip = person.detail or person.name
        parts.append(
            f'<circle class="person {state}" data-stakeholder-id="{person.id}" '
            f'data-circle="{person.circle}" data-stance="{_attr(person.stance)}" '
            f'cx="{_n(dot.x)}" cy="{_n(dot.y)}" r="{_n(dot.r)}" fill="{colour}" '
            f'stroke="{INK}" stroke-width="0.8"{faded}><title>{escape(tooltip)}</title></circle>'
        )
    parts.append("</g>")
    moves = {p.id: p.move for p in people}
    parts.append(f'<g class="labels" font-size="{LABEL_FONT}" fill="{INK}">')
    for label in layout.labels:
        mark = MOVE_MARKS.get(moves.get(label.person_id, 0), "")
        parts.append(
            f'<text data-stakeholder-id="{label.person_id}" x="{_n(label.x)}" '
            f'y="{_n(label.y)}" text-anchor="{label.anchor}">{escape(label.text + mark)}</text>'
        )
    parts.append("</g>")
    parts += _legend(layout)
    parts.append("</svg>")
    return "".join(parts)
