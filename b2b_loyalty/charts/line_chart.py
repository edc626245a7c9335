"""Line and step charts as inline SVG (pages and WeasyPrint PDF reports).

A step chart is what a volume discount schedule looks like: the net price per
unit holds flat across a tier and jumps at the next threshold, so a sloped line
between two tiers would show prices nobody is ever charged. Vertical markers
point at tier thresholds or price cliffs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from b2b_loyalty.charts.scales import (
    INK,
    MUTED,
    PALETTE,
    Formatter,
    LinearScale,
    Number,
    check_color,
    default_format,
    esc,
    nice_ticks,
    no_data_svg,
    num,
    rotated_label,
    svg_open,
    text_width,
    to_decimal,
    truncate,
    y_grid,
)

_PAD = 8
_TICK_FONT = 11
_LABEL_FONT = 12
_TITLE_H = 22
_LEGEND_ROW = 16
_MARKER_ROW = 14
_MAX_MARKER_ROWS = 3
_DASH = "6 4"


@dataclass(frozen=True, slots=True)
class Series:
    """One line: ``points`` are ``(x, y)`` pairs in any order (drawn sorted by x)."""

    name: str
    points: Sequence[tuple[Number, Number]]
    color: str | None = None
    dashed: bool = False


def _clean(points: Sequence[tuple[Number, Number]]) -> list[tuple[Decimal, Decimal]]:
    """Points as Decimals sorted by x; NaN/infinite points are dropped, not drawn at 0."""
    cleaned = []
    for x, y in points:
        try:
            cleaned.append((to_decimal(x), to_decimal(y)))
        except ValueError:
            continue
    return sorted(cleaned, key=lambda p: p[0])


def _x_ticks(lo: Decimal, hi: Decimal, fmt: Formatter, plot_w: float) -> list[Decimal]:
    """As many x ticks as fit side by side: labels like "€12,500.00" need the room."""
    for count in range(8, 2, -1):
        ticks = nice_ticks(lo, hi, max_ticks=count)
        widest = max(text_width(fmt(t), _TICK_FONT) for t in ticks)
        if len(ticks) * (widest + 14) <= plot_w:
            return ticks
    return nice_ticks(lo, hi, max_ticks=2)


def _marker_rows(positions: list[tuple[float, float]]) -> list[int]:
    """Row per marker label (0 = nearest the plot) so neighbouring labels never overlap.

    ``positions`` are ``(start_x, width)`` in drawing order (sorted by x). Greedy
    first-fit; past three rows labels may touch, which beats eating the plot.
    """
    row_ends: list[float] = []  # right edge of the last label in each row
    rows = []
    for start, w in positions:
        free = [r for r, end in enumerate(row_ends) if start >= end + 6]
        if free:
            row = free[0]
        elif len(row_ends) < _MAX_MARKER_ROWS:
            row = len(row_ends)
            row_ends.append(0.0)
        else:
            row = len(rows) % _MAX_MARKER_ROWS
        row_ends[row] = start + w
        rows.append(row)
    return rows


def _legend(
    series: Sequence[Series], colors: list[str], x0: float, y0: float, max_x: float
) -> tuple[list[str], float]:
    """Legend items laid out left to right, wrapping; returns (svg parts, height used)."""
    parts, x, y = [], x0, y0 + 11
    for s, color in zip(series, colors, strict=True):
        name = truncate(s.name, 32)
        item_w = 24 + text_width(name, _TICK_FONT) + 16
        if x > x0 and x + item_w > max_x:
            x, y = x0, y + _LEGEND_ROW
        dash = f' stroke-dasharray="{_DASH}"' if s.dashed else ""
        parts.append(
            f'<line x1="{num(x)}" y1="{num(y - 4)}" x2="{num(x + 18)}" y2="{num(y - 4)}" '
            f'stroke="{color}" stroke-width="2.5"{dash}/>'
            f'<text x="{num(x + 24)}" y="{num(y)}">{esc(name)}</text>'
        )
        x += item_w
    return parts, y - y0 + 10  # clear of the top y tick label below


def line_chart(
    series: Sequence[Series],
    *,
    width: int = 640,
    height: int = 280,
    x_label: str = "",
    y_label: str = "",
    x_format: Formatter | None = None,
    y_format: Formatter | None = None,
    title: str = "",
    step: bool = False,
    markers: Sequence[tuple[Number, str]] = (),
    y_from_zero: bool = True,
    show_title: bool = True,
    no_data_text: str = "No data",
) -> str:
    """SVG markup of a line chart (``step=True``: flat until the next point, then a jump).

    Formatters receive tick values as ``Decimal`` (default: thousands-separated).
    ``markers`` are ``(x, label)`` vertical lines; the x axis widens to show them.
    ``y_from_zero`` keeps 0 on the y axis (honest for amounts; pass ``False`` to
    zoom in on prices that vary by a few percent). Pass translated strings for
    ``no_data_text`` and labels: this module has no locale of its own.
    """
    fx, fy = x_format or default_format, y_format or default_format
    colors = [
        check_color(s.color) if s.color else PALETTE[i % len(PALETTE)] for i, s in enumerate(series)
    ]
    cleaned = [_clean(s.points) for s in series]
    label = title or ", ".join(s.name for s in series) or "Line chart"
    points = [p for pts in cleaned for p in pts]
    if not points:
        return no_data_svg(width, height, title if show_title else "", no_data_text, "line")
    marks = []
    for value, text in markers:
        try:
            marks.append((to_decimal(value), str(text)))
        except ValueError:
            continue
    marks.sort(key=lambda m: m[0])
    xs = [p[0] for p in points] + [m[0] for m in marks]
    ys = [p[1] for p in points]

    parts = svg_open(width, height, label, "line")
    top = _PAD + 4  # room for the top tick label's upper half
    if title and show_title:
        parts.append(
            f'<text x="{_PAD}" y="{_PAD + 13}" font-size="13" font-weight="bold">{esc(title)}</text>'
        )
        top += _TITLE_H
    if len(series) > 1:
        legend, used = _legend(series, colors, _PAD, top, width - _PAD)
        parts += legend
        top += used
    bottom = height - _PAD - _TICK_FONT - 8 - (_LABEL_FONT + 8 if x_label else 0)

    # The y tick count follows the plot height (~36 px per step) so labels never crowd.
    guess_h = bottom - top - (_MARKER_ROW if marks else 0)
    y_lo, y_hi = min(ys), max(ys)
    if not y_from_zero:
        # Zoomed in, the extreme prices would otherwise lie on the axis line and vanish.
        y_lo, y_hi = y_lo - (y_hi - y_lo) / 20, y_hi + (y_hi - y_lo) / 20
    y_ticks = nice_ticks(
        y_lo, y_hi, max_ticks=max(3, int(guess_h // 36) + 1), include_zero=y_from_zero
    )
    y_labels = [fy(t) for t in y_ticks]
    left = _PAD + max(text_width(t, _TICK_FONT) for t in y_labels) + 8
    if y_label:
        left += _LABEL_FONT + 6
    x_ticks = _x_ticks(min(xs), max(xs), fx, width - left - _PAD - 20)
    x_labels = [fx(t) for t in x_ticks]
    # x labels are centred on their ticks: the first must not stick out of the SVG.
    left = max(left, _PAD + text_width(x_labels[0], _TICK_FONT) / 2)
    # The last x label is centred on the plot's right edge: leave room for its half.
    right = width - max(_PAD + 4, text_width(x_labels[-1], _TICK_FONT) / 2 + 2)
    sx = LinearScale.from_ticks(x_ticks, left, right)

    # Marker labels sit above the plot, staggered into rows when they collide.
    spots = []
    for value, text in marks:
        w = text_width(truncate(text, 28), _TICK_FONT)
        spots.append((min(max(sx(value) - w / 2, _PAD), width - _PAD - w), w))
    rows = _marker_rows(spots)
    marker_top = top
    if rows:
        top += (max(rows) + 1) * _MARKER_ROW + 4
    top = min(top, bottom - 20)  # a tiny chart still gets a (tiny) plot rather than a negative one
    sy = LinearScale.from_ticks(y_ticks, bottom, top)

    parts += y_grid(y_ticks, y_labels, sy, left, right)
    parts.append(
        f'<line x1="{num(left)}" y1="{num(bottom)}" x2="{num(right)}" y2="{num(bottom)}" stroke="{INK}"/>'
        f'<line x1="{num(left)}" y1="{num(top)}" x2="{num(left)}" y2="{num(bottom)}" stroke="{INK}"/>'
    )
    for tick, text in zip(x_ticks, x_labels, strict=True):
        x = sx(tick)
        parts.append(
            f'<line x1="{num(x)}" y1="{num(bottom)}" x2="{num(x)}" y2="{num(bottom + 4)}" stroke="{INK}"/>'
            f'<text x="{num(x)}" y="{num(bottom + 6 + _TICK_FONT)}" text-anchor="middle">{esc(text)}</text>'
        )
    if x_label:
        parts.append(
            f'<text x="{num((left + right) / 2)}" y="{num(height - _PAD - 2)}" text-anchor="middle" '
            f'font-size="{_LABEL_FONT}">{esc(x_label)}</text>'
        )
    if y_label:
        parts.append(
            rotated_label(y_label, _PAD + _LABEL_FONT - 2, (top + bottom) / 2, _LABEL_FONT)
        )

    # Markers go under the data lines so a threshold never hides a price.
    for (value, text), (start, _w), row in zip(marks, spots, rows, strict=True):
        x = sx(value)
        y = marker_top + (max(rows) - row + 1) * _MARKER_ROW - 3
        parts.append(
            f'<line x1="{num(x)}" y1="{num(top)}" x2="{num(x)}" y2="{num(bottom)}" stroke="{MUTED}" '
            f'stroke-width="1" stroke-dasharray="3 3"><title>{esc(text)}</title></line>'
            f'<text x="{num(start)}" y="{num(y)}" fill="{MUTED}">{esc(truncate(text, 28))}</text>'
        )

    for s, pts, color in zip(series, cleaned, colors, strict=True):
        if not pts:
            continue
        coords = [(sx(x), sy(y)) for x, y in pts]
        d = [f"M{num(coords[0][0])} {num(coords[0][1])}"]
        for x, y in coords[1:]:
            # Step: hold the previous price up to the next threshold, then jump.
            d.append(f"H{num(x)} V{num(y)}" if step else f"L{num(x)} {num(y)}")
        dash = f' stroke-dasharray="{_DASH}"' if s.dashed else ""
        parts.append(
            f'<path d="{" ".join(d)}" fill="none" stroke="{color}" stroke-width="2" '
            f'stroke-linejoin="round"{dash}><title>{esc(s.name)}</title></path>'
        )
        if len(pts) == 1:  # a one-point path draws nothing: show the point itself
            x, y = coords[0]
            parts.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="3.5" fill="{color}"/>')
    parts.append("</svg>")
    return "\n".join(parts)


__all__ = ["Series", "line_chart"]
