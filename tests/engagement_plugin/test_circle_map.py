"""The circle map: one dot per active person, in the ring of their circle, at 0, 1 and 40."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from plugins.engagement.charts.circle_map import circle_map_svg
from plugins.engagement.domain.circle_layout import LABEL_GAP, MapPerson, layout_circle_map

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def rings(root: ET.Element) -> dict[int, tuple[float, float, float]]:
    found = {
        int(c.get("data-circle")): (float(c.get("cx")), float(c.get("cy")), float(c.get("r")))
        for c in root.iterfind(".//svg:circle[@class='ring']", NS)
    }
    assert sorted(found) == [1, 2, 3]
    return found


def check_dots_in_their_rings(root: ET.Element) -> list[ET.Element]:
    ring = rings(root)
    bounds = {1: (0.0, ring[1][2]), 2: (ring[1][2], ring[2][2]), 3: (ring[2][2], ring[3][2])}
    dots = [c for c in root.iterfind(".//svg:circle", NS) if "person" in c.get("class", "")]
    for dot in dots:
        circle = int(dot.get("data-circle"))
        cx, cy, _ = ring[1]
        distance = math.hypot(float(dot.get("cx")) - cx, float(dot.get("cy")) - cy)
        inner, outer = bounds[circle]
        r = float(dot.get("r"))
        # The whole dot lies inside its band (a dot at the very centre has distance 0).
        assert inner <= distance - r + 0.01 or (circle == 1 and distance == 0), dot.attrib
        assert distance + r <= outer + 0.01, dot.attrib
    return dots


def people(n: int) -> list[MapPerson]:
    stances = ["champion", "supporter", "neutral", "skeptic", "blocker"]
    return [
        MapPerson(
            id=i,
            name=f"Person with a fairly long name {i}",
            circle=(1, 1, 2, 2, 3)[i % 5],
            stance=stances[i % 5],
            influence=1 + i % 5,
            engaged=i % 3 != 0,
            move=(0, 1, -1)[i % 3],
        )
        for i in range(1, n + 1)
    ]


def test_map_with_no_people_draws_the_rings_and_says_so():
    root = parse(circle_map_svg([], title="Empty"))
    assert check_dots_in_their_rings(root) == []
    assert "No active people recorded" in "".join(root.itertext())


def test_map_with_one_person_puts_them_in_the_centre():
    root = parse(circle_map_svg(people(1)[:1], title="One"))
    (dot,) = check_dots_in_their_rings(root)
    assert dot.get("data-stakeholder-id") == "1"


@pytest.mark.parametrize("n", [5, 30, 40])
def test_map_draws_one_dot_per_person_in_the_ring_of_their_circle(n):
    root = parse(circle_map_svg(people(n), title="Many"))
    dots = check_dots_in_their_rings(root)
    assert sorted(int(d.get("data-stakeholder-id")) for d in dots) == list(range(1, n + 1))
    faded = [d for d in dots if "faded" in d.get("class")]
    assert len(faded) == sum(1 for p in people(n) if not p.engaged)
    assert all(d.get("opacity") for d in faded)


@pytest.mark.parametrize("n", [30, 40])
def test_labels_of_a_crowded_map_do_not_overlap(n):
    layout = layout_circle_map(people(n))
    for anchor in ("start", "end"):
        ys = sorted(label.y for label in layout.labels if label.anchor == anchor)
        assert all(b - a >= LABEL_GAP - 0.01 for a, b in zip(ys, ys[1:], strict=False))
        assert all(0 < y < layout.legend_top for y in ys)
    assert len(layout.labels) == n


def test_sizes_follow_influence_and_colours_follow_stance():
    root = parse(circle_map_svg(people(10), title="Sizes"))
    dots = {int(d.get("data-stakeholder-id")): d for d in check_dots_in_their_rings(root)}
    assert float(dots[4].get("r")) > float(dots[5].get("r"))  # influence 5 vs 1
    assert dots[4].get("fill") != dots[3].get("fill")  # blocker vs skeptic


def test_every_text_is_escaped_and_nothing_is_fetched_or_scripted():
    evil = MapPerson(1, "<script>alert(1)</script> & Co", 1, "neutral", 3, True, 0, 'a"b')
    svg = circle_map_svg([evil], title='Map of "A&B" <ltd>')
    parse(svg)  # still well-formed XML
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<ltd>" not in svg
    assert not re.search(r"(href|src)=|https?://(?!www\.w3\.org/2000/svg)", svg)
