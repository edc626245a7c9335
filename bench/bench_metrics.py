"""Time the dashboard and the account-metrics request against bare SQL, in one run.

    python bench/generate_portfolio.py            # once: builds /tmp/b2bl-bench.sqlite
    python bench/bench_metrics.py                 # prints each figure and the ratio

The dashboard is timed against two baselines, each run on a bare connection:

- **bare SQL computing its figures** (issue 4's baseline): the SQL of
  ``dashboard_figures_sql`` that computes the figures the dashboard shows — KPIs,
  the managers' table, the counts per segment, class, stage and grade, the accounts
  needing attention and the Pareto chart's — from the same tables the app reads,
  classifying every account in SQL (one statement; the admin's settings are read once
  by the app's own functions and passed in).
  The dashboard's goal is measured against it: within 2x, and under 1 s.
- **bare SQL replaying its input queries**: exactly the statements the request ran
  (captured from one request after a first one). They only fetch the inputs; the
  request then classifies and sums 10,000 accounts in Python and renders the page.
  A stricter reference, printed beside the first: the ratio to it is what the
  application adds to its own queries, with no goal.

Before timing, the bench checks that the SQL's figures equal the app's
(``portfolio_metrics`` as the dashboard calls it, signed in as the sales lead), the
dashboard's and every account's stage, segment, class, grade and the figures behind
them; it prints the differences and exits 1 if any. The account page is timed against
the replay of its own statements; its goal is absolute. The baselines and the request
take turns, so all see the same machine; the figures are medians.
Goals (SQLite, 10,000 accounts / 1,000,000 orders): dashboard within 2x of the SQL
computing its figures and under 1 s; account page under 150 ms.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from datetime import date

import dashboard_figures_sql as figures_sql  # bench/ is the script's folder
from sqlalchemy import event, select, text


def capture_statements(client, path: str, engine) -> list[tuple[str, object]]:  # noqa: ANN001
    """The SQL a request runs, with its parameters, recorded from one real request."""
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def timed(fns, repeat: int) -> list[float]:  # noqa: ANN001
    """Median wall time of each function over ``repeat`` rounds after one warm-up, in
    seconds. The functions take turns within each round, so a baseline and the
    request it is compared with see the same machine (a busy neighbour, a cold
    cache) rather than one of them getting the quiet minute. The cyclic collector
    runs before each call, outside the clock, so neither is charged for the
    other's garbage (a request that left cycles behind once made its baseline
    look twice as slow as it is)."""
    for fn in fns:
        fn()
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, own in zip(fns, samples, strict=True):
            gc.collect()
            started = time.perf_counter()
            fn()
            own.append(time.perf_counter() - started)
    return [statistics.median(own) for own in samples]


def count_statements(engine, run) -> int:  # noqa: ANN001
    """How many statements ``run()`` executes on ``engine``."""
    seen = []

    def record(*_args) -> None:  # noqa: ANN002
        seen.append(1)

    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(seen)


def report_dates(today: date) -> figures_sql.ReportDates:
    """The dashboard's default report (``period_from({})``), as ``dashboard_figures``
    takes it."""
    from b2b_loyalty.dashboard.request_args import period_from

    return figures_sql.ReportDates.of(period_from({}, today), today)


def figure_differences(app, engine, lead_email: str, today: date, settings) -> list[str]:  # noqa: ANN001
    """What differs between the app's figures (``portfolio_metrics`` for the sales lead,
    as the dashboard asks for them) and the SQL's: the dashboard's, then each account's."""
    from b2b_loyalty.access import AccessScope, set_access_scope
    from b2b_loyalty.domain.order_metrics import Period
    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import User
    from b2b_loyalty.services.portfolio_metrics import portfolio_metrics

    dates = report_dates(today)
    with app.test_request_context():
        lead = db.session.scalar(select(User).where(User.email == lead_email))
        set_access_scope(AccessScope.for_user(lead))
        report = portfolio_metrics(Period(dates.period_start, dates.period_end), today=today)
        from_app = figures_sql.app_figures(report)
        accounts_from_app = figures_sql.app_account_figures(report)
    with engine.connect() as connection:
        from_sql = figures_sql.dashboard_figures(connection, dates, settings)
        accounts_from_sql = figures_sql.account_figures(connection, dates, settings)
    return figures_sql.differences(from_app, from_sql) + figures_sql.account_differences(
        accounts_from_app, accounts_from_sql
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite:////tmp/b2bl-bench.sqlite")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from b2b_loyalty import create_app
    from b2b_loyalty.extensions import db

    app = create_app(
        {
            "DATABASE_URL": args.database,
            "B2B_LOYALTY_PLUGINS": "none",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        accounts = db.session.scalar(text("SELECT COUNT(*) FROM accounts"))
        orders = db.session.scalar(text("SELECT COUNT(*) FROM orders"))
        if not accounts:
            print("no data: run bench/generate_portfolio.py first", file=sys.stderr)
            return 2
        one_account = db.session.scalar(
            text("SELECT account_id FROM orders GROUP BY account_id ORDER BY COUNT(*) DESC LIMIT 1")
        )
        engine = db.engine

    client = app.test_client()
    response = client.post(
        "/login", data={"email": "lead@bench.example", "password": "bench-password"}
    )
    assert response.status_code == 302, "the benchmark lead could not sign in"

    def get(path: str):  # noqa: ANN202
        def run() -> None:
            reply = client.get(path)
            assert reply.status_code == 200, (path, reply.status_code)

        return run

    def replay(statements):  # noqa: ANN001, ANN202
        def run() -> None:
            raw = engine.raw_connection()
            try:
                cursor = raw.cursor()
                for statement, parameters in statements:
                    cursor.execute(statement, parameters)
                    cursor.fetchall()
            finally:
                raw.close()

        return run

    today = date.today()
    dates = report_dates(today)
    with app.app_context():
        settings = figures_sql.app_settings()

    def figures() -> None:
        with engine.connect() as connection:
            figures_sql.dashboard_figures(connection, dates, settings)

    # One request each first: the baseline replays what a request runs in the steady
    # state, after the first has filled what the process keeps between requests (the
    # company ABC ranking, kept until the orders change).
    get("/dashboard/")()
    get(f"/accounts/{one_account}")()
    with app.app_context():
        dashboard_sql = capture_statements(client, "/dashboard/", engine)
        account_sql = capture_statements(client, f"/accounts/{one_account}", engine)
    figures_statements = count_statements(engine, figures)
    # Outside the clock: the SQL must compute the figures the dashboard shows.
    differences = figure_differences(app, engine, "lead@bench.example", today, settings)
    figures_s, replay_s, dashboard_s = timed(
        [figures, replay(dashboard_sql), get("/dashboard/")], args.repeat
    )
    account_baseline_s, account_page_s = timed(
        [replay(account_sql), get(f"/accounts/{one_account}")], args.repeat
    )
    print(f"data: {accounts:,} accounts, {orders:,} orders ({args.database})")
    print(
        f"dashboard:    bare SQL computing its figures       {figures_s * 1000:8.1f} ms "
        f"({figures_statements} statement{'s' if figures_statements != 1 else ''})"
    )
    print(
        f"dashboard:    bare SQL replaying its input queries {replay_s * 1000:8.1f} ms "
        f"({len(dashboard_sql)} statements)"
    )
    print(
        f"dashboard:    request  {dashboard_s * 1000:8.1f} ms   "
        f"ratio {dashboard_s / figures_s:5.2f}x  "
        "(goal: ≤ 2x of the SQL computing the same figures, and < 1000 ms)"
    )
    print(
        f"dashboard:    ratio to the input replay {dashboard_s / replay_s:5.2f}x  "
        "(reference, no goal)"
    )
    if differences:
        print(f"figures equal: no, {len(differences)} differences:")
        for line in differences:
            print(f"  {line}")
    else:
        print(f"figures equal: yes (the dashboard's, and each of the {accounts:,} accounts')")
    print(
        f"account page: bare SQL {account_baseline_s * 1000:8.1f} ms ({len(account_sql)} statements)"
    )
    print(
        f"account page: request  {account_page_s * 1000:8.1f} ms   "
        f"ratio {account_page_s / account_baseline_s:5.2f}x  (goal: < 150 ms)"
    )
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
