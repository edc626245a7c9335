"""Time "my week" and the portfolio engagement view against bare SQL computing the same figures.

    python bench/generate_portfolio.py                    # once: the analytics portfolio
    python plugins/engagement/bench/bench_engagement.py   # adds 1,000,000 interactions once

On the synthetic portfolio of the analytics benchmark (10,000 accounts, 100,000
people), this adds ``--interactions`` seeded interactions (1-3 people each,
over 18 months, some complaints and open next steps), NPS answers and a few
cadence overrides, through the plugin's own migrated tables. Then it times,
median of ``--repeat`` runs after a warm-up:

* **portfolio** — ``GET /engagement/portfolio`` as the sales lead (every account);
* **my week** — ``GET /engagement/my-week`` as the manager with the most accounts;
* **baseline** — the bare aggregate SQL that computes the same figures: per
  account and circle the known and engaged people (with the cadence and its
  overrides), people engaged in 90 days, over-contacted people, silent key
  people; the NPS counts; last interaction and complaints per account; the
  accounts and owners (and for "my week" the open next steps) — no ORM, no
  Python composition, no template.

It cross-checks that the app's coverage figures equal the baseline's, and exits
non-zero when either request is more than ``--max-ratio`` (2) times the baseline.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SEED = 20261126
TYPES = ("meeting", "call", "email", "email", "call", "event", "gift", "complaint", "other")

PEOPLE_SQL = """
SELECT s.account_id, s.circle,
       COUNT(*) AS known,
       SUM(CASE WHEN c.last_on >= {cutoff} THEN 1 ELSE 0 END) AS engaged,
       SUM(CASE WHEN c.last_on >= :thread_start THEN 1 ELSE 0 END) AS threads,
       SUM(CASE WHEN c.touches > CASE s.circle WHEN 1 THEN :tolerance_1 WHEN 2 THEN :tolerance_2
                                 ELSE :tolerance_3 END THEN 1 ELSE 0 END) AS over_contacted,
       SUM(CASE WHEN (s.buying_role IN ('decision_maker', 'economic_buyer', 'champion')
                      OR s.stance = 'champion')
                 AND (c.last_on IS NULL OR c.last_on < {cutoff})
                THEN 1 ELSE 0 END) AS silent_key_people
FROM stakeholders s
LEFT JOIN engagement_cadence_overrides o ON o.account_id = s.account_id AND o.circle = s.circle
LEFT JOIN (
    SELECT a.stakeholder_id, MAX(i.occurred_on) AS last_on,
           SUM(CASE WHEN i.occurred_on >= :month_start AND i.type != 'complaint'
                    THEN 1 ELSE 0 END) AS touches
    FROM engagement_attendees a JOIN engagement_interactions i ON i.id = a.interaction_id
    WHERE i.occurred_on <= :as_of {account_filter_a}
    GROUP BY a.stakeholder_id
) c ON c.stakeholder_id = s.id
WHERE s.active {account_filter_s}
GROUP BY s.account_id, s.circle
"""
# The day before which a person of this circle counts as not engaged (override first).
CUTOFF = {
    "sqlite": "CASE WHEN o.days IS NOT NULL THEN date(:as_of, '-' || o.days || ' days') "
    "WHEN s.circle = 1 THEN :cutoff_1 WHEN s.circle = 2 THEN :cutoff_2 ELSE :cutoff_3 END",
    "postgresql": "CASE WHEN o.days IS NOT NULL THEN CAST(:as_of AS date) - o.days "
    "WHEN s.circle = 1 THEN :cutoff_1 WHEN s.circle = 2 THEN :cutoff_2 ELSE :cutoff_3 END",
}
NPS_SQL = """
SELECT r.account_id, SUM(CASE WHEN r.score >= 9 THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.score <= 6 THEN 1 ELSE 0 END), COUNT(*)
FROM engagement_survey_responses r
WHERE r.answered_on BETWEEN :nps_start AND :as_of {account_filter_r}
GROUP BY r.account_id
"""
ACTIVITY_SQL = """
SELECT i.account_id, MAX(i.occurred_on),
       SUM(CASE WHEN i.type = 'complaint' AND i.occurred_on >= :year_start THEN 1 ELSE 0 END)
FROM engagement_interactions i WHERE i.occurred_on <= :as_of {account_filter_i}
GROUP BY i.account_id
"""
ACCOUNTS_SQL = """
SELECT a.id, a.name, u.name FROM accounts a JOIN users u ON u.id = a.owner_id
{account_where} ORDER BY lower(a.name), a.id
"""
NEXT_STEPS_SQL = """
SELECT i.id, i.account_id, i.next_step, i.next_step_due FROM engagement_interactions i
WHERE i.next_step IS NOT NULL AND i.next_step_done_on IS NULL AND i.next_step_due <= :week_end
  {account_filter_i}
