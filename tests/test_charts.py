"""SVG charts: well-formed, escaped, and drawing what they claim (no app needed)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from b2b_loyalty.charts import Series, bar_chart, default_format, line_chart, nice_ticks
from b2b_loyalty.charts.scales import LinearScale, to_decimal

NS = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script>"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{NS}text")]


def paths(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{NS}path"))


PRICES = [
    (0, Decimal("12.00")),
    (100, Decimal("11.40")),
    (500, Decimal("9.90")),
    (1000, Decimal("9.90")),
]


# --- scales ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (0, 11300, ["0", "2500", "5000", "7500", "10000", "12500"]),
        (0, 100, ["0", "20", "40", "60", "80", "100"]),
        (0, 7, ["0", "2", "4", "6", "8"]),
        (0, 1, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
        (Decimal("0.10"), Decimal("0.35"), ["0.10", "0.15", "0.20", "0.25", "0.30", "0.35"]),
        (-11300, 0, ["-12500", "-10000", "-7500", "-5000", "-2500", "0"]),
        (0, Decimal("999999.99"), ["0", "200000", "400000", "600000", "800000", "1000000"]),
    ],
)
def test_nice_ticks(lo, hi, expected):
    assert [str(t) for t in nice_ticks(lo, hi)] == expected


def test_nice_ticks_cover_the_data_and_stay_within_the_limit():
    for hi in (1, 3, 9, 11, 99, 101, 1234, 11300, 98765):
        for max_ticks in (3, 4, 6, 8):
            ticks = nice_ticks(0, hi, max_ticks=max_ticks)
            assert ticks[0] <= 0 and ticks[-1] >= hi
            assert 2 <= len(ticks) <= max_ticks
            steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
            assert len(steps) == 1


def test_nice_ticks_degenerate_ranges():
    assert nice_ticks(0, 0)[0] == 0 and nice_ticks(0, 0)[-1] == 1
    single = nice_ticks(5, 5)
    assert single[0] < 5 < single[-1]
    assert nice_ticks(5, 5, include_zero=True)[0] == 0
    negative = nice_ticks(-7, -3)
    assert negative[0] <= -7 and negative[-1] >= -3
    assert nice_ticks(-3, 7, include_zero=True)[0] < 0 < nice_ticks(-3, 7)[-1]
    assert "-0" not in [str(t) for t in nice_ticks(-1, 1)]


def test_linear_scale_and_numbers():
    scale = LinearScale(0, 100, 200, 0)  # SVG y: up is smaller
    assert scale(0) == 200 and scale(Decimal(50)) == 100 and scale(100) == 0
    assert LinearScale(5, 5, 0, 10)(5) == 5
    assert to_decimal(0.1) == Decimal("0.1")
    for bad in (float("nan"), float("inf"), True, "x"):
        with pytest.raises(ValueError):
            to_decimal(bad)
    assert default_format(11300) == "11,300"
    assert default_format(Decimal("1234.50")) == "1,234.50"
    assert default_format(0.1 + 0.2) == "0.3"


# --- line chart --------------------------------------------------------------------


def test_line_chart_is_xml_with_one_path_per_series_and_accessibility():
    svg = line_chart(
        [Series("A", PRICES), Series("B", [(0, 11), (1000, 10)], dashed=True, color="#123456")],
        title="Net price",
        x_label="Units",
        y_label="Price",
    )
    root = parse(svg)
    assert len(paths(root)) == 2
    assert root.get("role") == "img" and root.get("aria-label") == "Net price"
    assert root.find(f"{NS}title").text == "Net price"
    assert "#123456" in svg and 'stroke-dasharray="6 4"' in svg
    assert {"A", "B", "Units", "Price", "Net price"} <= set(texts(root))  # legend and labels
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_single_series_has_no_legend():
    root = parse(line_chart([Series("Only", PRICES)]))
    assert "Only" not in texts(root)
    assert root.get("aria-label") == "Only"


def test_labels_are_escaped():
    svg = line_chart(
        [Series(EVIL, PRICES), Series("B & C", PRICES)],
        title=EVIL,
        x_label=EVIL,
        markers=[(100, EVIL)],
    )
    root = parse(svg)
    assert not [el for el in root.iter() if el.tag.lower().endswith("script")]
    assert EVIL in texts(root) and "B & C" in texts(root)
    assert "&lt;script&gt;" in svg and "<script" not in svg
    assert root.get("aria-label") == EVIL
    bars = parse(bar_chart([(EVIL, 5), ('"quoted"', 3)], title=EVIL, y_label=EVIL))
    assert not [el for el in bars.iter() if el.tag.lower().endswith("script")]
    assert EVIL in texts(bars) and '"quoted"' in texts(bars)


def test_control_characters_do_not_break_the_xml():
    parse(line_chart([Series("bad\x00\x0bname", PRICES), Series("ok", PRICES)]))


def test_step_chart_goes_horizontal_then_vertical():
    root = parse(line_chart([Series("Price", PRICES)], step=True))
    (path,) = paths(root)
    commands = re.findall(r"[A-Za-z]", path.get("d"))
    assert commands == ["M", "H", "V", "H", "V", "H", "V"]
    plain = paths(parse(line_chart([Series("Price", PRICES)])))[0].get("d")
    assert re.findall(r"[A-Za-z]", plain) == ["M", "L", "L", "L"]


def test_points_are_drawn_in_x_order_and_bad_points_dropped():
    shuffled = [PRICES[2], (50, float("nan")), PRICES[0], PRICES[3], PRICES[1]]
    d = paths(parse(line_chart([Series("Price", shuffled)])))[0].get("d")
    xs = [float(x) for x in re.findall(r"[ML]([-\d.]+)", d)]
    assert len(xs) == 4 and xs == sorted(xs)


def test_tick_labels_use_the_formatters_with_decimals():
    seen = []

    def money(value):
        seen.append(value)
        return f"€{value:,.2f}"

    root = parse(line_chart([Series("P", PRICES)], y_format=money, x_format=lambda v: f"{v} u"))
    assert seen and all(isinstance(v, Decimal) for v in seen)
    assert "€0.00" in texts(root)  # y starts at zero by default
    assert "0 u" in texts(root)
    zoomed = texts(parse(line_chart([Series("P", PRICES)], y_format=money, y_from_zero=False)))
    assert "€0.00" not in zoomed


def test_markers_render_with_lines_and_labels():
    root = parse(
        line_chart(
            [Series("P", PRICES)],
            step=True,
            markers=[(100, "Tier 2"), (500, "Tier 3"), (1500, "Far")],
        )
    )
    assert {"Tier 2", "Tier 3", "Far"} <= set(texts(root))
    dashed = [ln for ln in root.iter(f"{NS}line") if ln.get("stroke-dasharray") == "3 3"]
    assert len(dashed) == 3
    assert "1,500" in texts(root)  # the x axis widened to show the far marker


def test_close_markers_get_separate_rows():
    root = parse(
        line_chart([Series("P", PRICES)], markers=[(100, "Tier two"), (110, "Cliff here")])
    )
    by_text = {el.text: el for el in root.iter(f"{NS}text")}
    assert by_text["Tier two"].get("y") != by_text["Cliff here"].get("y")


@pytest.mark.parametrize(
    "series",
    [[], [Series("Empty", [])], [Series("NaN", [(1, float("nan"))])]],
)
def test_empty_line_chart_says_no_data(series):
    root = parse(line_chart(series, title="Prices", no_data_text="Keine Daten"))
    assert "Keine Daten" in texts(root) and not paths(root)


def test_single_point_zero_and_negative_line_data():
    single = parse(line_chart([Series("One", [(5, 5)])]))
    assert len(paths(single)) == 1 and len(list(single.iter(f"{NS}circle"))) == 1
    zeros = parse(line_chart([Series("Zero", [(0, 0), (10, 0)])]))
    assert len(paths(zeros)) == 1
    negative = parse(line_chart([Series("Margin", [(1, -300), (2, 200), (3, -50)])]))
    assert {"-300", "0", "200"} <= set(texts(negative))  # the y axis reaches below zero


def test_bad_colour_is_refused():
    with pytest.raises(ValueError):
        line_chart([Series("x", PRICES, color='red" onload="alert(1)')])


# --- bar chart ---------------------------------------------------------------------

MONTHS = [("Jan", Decimal("11300")), ("Feb", Decimal("9800.50")), ("Mar", 0), ("Apr", 7000)]


def rects(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{NS}rect"))


def test_bar_chart_draws_one_bar_per_value_with_highlight():
    root = parse(bar_chart(MONTHS, title="Revenue", highlight={0, 3}))
    bars = rects(root)
    assert len(bars) == 4
    fills = [b.get("fill") for b in bars]
    assert fills[0] == fills[3] != fills[1] == fills[2]
    assert {"Jan", "Feb", "Mar", "Apr", "0", "12,500"} <= set(texts(root))
    assert bars[0].find(f"{NS}title").text == "Jan: 11,300"
    assert bars[1].find(f"{NS}title").text == "Feb: 9,800.50"  # original value, not a float
    assert float(bars[0].get("height")) > float(bars[3].get("height")) > 0


def test_pareto_cumulative_line_and_percent_axis():
    values = [("A", 60), ("B", 25), ("C", 10), ("D", 5)]
    root = parse(bar_chart(values, cumulative_line=True, highlight={0}))
    (line,) = paths(root)
    assert len(re.findall(r"[ML]", line.get("d"))) == 4
    assert {"0%", "80%", "100%", "Cumulative share"} <= set(texts(root))
    tips = [b.find(f"{NS}title").text for b in rects(root)]
    assert tips[0] == "A: 60 (60.0%)" and tips[-1] == "D: 5 (100.0%)"
    # The line ends at the top of the percent axis.
    ys = [float(y) for y in re.findall(r"[ML][-\d.]+ ([-\d.]+)", line.get("d"))]
    assert ys == sorted(ys, reverse=True)


def test_negative_bars_hang_below_zero_and_do_not_shrink_the_base():
    root = parse(bar_chart([("A", 100), ("B", -50)], cumulative_line=True))
    tips = [b.find(f"{NS}title").text for b in rects(root)]
    assert tips == ["A: 100 (100.0%)", "B: -50 (100.0%)"]
    assert any(t.startswith("-") for t in texts(root))


def test_many_long_labels_are_turned_and_thinned():
    bars = [(f"Account with a long name {i}", 1000 - i) for i in range(60)]
    root = parse(bar_chart(bars))
    turned = [t for t in root.iter(f"{NS}text") if "rotate(-45" in (t.get("transform") or "")]
    assert 0 < len(turned) < 60
    assert all(len(t.text) <= 20 for t in turned)
    assert len(rects(root)) == 60


@pytest.mark.parametrize("bars", [[], [("Q1", 0), ("Q2", Decimal("0.00"))]])
def test_empty_or_zero_bar_chart_says_no_data(bars):
    root = parse(bar_chart(bars, title="Revenue", cumulative_line=True))
    assert "No data" in texts(root) and "Revenue" in texts(root)


def test_bar_chart_refuses_nan():
    with pytest.raises(ValueError):
        bar_chart([("Jan", float("nan"))])
