"""NPS per circle and quarter, stance moves, the org tree, settings and domain purity."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from plugins.engagement.domain.nps_trend import (
    SurveyAnswer,
    current_nps,
    latest_per_person,
    nps_by_circle,
    nps_by_quarter,
    quarter_bounds,
)
from plugins.engagement.domain.org_tree import org_tree
from plugins.engagement.domain.settings import (
    SettingsError,
    default_config,
    settings_from_config,
)
from plugins.engagement.domain.stance_moves import StanceChange, stance_moves

AS_OF = date(2026, 6, 30)
DOMAIN = Path(__file__).resolve().parents[2] / "plugins" / "engagement" / "domain"


def test_nps_counts_each_persons_latest_answer_in_the_window():
    answers = [
        SurveyAnswer(1, 1, date(2026, 1, 1), 0),
        SurveyAnswer(1, 1, date(2026, 5, 1), 10),  # replaces the 0 above
        SurveyAnswer(2, 2, date(2026, 6, 1), 5),
        SurveyAnswer(3, 3, date(2025, 6, 30), 10),  # 365 days ago: outside a 365-day window
    ]
    assert [a.score for a in latest_per_person(answers)] == [10, 10, 5]
    nps = current_nps(answers, AS_OF, 365)
    assert (nps.value, nps.answers, nps.promoters, nps.detractors) == (Decimal(0), 2, 1, 1)
    by_circle = nps_by_circle(answers, AS_OF, 365)
    assert by_circle[1].value == 100 and by_circle[2].value == -100
    assert by_circle[3].value is None


def test_nps_by_quarter_goes_back_from_as_of():
    answers = [SurveyAnswer(1, 1, date(2026, 2, 1), 9), SurveyAnswer(1, 1, date(2025, 11, 1), 3)]
    quarters = nps_by_quarter(answers, AS_OF, 4)
    assert [label for label, _ in quarters] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert [q.value for _, q in quarters] == [None, -100, 100, None]
    assert quarter_bounds(2025, 4) == (date(2025, 10, 1), date(2025, 12, 31))


def test_stance_moves_show_who_warmed_and_who_cooled():
    changes = [
        StanceChange(1, date(2025, 1, 1), None, "skeptic", id=1),
        StanceChange(1, date(2026, 3, 1), "skeptic", "supporter", id=2),
        StanceChange(2, date(2026, 2, 1), "neutral", "blocker", id=3),
        StanceChange(3, date(2026, 2, 1), "neutral", "supporter", id=4),
        StanceChange(3, date(2026, 4, 1), "supporter", "neutral", id=5),  # back where it was
        StanceChange(4, date(2026, 5, 1), None, "champion", id=6),  # only a seed
        StanceChange(5, date(2024, 1, 1), "neutral", "skeptic", id=7),  # before the period
    ]
    moves = stance_moves(changes, date(2026, 1, 1), AS_OF)
    assert set(moves) == {1, 2}
    assert moves[1].description == "Skeptic → Supporter" and moves[1].direction == 1
    assert moves[2].direction == -1 and moves[2].changed_on == date(2026, 2, 1)
    assert set(stance_moves(changes, date(2026, 1, 1), date(2026, 2, 15))) == {2, 3}


def test_org_tree_from_reports_to_survives_loops_and_strangers():
    people = [
        {"id": 1, "boss": None},
        {"id": 2, "boss": 1},
        {"id": 3, "boss": 2},
        {"id": 4, "boss": 99},  # reports to someone not in the list: a root
        {"id": 5, "boss": 6},  # 5 and 6 report to each other
        {"id": 6, "boss": 5},
    ]
    forest = org_tree(people, key=lambda p: p["id"], manager_key=lambda p: p["boss"])
    roots = [node.item["id"] for node in forest]
    assert roots[:2] == [1, 4]
    assert [c.item["id"] for c in forest[0].reports] == [2]
    assert forest[0].reports[0].reports[0].item["id"] == 3
    placed = []

    def walk(nodes):
        for node in nodes:
            placed.append(node.item["id"])
            walk(node.reports)

    walk(forest)
    assert sorted(placed) == [1, 2, 3, 4, 5, 6]


def test_settings_have_documented_defaults_and_parse_the_environment_forms():
    defaults = settings_from_config({})
    assert defaults.half_life_days == 90
    assert dict(defaults.cadence_days) == {1: 30, 2: 91, 3: 182}
    assert defaults.weight_of("meeting") == 5 and defaults.weight_of("email") == 1
    assert set(default_config()) >= {"ENGAGEMENT_HALF_LIFE_DAYS", "ENGAGEMENT_CADENCE_DAYS"}
    custom = settings_from_config(
        {
            "ENGAGEMENT_HALF_LIFE_DAYS": "30",
            "ENGAGEMENT_TYPE_WEIGHTS": "meeting=8, email=0.5",
            "ENGAGEMENT_CADENCE_DAYS": "14,60,365",
        }
    )
    assert custom.half_life_days == 30
    assert custom.weight_of("meeting") == 8 and custom.weight_of("email") == Decimal("0.5")
    assert custom.weight_of("call") == 3  # untouched types keep their default
    assert dict(custom.cadence_days) == {1: 14, 2: 60, 3: 365}


@pytest.mark.parametrize(
    "key, value",
    [
        ("ENGAGEMENT_HALF_LIFE_DAYS", "0"),
        ("ENGAGEMENT_HALF_LIFE_DAYS", "soon"),
        ("ENGAGEMENT_TYPE_WEIGHTS", "lunch=3"),
        ("ENGAGEMENT_TYPE_WEIGHTS", "meeting=-1"),
        ("ENGAGEMENT_TYPE_WEIGHTS", "meeting"),
        ("ENGAGEMENT_CADENCE_DAYS", "30,91"),
        ("ENGAGEMENT_BLOCKER_MIN_INFLUENCE", "6"),
    ],
)
def test_bad_settings_are_refused_naming_the_key(key, value):
    with pytest.raises(SettingsError, match=key):
        settings_from_config({key: value})


def test_engagement_domain_imports_neither_flask_nor_sqlalchemy():
    forbidden = ("flask", "sqlalchemy", "flask_sqlalchemy", "wtforms", "werkzeug", "jinja2")
    offenders = []
    for path in sorted(DOMAIN.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                allowed = module.startswith(("b2b_loyalty.domain", "plugins.engagement.domain"))
                if top in forbidden or (top in ("b2b_loyalty", "plugins") and not allowed):
                    offenders.append(f"{path.name}: {module}")
    assert offenders == []
    assert len(list(DOMAIN.glob("*.py"))) >= 8


def test_window_dates_are_whole_days():
    assert AS_OF - timedelta(days=1) == date(2026, 6, 29)