ORDER BY i.next_step_due, i.id
"""


def timed(fn, repeat: int) -> float:  # noqa: ANN001
    """Median wall time of ``repeat`` runs after one warm-up, in seconds."""
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def add_interactions(db, n: int, as_of: date) -> None:  # noqa: ANN001
    """Seeded interactions, attendees, NPS answers and overrides, in bulk (one transaction)."""
    rng = random.Random(SEED)
    people: dict[int, list[int]] = {}
    for account_id, person_id in db.session.execute(
        text("SELECT account_id, id FROM stakeholders ORDER BY id")
    ):
        people.setdefault(account_id, []).append(person_id)
    accounts = sorted(people)
    owners = dict(db.session.execute(text("SELECT id, owner_id FROM accounts")).all())
    interactions, attendees = [], []
    first_day = as_of - timedelta(days=540)
    for interaction_id in range(1, n + 1):
        account_id = rng.choice(accounts)
        day = first_day + timedelta(days=int(540 * rng.random() ** 0.7))
        with_step = rng.random() < 0.05
        interactions.append(
            {
                "id": interaction_id,
                "account_id": account_id,
                "type": rng.choice(TYPES),
                "occurred_on": min(day, as_of),
                "summary": "bench",
                "next_step": "follow up" if with_step else None,
                "next_step_due": day + timedelta(days=rng.randint(5, 30)) if with_step else None,
                "created_by_id": owners[account_id],
                "updated_by_id": owners[account_id],
            }
        )
        for person_id in rng.sample(
            people[account_id], min(len(people[account_id]), rng.randint(1, 3))
        ):
            attendees.append(
                {
                    "interaction_id": interaction_id,
                    "stakeholder_id": person_id,
                    "account_id": account_id,
                }
            )
    now = time.time()
    db.session.execute(
        text(
            "INSERT INTO engagement_interactions (id, account_id, type, occurred_on, summary, "
            "next_step, next_step_due, created_by_id, updated_by_id, created_at, updated_at) "
            "VALUES (:id, :account_id, :type, :occurred_on, :summary, :next_step, :next_step_due, "
            ":created_by_id, :updated_by_id, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
        interactions,
    )
    db.session.execute(
        text(
            "INSERT INTO engagement_attendees (interaction_id, stakeholder_id, account_id) "
            "VALUES (:interaction_id, :stakeholder_id, :account_id)"
        ),
        attendees,
    )
    answers = [
        {
            "account_id": account_id,
            "stakeholder_id": rng.choice(people[account_id]),
            "answered_on": as_of - timedelta(days=rng.randint(0, 400)),
            "score": rng.randint(0, 10),
        }
        for account_id in accounts
        for _ in range(rng.randint(0, 4))
    ]
    db.session.execute(
        text(
            "INSERT INTO engagement_survey_responses (account_id, stakeholder_id, answered_on, "
            "score, created_at) VALUES (:account_id, :stakeholder_id, :answered_on, :score, "
            "CURRENT_TIMESTAMP)"
        ),
        answers,
    )
    db.session.execute(
        text(
            "INSERT INTO engagement_cadence_overrides (account_id, circle, days, updated_at) "
            "VALUES (:account_id, 3, 365, CURRENT_TIMESTAMP)"
        ),
        [{"account_id": a} for a in accounts[::20]],
    )
    db.session.commit()
    print(
        f"added {len(interactions):,} interactions, {len(attendees):,} attendees, "
        f"{len(answers):,} NPS answers in {time.time() - now:.1f} s"
    )


def baseline_params(settings, as_of: date) -> dict:  # noqa: ANN001
    params = {
        "as_of": as_of,
        "month_start": as_of - timedelta(days=29),
        "thread_start": as_of - timedelta(days=settings.multi_thread_days - 1),
        "nps_start": as_of - timedelta(days=settings.nps_window_days - 1),
        "year_start": as_of - timedelta(days=364),
        "week_end": as_of + timedelta(days=settings.week_days - 1),
    }
    for circle in (1, 2, 3):
        params[f"cutoff_{circle}"] = as_of - timedelta(days=settings.cadence_days[circle])
        params[f"tolerance_{circle}"] = settings.max_touches_per_month[circle]
    return params


def run_baseline(conn, params: dict, account_ids: list[int] | None, my_week: bool) -> dict:  # noqa: ANN001
    """The bare SQL figures; coverage as {(account, circle): (known, engaged)}."""
    ids = ",".join(str(int(i)) for i in account_ids or []) or "NULL"
    filters = {
        "account_filter_a": "" if account_ids is None else f"AND a.account_id IN ({ids})",
        "account_filter_s": "" if account_ids is None else f"AND s.account_id IN ({ids})",
        "account_filter_r": "" if account_ids is None else f"AND r.account_id IN ({ids})",
        "account_filter_i": "" if account_ids is None else f"AND i.account_id IN ({ids})",
        "account_where": "" if account_ids is None else f"WHERE a.id IN ({ids})",
        "cutoff": CUTOFF[conn.dialect.name],
    }
    coverage = {
        (row[0], row[1]): (row[2], row[3])
        for row in conn.execute(text(PEOPLE_SQL.format(**filters)), params)
    }
    conn.execute(text(NPS_SQL.format(**filters)), params).fetchall()
    conn.execute(text(ACTIVITY_SQL.format(**filters)), params).fetchall()
    conn.execute(text(ACCOUNTS_SQL.format(**filters)), params).fetchall()
    if my_week:
        conn.execute(text(NEXT_STEPS_SQL.format(**filters)), params).fetchall()
    return coverage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite:////tmp/b2bl-bench.sqlite")
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--max-ratio", type=float, default=2.0)
    args = parser.parse_args(argv)

    from b2b_loyalty import create_app
    from b2b_loyalty.access import UNRESTRICTED, set_access_scope
    from b2b_loyalty.extensions import db
    from b2b_loyalty.schema import upgrade_database
    from plugins.engagement.figures import current_settings
    from plugins.engagement.portfolio import portfolio_rows

    app = create_app(
        {
            "DATABASE_URL": args.database,
            "B2B_LOYALTY_PLUGINS": "engagement",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
    )
    as_of = date.today()
    with app.app_context():
        upgrade_database()
        accounts = db.session.scalar(text("SELECT COUNT(*) FROM accounts"))
        if not accounts:
            print("no data: run bench/generate_portfolio.py first", file=sys.stderr)
            return 2
        if not db.session.scalar(text("SELECT COUNT(*) FROM engagement_interactions")):
            add_interactions(db, args.interactions, as_of)
        interactions = db.session.scalar(text("SELECT COUNT(*) FROM engagement_interactions"))
        manager_id, manager_email = db.session.execute(
            text(
                "SELECT u.id, u.email FROM users u JOIN accounts a ON a.owner_id = u.id "
                "GROUP BY u.id, u.email ORDER BY COUNT(*) DESC, u.id LIMIT 1"
            )
        ).one()
        my_ids = db.session.scalars(
            text("SELECT id FROM accounts WHERE owner_id = :u"), {"u": manager_id}
        ).all()
        settings = current_settings()
        params = baseline_params(settings, as_of)

        set_access_scope(UNRESTRICTED)
        report = portfolio_rows(as_of)
        with db.engine.connect() as conn:
            expected = run_baseline(conn, params, None, my_week=False)
        got = {
            (row.account_id, circle): (c.known, c.engaged)
            for row in report.rows
            for circle, c in row.figures.coverage.circles.items()
            if c.known
        }
        mismatches = sum(1 for key, value in expected.items() if got.get(key) != value)
        mismatches += sum(1 for key in got if key not in expected)

        def baseline_portfolio() -> None:
            with db.engine.connect() as conn:
                run_baseline(conn, params, None, my_week=False)

        def baseline_my_week() -> None:
            with db.engine.connect() as conn:
                run_baseline(conn, params, my_ids, my_week=True)

        portfolio_base = timed(baseline_portfolio, args.repeat)
        week_base = timed(baseline_my_week, args.repeat)

    lead = app.test_client()
    manager = app.test_client()
    for client, email in ((lead, "lead@bench.example"), (manager, manager_email)):
        reply = client.post("/login", data={"email": email, "password": "bench-password"})
        assert reply.status_code == 302, f"{email} could not sign in"

    def get(client, path: str):  # noqa: ANN001, ANN202
        def run() -> None:
            reply = client.get(path)
            assert reply.status_code == 200, (path, reply.status_code)

        return run

    portfolio_s = timed(get(lead, "/engagement/portfolio"), args.repeat)
    week_s = timed(get(manager, "/engagement/my-week"), args.repeat)
    portfolio_ratio, week_ratio = portfolio_s / portfolio_base, week_s / week_base
    print(f"data: {accounts:,} accounts, {interactions:,} interactions ({args.database})")
    print(f"coverage mismatches app vs bare SQL: {mismatches}")
    print(
        f"portfolio: baseline {portfolio_base * 1000:8.1f} ms  request {portfolio_s * 1000:8.1f} ms  ratio {portfolio_ratio:5.2f}x"
    )
    print(
        f"my week ({len(my_ids)} accounts): baseline {week_base * 1000:8.1f} ms  request {week_s * 1000:8.1f} ms  ratio {week_ratio:5.2f}x"
    )
    failed = mismatches or max(portfolio_ratio, week_ratio) > args.max_ratio
    print("FAIL" if failed else "OK", f"(limit {args.max_ratio:.1f}x)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
