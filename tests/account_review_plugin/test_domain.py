"""The plugin's pure modules: formula neutralisation, sheet names, file names, ranking, tiers."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2b_loyalty.domain.order_metrics import Period
from plugins.account_review.domain.file_names import (
    account_review_name,
    export_folder,
    period_label,
    portfolio_review_name,
    schedule_report_name,
    slugify,
)
from plugins.account_review.domain.ranking import rank_by_revenue
from plugins.account_review.domain.spreadsheet_safety import (
    FORMULA_TRIGGERS,
    MAX_CELL_CHARS,
    neutralise_formula,
    safe_cell_text,
    sheet_name,
)
from plugins.account_review.domain.tier_progress import tier_progress

DOMAIN = Path(__file__).resolve().parents[2] / "plugins" / "account_review" / "domain"
FORBIDDEN = (
    "flask",
    "sqlalchemy",
    "flask_sqlalchemy",
    "wtforms",
    "werkzeug",
    "jinja2",
    "openpyxl",
    "weasyprint",
)


def test_domain_modules_import_neither_flask_nor_sqlalchemy():
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
                if top in FORBIDDEN or (
                    top in ("b2b_loyalty", "plugins")
                    and not module.startswith(
                        ("b2b_loyalty.domain", "plugins.account_review.domain")
                    )
                ):
                    offenders.append(f"{path.name}: {module}")
    assert offenders == []


# --- formula neutralisation ----------------------------------------------------------------

text_with_triggers = st.one_of(
    st.text(),
    st.builds(lambda t, s: t + s, st.sampled_from(FORMULA_TRIGGERS), st.text()),
)


@given(text_with_triggers)
def test_neutralised_text_never_starts_a_formula_and_keeps_the_text(text):
    result = neutralise_formula(text)
    assert not result.startswith(FORMULA_TRIGGERS)
    if text.startswith(FORMULA_TRIGGERS):
        assert result == "'" + text
    else:
        assert result == text
    assert neutralise_formula(result) == result  # idempotent


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_safe_cell_text_is_never_a_formula_nor_invalid_xml(text):
    result = safe_cell_text(text)
    assert not result.startswith(FORMULA_TRIGGERS)
    assert all(ch in "\t\n\r" or ord(ch) >= 0x20 for ch in result)
    assert len(result) <= MAX_CELL_CHARS


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "\x00=1"],
)
def test_known_payloads_are_neutralised(text):
    assert safe_cell_text(text).startswith("'")


def test_very_long_text_is_cut_to_what_a_cell_holds():
    assert len(safe_cell_text("x" * 40_000)) == MAX_CELL_CHARS - 1


def test_sheet_names_are_valid_and_unique():
    assert sheet_name("Q1/Q2: [draft]*?") == "Q1Q2 draft"
    assert sheet_name("x" * 40) == "x" * 31
    assert sheet_name("Summary", {"summary"}) == "Summary (2)"
    assert sheet_name("'quoted'") == "quoted"
    assert sheet_name("") == "Sheet"


# --- file names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), "2026"),
        (date(2026, 4, 1), date(2026, 6, 30), "2026-Q2"),
        (date(2026, 2, 1), date(2026, 2, 28), "2026-02"),
        (date(2026, 2, 1), date(2026, 4, 30), "2026-02-01_2026-04-30"),
        (date(2025, 11, 27), date(2026, 11, 26), "2025-11-27_2026-11-26"),
        (date(2026, 3, 1), date(2026, 5, 31), "2026-03-01_2026-05-31"),
    ],
)
def test_period_labels_are_the_shortest_name(start, end, label):
    assert period_label(Period(start, end)) == label


def test_file_names_are_stable_and_safe():
    q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
    assert account_review_name(42, "Müller & Söhne GmbH", q1, "pdf") == (
        "account-review_42_muller-sohne-gmbh_2026-Q1.pdf"
    )
    assert account_review_name(7, "../../etc/passwd", q1, "xlsx") == (
        "account-review_7_etc-passwd_2026-Q1.xlsx"
    )
    assert account_review_name(8, "東京", q1, "pdf") == "account-review_8_account_2026-Q1.pdf"
    # Letters accents alone do not explain, and Cyrillic names, are spelt out, not dropped
    # (a Russian client's review was once named "account-review_10_account_…").
    assert (
        account_review_name(9, "Pomorskie Zakłady Spożywcze", q1, "pdf")
        == "account-review_9_pomorskie-zaklady-spozywcze_2026-Q1.pdf"
    )
    assert (
        account_review_name(10, "АО «Уральские Литейные Системы»", q1, "pdf")
        == "account-review_10_ao-uralskie-liteynye-sistemy_2026-Q1.pdf"
    )
    assert slugify("Straße Søren Ærø") == "strasse-soren-aero"
    assert portfolio_review_name(q1, "xlsx") == "portfolio-review_2026-Q1.xlsx"
    assert (
        portfolio_review_name(q1, "pdf", "Anna Manager")
        == "portfolio-review_2026-Q1_anna-manager.pdf"
    )
    assert schedule_report_name(Decimal("30"), "xlsx") == "discount-schedules_margin-30.xlsx"
    assert schedule_report_name(Decimal("27.5"), "pdf") == "discount-schedules_margin-27-5.pdf"
    assert export_folder(Path("/x"), date(2026, 11, 26)) == Path("/x/2026-11-26")
    with pytest.raises(ValueError):
        account_review_name(1, "a", q1, "exe")


@given(st.text(max_size=300))
def test_slugs_are_short_lowercase_ascii(text):
    slug = slugify(text)
    assert 0 < len(slug) <= 40
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert not slug.startswith("-") and not slug.endswith("-")


# --- ranking and tiers ---------------------------------------------------------------------


def test_ranking_is_by_revenue_then_name_with_the_running_share():
    items = [("b", Decimal(50)), ("a", Decimal(50)), ("c", Decimal(100)), ("d", Decimal(-10))]
    ranked = rank_by_revenue(items, revenue=lambda i: i[1], name=lambda i: i[0], key=lambda i: 0)
    assert [(r.rank, r.item[0]) for r in ranked] == [(1, "c"), (2, "a"), (3, "b"), (4, "d")]
    assert [r.cumulative_share for r in ranked] == [
        Decimal("0.5000"),
        Decimal("0.7500"),
        Decimal("1.0000"),
        Decimal("1.0000"),
    ]
    nothing = rank_by_revenue([("x", Decimal(0))], lambda i: i[1], lambda i: i[0], lambda i: 0)
    assert nothing[0].cumulative_share is None


@given(st.lists(st.decimals(min_value=-1000, max_value=10**9, places=2), max_size=50))
def test_ranking_shares_never_fall_and_end_at_one(values):
    ranked = rank_by_revenue(
        list(enumerate(values)),
        revenue=lambda i: i[1],
        name=lambda i: str(i[0]),
        key=lambda i: i[0],
    )
    shares = [r.cumulative_share for r in ranked if r.cumulative_share is not None]
    assert shares == sorted(shares)
    if any(v > 0 for v in values):
        assert shares[-1] == Decimal("1.0000")
    assert [r.rank for r in ranked] == list(range(1, len(values) + 1))


def test_tier_progress_names_the_tier_reached_and_what_is_left():
    tiers = [(Decimal(0), Decimal(0)), (Decimal(100), Decimal(5)), (Decimal(300), Decimal(20))]
    middle = tier_progress(tiers, Decimal(250))
    assert (middle.reached_from, middle.reached_percent) == (Decimal(100), Decimal(5))
    assert (middle.next_from, middle.next_percent, middle.to_next) == (
        Decimal(300),
        Decimal(20),
        Decimal(50),
    )
    top = tier_progress(tiers, Decimal(300))
    assert top.top_reached and top.reached_percent == Decimal(20) and top.to_next is None
    below = tier_progress([(Decimal(10), Decimal(2))], Decimal(5))
    assert below.reached_from is None and below.reached_percent == 0 and below.to_next == 5
