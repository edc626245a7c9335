"""Time the dashboard and the account-metrics request against bare SQL, in one run.

    python bench/generate_portfolio.py            # once: builds /tmp/b2bl-bench.sqlite
    python bench/bench_metrics.py                 # prints each figure and the ratio

The baseline runs the bare aggregate queries that compute the same figures (the
period's and the previous period's revenue, orders and margin per account,
revenue per category, activity flags, wallet estimates, order stats) with no
ORM, no Python composition and no template: the floor for what the page does.
Goals (SQLite, 10,000 accounts / 1,000,000 orders): dashboard within 2x of the
baseline and under 1 s; account page under 150 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, timedelta

from sqlalchemy import text

BASELINE_SQL = [
    # revenue, orders, categories and known margin per account, this period and the previous
    """SELECT account_id, SUM(net_amount), COUNT(id), COUNT(DISTINCT category_id),
              SUM(CASE WHEN unit_cost IS NOT NULL THEN net_amount - quantity * unit_cost ELSE 0 END)
       FROM orders WHERE order_date >= :start AND order_date <= :end GROUP BY account_id""",
    """SELECT account_id, SUM(net_amount), COUNT(id), COUNT(DISTINCT category_id),
              SUM(CASE WHEN unit_cost IS NOT NULL THEN net_amount - quantity * unit_cost ELSE 0 END)
       FROM orders WHERE order_date >= :prev_start AND order_date <= :prev_end GROUP BY account_id""",
    """SELECT o.account_id, c.name, SUM(o.net_amount) FROM orders o JOIN product_categories c ON c.id = o.category_id
       WHERE o.order_date >= :start AND o.order_date <= :end GROUP BY o.account_id, c.name""",
    """SELECT o.account_id, c.name, SUM(o.net_amount) FROM orders o JOIN product_categories c ON c.id = o.category_id
       WHERE o.order_date >= :prev_start AND o.order_date <= :prev_end GROUP BY o.account_id, c.name""",
    """SELECT account_id, MAX(CASE WHEN order_date < :start THEN 1 ELSE 0 END),
              MAX(CASE WHEN order_date > :end_minus_year THEN 1 ELSE 0 END)
       FROM orders WHERE order_date >= :start_minus_year AND order_date <= :end GROUP BY account_id""",
    "SELECT account_id, year, category_id, estimated_spend FROM wallet_estimates WHERE year IN (:year, :prev_year)",
    "SELECT * FROM account_order_stats",
    "SELECT id, name, owner_id, region, industry FROM accounts",
]


def timed(fn, repeat: int) -> float:  # noqa: ANN001
    """Median wall time of ``repeat`` runs after one warm-up, in seconds."""
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


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
    today = date.today()
    start = today - timedelta(days=364)
    params = {
        "start": start,
        "end": today,
        "prev_start": start - timedelta(days=365),
        "prev_end": start - timedelta(days=1),
        "start_minus_year": start - timedelta(days=365),
        "end_minus_year": today - timedelta(days=365),
        "year": today.year,
        "prev_year": today.year - 1,
    }
    with app.app_context():
        accounts = db.session.scalar(text("SELECT COUNT(*) FROM accounts"))
        orders = db.session.scalar(text("SELECT COUNT(*) FROM orders"))
        if not accounts:
            print("no data: run bench/generate_portfolio.py first", file=sys.stderr)
            return 2
        one_account = db.session.scalar(
            text("SELECT account_id FROM orders GROUP BY account_id ORDER BY COUNT(*) DESC LIMIT 1")
        )

        def baseline() -> None:
            with db.engine.connect() as conn:
                for sql in BASELINE_SQL:
                    conn.execute(text(sql), params).fetchall()

        baseline_s = timed(baseline, args.repeat)

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

    dashboard_s = timed(get("/dashboard/"), args.repeat)
    account_page_s = timed(get(f"/accounts/{one_account}"), args.repeat)
    print(f"data: {accounts:,} accounts, {orders:,} orders ({args.database})")
    print(f"baseline, bare SQL aggregates:  {baseline_s * 1000:8.1f} ms")
    print(
        f"dashboard request:              {dashboard_s * 1000:8.1f} ms   ratio {dashboard_s / baseline_s:5.2f}x  (goal ≤ 2x and < 1000 ms)"
    )
    print(f"account page request:           {account_page_s * 1000:8.1f} ms   (goal < 150 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
