"""Time the dashboard and the account-metrics request against bare SQL, in one run.

    python bench/generate_portfolio.py            # once: builds /tmp/b2bl-bench.sqlite
    python bench/bench_metrics.py                 # prints each figure and the ratio

The baseline replays, on a bare DB-API cursor, exactly the SQL statements the
request ran (captured from one request after a first one): the same aggregates,
with no ORM, no Python composition and no template. The ratio is what the
application adds. The baseline and the request take turns, so both see the same
machine; the figures are medians.
Goals (SQLite, 10,000 accounts / 1,000,000 orders): dashboard within 2x of the
baseline and under 1 s; account page under 150 ms.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time

from sqlalchemy import text


def capture_statements(client, path: str, engine) -> list[tuple[str, object]]:  # noqa: ANN001
    """The SQL a request runs, with its parameters, recorded from one real request."""
    from sqlalchemy import event

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

    # One request each first: the baseline replays what a request runs in the steady
    # state, after the first has filled what the process keeps between requests (the
    # company ABC ranking, kept until the orders change).
    get("/dashboard/")()
    get(f"/accounts/{one_account}")()
    with app.app_context():
        dashboard_sql = capture_statements(client, "/dashboard/", engine)
        account_sql = capture_statements(client, f"/accounts/{one_account}", engine)
    baseline_s, dashboard_s = timed([replay(dashboard_sql), get("/dashboard/")], args.repeat)
    account_baseline_s, account_page_s = timed(
        [replay(account_sql), get(f"/accounts/{one_account}")], args.repeat
    )
    print(f"data: {accounts:,} accounts, {orders:,} orders ({args.database})")
    print(f"dashboard:    bare SQL {baseline_s * 1000:8.1f} ms ({len(dashboard_sql)} statements)")
    print(
        f"dashboard:    request  {dashboard_s * 1000:8.1f} ms   "
        f"ratio {dashboard_s / baseline_s:5.2f}x  (goal: ≤ 2x and < 1000 ms)"
    )
    print(
        f"account page: bare SQL {account_baseline_s * 1000:8.1f} ms ({len(account_sql)} statements)"
    )
    print(
        f"account page: request  {account_page_s * 1000:8.1f} ms   "
        f"ratio {account_page_s / account_baseline_s:5.2f}x  (goal: < 150 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
