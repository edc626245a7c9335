"""Bar charts as inline SVG: revenue by month or quarter, and Pareto (ABC) charts.

Bars are drawn in the order given: a Pareto chart expects them ranked largest
first (``domain.pareto`` ranks them), a time series expects them in time order,
and re-sorting here would break the caller's ``highlight`` indices.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal

from b2b_loyalty.charts.scales import (
    INK,
    PALETTE,
    Formatter,
    LinearScale,
    Number,
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
_BAR = PALETTE[0]
_HIGHLIGHT = PALETTE[1]  # blue vs orange: apart for every common colour-vision deficiency
_PERCENT_TICKS = [Decimal(p) for p in range(0, 101, 20)]  # 80 % is a tick: the Pareto line


def _default_percent(value: Decimal) -> str:
    return f"{value}%"


def _cumulative_percent(values: list[Decimal]) -> list[Decimal] | None:
    """Running share of the positive total, in percent; ``None`` if nothing is positive.

    Negative bars add nothing and do not shrink the base, as in ``domain.pareto``:
    otherwise one loss-making account would push the line above 100 %.
    """
    total = sum((v for v in values if v > 0), Decimal(0))
    if total <= 0:
        return None
    running, shares = Decimal(0), []
    for value in values:
        running += max(value, Decimal(0))
        shares.append(running * 100 / total)
    return shares


def bar_chart(
    bars: Sequence[tuple[str, Number]],
    *,
    width: int = 640,
    height: int = 280,
    y_format: Formatter | None = None,
    title: str = "",
    highlight: set[int] | None = None,
    cumulative_line: bool = False,
    y_label: str = "",
    cumulative_label: str = "Cumulative share",
    percent_format: Callable[[Decimal], str] | None = None,
    show_title: bool = True,
    no_data_text: str = "No data",
) -> str:
    """SVG markup of a vertical bar chart; ``bars`` are ``(label, value)`` pairs.

    ``highlight`` holds indices into ``bars`` drawn in the accent colour (e.g.
    the A accounts). ``cumulative_line`` adds the running share of the positive
    total on a right-hand 0–100 % axis. Values may be negative; the y axis always
    includes zero. Empty or all-zero data renders ``no_data_text``. Raises
    ``ValueError`` on a NaN/infinite value: a missing month must be 0, not a gap.
    """
    fy = y_format or default_format
    fp = percent_format or _default_percent
    labels = [str(name) for name, _ in bars]
    values = [to_decimal(value) for _, value in bars]
    label = title or "Bar chart"
    if not any(values):
        return no_data_svg(width, height, title if show_title else "", no_data_text, "bar")
    shares = _cumulative_percent(values) if cumulative_line else None
    highlight = highlight or set()

    parts = svg_open(width, height, label, "bar")
    top = _PAD + 4  # room for the top tick label's upper half
    if title and show_title:
        parts.append(
            f'<text x="{_PAD}" y="{_PAD + 13}" font-size="13" font-weight="bold">{esc(title)}</text>'
        )
        top += _TITLE_H

    # y ticks from a first guess at the plot height (~36 px per step); the category
    # labels, which set the bottom margin, depend on the plot width found next.
    guess_h = height - top - _PAD - 40
    y_ticks = nice_ticks(
        min(values), max(values), max_ticks=max(3, int(guess_h // 36) + 1), include_zero=True
    )
    y_labels = [fy(t) for t in y_ticks]
    left = _PAD + max(text_width(t, _TICK_FONT) for t in y_labels) + 8
    if y_label:
        left += _LABEL_FONT + 6
    right = width - _PAD - 4
    if shares is not None:
        right -= max(text_width(fp(t), _TICK_FONT) for t in _PERCENT_TICKS) + 8 + _LABEL_FONT + 6
    slot = (right - left) / len(values)

    # Category labels: horizontal when they fit their slot, else turned 45° and
    # truncated so they take at most ~30 % of the height; when even that is too
    # dense, only every n-th label is shown (the bar's <title> still names it).
    short = [truncate(t, 20) for t in labels]
    widest = max(text_width(t, _TICK_FONT) for t in short)
    rotate = widest > slot - 6
    every = 1
    if rotate:
        max_chars = max(4, int(height * 0.3 / 0.71 / (_TICK_FONT * 0.62)))
        short = [truncate(t, max_chars) for t in short]
        widest = max(text_width(t, _TICK_FONT) for t in short)
        for _ in range(2):  # a wider left margin narrows the slots: settles in two passes
            every = max(1, math.ceil(20 / slot))  # 45° labels need ~1.3 em between baselines
            # Turned labels hang left of their bar; the first ones must not leave the SVG.
            overhang = max(
                text_width(t, _TICK_FONT) * 0.71 - slot * (i + 0.5)
                for i, t in enumerate(short)
                if i % every == 0
            )
            left = max(left, _PAD + overhang)
            slot = (right - left) / len(values)
        bottom = height - _PAD - widest * 0.71 - _TICK_FONT - 4
    else:
        bottom = height - _PAD - _TICK_FONT - 8
    bottom = max(bottom, top + 20)
    sy = LinearScale.from_ticks(y_ticks, bottom, top)

    parts += y_grid(y_ticks, y_labels, sy, left, right)
    if y_label:
        parts.append(
            rotated_label(y_label, _PAD + _LABEL_FONT - 2, (top + bottom) / 2, _LABEL_FONT)
        )

    zero = sy(0)
    bar_w = max(1.0, min(slot * 0.72, 64.0))
    centres = []
    for i, (name, value, text) in enumerate(zip(labels, values, short, strict=True)):
        cx = left + slot * (i + 0.5)
        centres.append(cx)
        y = sy(value)
        tip = f"{name}: {fy(value)}"
        if shares is not None:
            tip += f" ({fp(shares[i].quantize(Decimal('0.1')))})"
        fill = _HIGHLIGHT if i in highlight else _BAR
        parts.append(
            f'<rect x="{num(cx - bar_w / 2)}" y="{num(min(y, zero))}" width="{num(bar_w)}" '
            f'height="{num(abs(zero - y))}" fill="{fill}"><title>{esc(tip)}</title></rect>'
        )
        if i % every:
            continue
        if rotate:
            ty = bottom + 10
            parts.append(
                f'<text transform="rotate(-45 {num(cx)} {num(ty)})" x="{num(cx)}" y="{num(ty)}" '
                f'text-anchor="end">{esc(text)}</text>'
            )
        else:
            parts.append(
                f'<text x="{num(cx)}" y="{num(bottom + 6 + _TICK_FONT)}" text-anchor="middle">'
                f"{esc(text)}</text>"
            )
    # The baseline is drawn at zero, after the bars, so negative bars hang from it.
    parts.append(
        f'<line x1="{num(left)}" y1="{num(zero)}" x2="{num(right)}" y2="{num(zero)}" stroke="{INK}"/>'
    )

    if shares is not None:
        # 0 % sits on the zero baseline, not under negative bars: shares start where bars do.
        sp = LinearScale(0.0, 100.0, zero, top)
        parts.append(
            f'<line x1="{num(right)}" y1="{num(top)}" x2="{num(right)}" y2="{num(bottom)}" stroke="{INK}"/>'
        )
        for tick in _PERCENT_TICKS:
            y = sp(tick)
            parts.append(
                f'<line x1="{num(right)}" y1="{num(y)}" x2="{num(right + 4)}" y2="{num(y)}" stroke="{INK}"/>'
                f'<text x="{num(right + 7)}" y="{num(y + _TICK_FONT * 0.35)}">{esc(fp(tick))}</text>'
            )
        parts.append(
            rotated_label(cumulative_label, width - _PAD - 4, (top + bottom) / 2, _LABEL_FONT)
        )
        coords = [(cx, sp(share)) for cx, share in zip(centres, shares, strict=True)]
        d = "M" + " L".join(f"{num(x)} {num(y)}" for x, y in coords)
        parts.append(
            f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="2" stroke-linejoin="round">'
            f"<title>{esc(cumulative_label)}</title></path>"
        )
        if slot >= 12:  # dots only while they stay apart
            parts += [
                f'<circle cx="{num(x)}" cy="{num(y)}" r="2.5" fill="{INK}"/>' for x, y in coords
            ]
    parts.append("</svg>")
    return "\n".join(parts)


__all__ = ["bar_chart"]
