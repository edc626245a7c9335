"""Axis arithmetic for the SVG charts: "nice" ticks, linear scales, shared helpers.

Tick values are ``Decimal`` multiples of 1, 2, 2.5 or 5 × 10^k, so a label
formatter receives exactly ``2500`` and never ``2499.9999999``; only pixel
coordinates are ever floats. Everything here is pure and dependency-free so the
charts can be drawn for pages and PDF reports alike.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation

Number = Decimal | int | float
Formatter = Callable[[Decimal], str]

# Okabe–Ito colours: distinguishable under the common colour-vision deficiencies
# and in greyscale print. Yellow is left out: it disappears on white paper.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#000000",  # black
)
INK = "#333333"  # axes, labels, cumulative line
MUTED = "#767676"  # secondary text and marker lines (4.5:1 on white)
GRID = "#E3E3E3"
FONT_FAMILY = "DejaVu Sans, Noto Sans, sans-serif"

# Mantissas of a "nice" step; 2.5 makes 0, 2,500, 5,000 … possible.
_MANTISSAS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
# DejaVu Sans is a wide face: ~0.62 em per character is a safe over-estimate, and
# over-estimating only costs a little white space while under-estimating overlaps.
_EM_PER_CHAR = 0.62
# Characters XML 1.0 forbids even when escaped: one would make the whole SVG invalid.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_COLOR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?|[a-zA-Z]{3,20}")


def to_decimal(value: Number) -> Decimal:
    """Exact Decimal for ``value``; floats go through ``repr`` (0.1 stays 0.1).

    Raises ``ValueError`` for NaN, infinities, booleans and non-numbers.
    """
    if isinstance(value, bool):
        raise ValueError("a chart value must be a number, not a bool")
    try:
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def default_format(value: Number) -> str:
    """Thousands-separated label: ``12300`` → ``12,300``, ``Decimal('9.50')`` → ``9.50``.

    Decimals keep their own scale (money stays at two places); floats are shown
    with up to ten significant digits so binary noise never reaches a label.
    """
    if isinstance(value, Decimal):
        return format(value, ",f")
    if isinstance(value, float):
        return format(value, ",.10g")
    return format(value, ",")


def nice_ticks(
    lo: Number, hi: Number, *, max_ticks: int = 6, include_zero: bool = False
) -> list[Decimal]:
    """Evenly spaced round tick values covering ``[lo, hi]``, at most ``max_ticks`` of them.

    The first tick is ≤ ``lo`` and the last ≥ ``hi``, so the ticks are also the
    axis domain. ``include_zero`` stretches the range to 0 (bar charts must start
    at zero or they lie about proportions). A degenerate range is widened: all
    zeros give ``0 … 1``, a single value ±10 %. Negative ranges work the same way.

    >>> [str(t) for t in nice_ticks(0, 11300)]
    ['0', '2500', '5000', '7500', '10000', '12500']
    """
    low, high = sorted((to_decimal(lo), to_decimal(hi)))
    if include_zero:
        low, high = min(low, Decimal(0)), max(high, Decimal(0))
    if low == high:
        pad = abs(low) / 10 if low else Decimal(1)
        low, high = (low - pad, high + pad) if low else (Decimal(0), Decimal(1))
    max_ticks = max(2, max_ticks)
    raw_step = (high - low) / (max_ticks - 1)
    exponent = raw_step.adjusted()  # power of ten of the leading digit
    while True:  # terminates: the step grows tenfold per round until it covers the range
        for mantissa in _MANTISSAS:
            step = mantissa.scaleb(exponent)
            if step < raw_step:
                continue
            first = (low / step).to_integral_value(ROUND_FLOOR)
            last = (high / step).to_integral_value(ROUND_CEILING)
            if last - first + 1 <= max_ticks:
                # Quantize to the step's decimals so labels line up: 0.00, 0.25, 0.50.
                quantum = Decimal(1).scaleb(min(0, step.normalize().as_tuple().exponent))
                return [
                    (step * (first + i)).quantize(quantum) + 0  # + 0 turns -0 into 0
                    for i in range(int(last - first) + 1)
                ]
        exponent += 1


@dataclass(frozen=True, slots=True)
class LinearScale:
    """Maps the domain ``[d0, d1]`` linearly onto the pixel range ``[r0, r1]``.

    ``r0 > r1`` is allowed (SVG's y axis points down). A zero-width domain maps
    everything to the middle of the range instead of dividing by zero.
    """

    d0: float
    d1: float
    r0: float
    r1: float

    @classmethod
    def from_ticks(cls, ticks: list[Decimal], r0: float, r1: float) -> LinearScale:
        """Scale whose domain runs from the first to the last tick."""
        return cls(float(ticks[0]), float(ticks[-1]), r0, r1)

    def __call__(self, value: Number) -> float:
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2
        return self.r0 + (float(value) - self.d0) * (self.r1 - self.r0) / (self.d1 - self.d0)


# --- SVG helpers shared by the chart modules -------------------------------------------


def text_width(text: str, font_size: float) -> float:
    """Estimated rendered width: there is no font metrics engine server-side."""
    return len(text) * font_size * _EM_PER_CHAR


def truncate(text: str, max_chars: int) -> str:
    """``text`` cut to ``max_chars`` with an ellipsis; the full text goes in a ``<title>``."""
    return text if len(text) <= max_chars else text[: max(1, max_chars - 1)] + "…"


def esc(text: object) -> str:
    """Escape for SVG text and attribute values; drops characters XML cannot carry."""
    return html.escape(_XML_INVALID.sub("", str(text)), quote=True)


def num(value: float) -> str:
    """Compact coordinate: two decimals at most, no trailing zeros, never ``-0``."""
    out = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def check_color(color: str) -> str:
    """Accept ``#rgb``, ``#rrggbb`` or a CSS colour name; anything else is a caller bug."""
    if not _COLOR.fullmatch(color):
        raise ValueError(f"unsupported colour {color!r}: use #rgb, #rrggbb or a colour name")
    return color


def svg_open(width: int, height: int, label: str, kind: str) -> list[str]:
    """Root element plus ``<title>``: ``role="img"`` makes screen readers announce one image."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{esc(label)}" font-family="{FONT_FAMILY}" '
        f'font-size="11" fill="{INK}">',
        f"<title>{esc(label)}</title>",
    ]


def no_data_svg(width: int, height: int, title: str, message: str, kind: str) -> str:
    """Same-sized placeholder, so a page or PDF layout does not jump when data is missing."""
    parts = svg_open(width, height, f"{title}: {message}" if title else message, kind)
    if title:
        parts.append(f'<text x="8" y="18" font-size="13" font-weight="bold">{esc(title)}</text>')
    parts.append(
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="none" '
        f'stroke="{GRID}"/>'
        f'<text x="{num(width / 2)}" y="{num(height / 2)}" text-anchor="middle" '
        f'dominant-baseline="middle" font-size="13" fill="{MUTED}">{esc(message)}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def y_grid(
    ticks: list[Decimal], labels: list[str], scale: LinearScale, left: float, right: float
) -> list[str]:
    """Horizontal gridlines with their labels right-aligned left of the plot.

    The baseline offset (0.35 em) is applied by hand: WeasyPrint ignores
    ``dominant-baseline``, so relying on it would shift every label in PDFs.
    """
    parts = []
    for tick, label in zip(ticks, labels, strict=True):
        y = scale(tick)
        # Zero gets a darker line when the axis crosses it: it separates gains from losses.
        stroke = MUTED if tick == 0 and ticks[0] < 0 < ticks[-1] else GRID
        parts.append(
            f'<line x1="{num(left)}" y1="{num(y)}" x2="{num(right)}" y2="{num(y)}" '
            f'stroke="{stroke}" stroke-width="1"/>'
            f'<text x="{num(left - 6)}" y="{num(y + 11 * 0.35)}" text-anchor="end">'
            f"{esc(label)}</text>"
        )
    return parts


def rotated_label(text: str, x: float, y: float, font_size: int = 12) -> str:
    """Axis title turned 90° anticlockwise, centred on ``(x, y)``."""
    return (
        f'<text transform="rotate(-90 {num(x)} {num(y)})" x="{num(x)}" y="{num(y)}" '
        f'text-anchor="middle" font-size="{font_size}">{esc(text)}</text>'
    )
