"""Figures turned into what templates show: the map's SVG, its list view, the org chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from b2b_loyalty.charts import Series, line_chart
from plugins.engagement import queries
from plugins.engagement.charts.circle_map import STANCE_COLOURS, circle_map_svg
from plugins.engagement.domain.circle_layout import MapPerson
from plugins.engagement.domain.org_tree import OrgNode, org_tree
from plugins.engagement.domain.stance_moves import StanceMove, stance_moves
from plugins.engagement.domain.vocabulary import CIRCLE_NAMES, humanise
from plugins.engagement.figures import AccountEngagement

MOVES_LOOKBACK_DAYS = 365


@dataclass(frozen=True)
class MapRow:
    """One line of the map's list view (the same facts as a dot, for screen readers)."""

    person: queries.PersonRow
    engaged: bool
    status_text: str
    score: str | None
    score_explanation: str
    move: StanceMove | None


def recent_moves(account_id: int, as_of: date) -> dict[int, StanceMove]:
    changes = [c for c, _ in queries.stance_changes(account_id)]
    return stance_moves(changes, as_of - timedelta(days=MOVES_LOOKBACK_DAYS - 1), as_of)


def map_rows(figures: AccountEngagement, moves: dict[int, StanceMove]) -> list[MapRow]:
    rows = []
    for person in sorted(
        figures.active_people, key=lambda p: (p.circle, -p.influence, p.name.lower(), p.id)
    ):
        status = figures.statuses[person.id]
        score = figures.scores.get(person.id) if figures.scores else None
        rows.append(
            MapRow(
                person=person,
                engaged=status.engaged,
                status_text=status.explanation,
                score=str(score.value) if score else None,
                score_explanation=score.explanation if score else "",
                move=moves.get(person.id),
            )
        )
    return rows


def circle_map(figures: AccountEngagement, rows: list[MapRow], title: str, prefix: str) -> Markup:
    people = [
        MapPerson(
            id=row.person.id,
            name=row.person.name,
            circle=row.person.circle,
            stance=row.person.stance,
            influence=row.person.influence,
            engaged=row.engaged,
            move=row.move.direction if row.move else 0,
            detail=(
                f"{row.person.name}"
                + (f", {row.person.title}" if row.person.title else "")
                + f" — {CIRCLE_NAMES[row.person.circle]}, {humanise(row.person.stance)}, "
                f"influence {row.person.influence}/5. {row.status_text}"
                + (f" Moved: {row.move.description}." if row.move else "")
            ),
        )
        for row in rows
    ]
    # circle_map_svg escapes every piece of text it writes.
    return Markup(circle_map_svg(people, title=title, id_prefix=prefix))  # noqa: S704


def org_chart(figures: AccountEngagement) -> list[OrgNode]:
    return org_tree(
        figures.active_people,
        key=lambda p: p.id,
        manager_key=lambda p: p.reports_to_id,
        order=lambda p: (p.circle, -p.influence, p.name.lower()),
    )


def nps_trend_chart(figures: AccountEngagement) -> Markup | None:
    quarters = figures.nps_by_quarter()
    points = [(i, q.value) for i, (_, q) in enumerate(quarters) if q.value is not None]
    if len(points) < 2:
        return None
    labels = [label for label, _ in quarters]
    svg = line_chart(
        [Series("NPS", points)],
        title="NPS per quarter",
        x_format=lambda x: labels[int(x)] if x == int(x) and 0 <= x < len(labels) else "",
        y_label="NPS",
        width=520,
        height=240,
    )
    return Markup(svg)  # noqa: S704 - the chart escapes its own text


def stance_colour(stance: str) -> str:
    return STANCE_COLOURS.get(stance, STANCE_COLOURS["neutral"])
