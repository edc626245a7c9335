"""The leadership's view of engagement across the portfolio: coverage and alerts per account.

Built from the batch figures (``figures.engagement_of_accounts``) plus one
aggregate of account activity, so it costs the same number of statements for
ten accounts or ten thousand, and a million interactions come back from the
database as one row per person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from plugins.engagement import queries
from plugins.engagement.domain.alerts import SEVERITY_RANK, AlertKind
from plugins.engagement.domain.coverage import CircleCoverage
from plugins.engagement.domain.vocabulary import CIRCLES
from plugins.engagement.figures import AccountEngagement, engagement_of_accounts


@dataclass(frozen=True)
class PortfolioRow:
    account_id: int
    name: str
    owner: str
    figures: AccountEngagement
    last_interaction_on: date | None
    complaints_12m: int

    @property
    def worst_severity(self) -> int:
        return min((SEVERITY_RANK[a.severity] for a in self.figures.alerts), default=9)


@dataclass
class PortfolioReport:
    rows: list[PortfolioRow]
    alert_counts: Counter = field(default_factory=Counter)
    coverage: dict[int, CircleCoverage] = field(default_factory=dict)
    overall: CircleCoverage | None = None
    owners: list[tuple[int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)


def portfolio_rows(
    as_of: date, *, owner_id: int | None = None, alert_kind: str | None = None
) -> PortfolioReport:
    """Every visible account (optionally one owner's, or only those with an alert of a kind),
    the most alarming first: critical alerts, then most alerts, then by name."""
    accounts = queries.visible_accounts(owner_id)
    ids = [account_id for account_id, *_ in accounts]
    wanted = AlertKind(alert_kind) if alert_kind in {k.value for k in AlertKind} else None
    figures = engagement_of_accounts(ids, as_of)
    activity = queries.account_activity(ids, as_of)
    rows = []
    counts: Counter = Counter()
    known = Counter()
    engaged = Counter()
    for account_id, name, _owner_id, owner in accounts:
        account_figures = figures[account_id]
        if wanted and wanted not in {a.kind for a in account_figures.alerts}:
            continue
        counts.update(a.kind for a in account_figures.alerts)
        for circle, coverage in account_figures.coverage.circles.items():
            known[circle] += coverage.known
            engaged[circle] += coverage.engaged
        last, complaints = activity.get(account_id, (None, 0))
        rows.append(PortfolioRow(account_id, name, owner, account_figures, last, complaints))
    rows.sort(key=lambda r: (r.worst_severity, -len(r.figures.alerts), r.name.lower()))
    coverage = {c: CircleCoverage(c, known[c], engaged[c]) for c in CIRCLES}
    return PortfolioReport(
        rows=rows,
        alert_counts=counts,
        coverage=coverage,
        overall=CircleCoverage(0, sum(known.values()), sum(engaged.values())),
        owners=queries.visible_owners(),
    )
