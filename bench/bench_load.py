"""Load benchmark: the app under gunicorn on PostgreSQL, driven by locust over loopback.

    python bench/bench_load.py            # 50 users, 60 s, 2 gunicorn workers, full portfolio

Steps: create the database if missing; build the synthetic portfolio into it
when it is empty (``generate_portfolio.py``; ``--accounts``/``--orders`` scale it
down); bring the schema up to date with every plugin enabled; add what the run
needs (an admin and a finance user who put a cumulative volume-discount
schedule in force on every category, so quotes read the year's prior volume;
API tokens for the account managers; the accounts each manager owns); start
gunicorn; run locust headless twice from another process — the realistic mix
(``ManagerUser`` + ``LeadUser`` in ``bench/locustfile.py``), then the same
number of users on the bare ``/healthz`` — and print, per request type and in
total, requests/s, p50/p95/p99 latency and errors, the ratio of the mix to the
baseline, and the lost writes: records whose creation the server acknowledged
(201 with an id) but that are not in the database afterwards, plus rows written
that no client saw acknowledged, and accounts whose stored order aggregates no
longer match their orders.

Exit status: 0 when there was no error and no lost write; 1 otherwise; 2 when
the run could not be made. Needs the ``bench`` extra (locust) and ``production``
(gunicorn, psycopg).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
LOCUSTFILE = BENCH_DIR / "locustfile.py"
DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/b2bl_load"
PASSWORD = "bench-password"  # generate_portfolio.py's password for every user
SECRET_KEY = "bench-load-secret-key"  # fixed: every worker must read every session
SCHEDULE_NAME = "Bench annual volume"
ADMIN_EMAIL = "admin@bench.example"
FINANCE_EMAIL = "finance@bench.example"
LEAD_EMAIL = "lead@bench.example"
ACCOUNT_PAGE = "GET /accounts/[id] (account page)"
SETUP_NAMES = ("GET /login (form)", "POST /login")
ACCOUNT_PAGE_GOAL_MS = 200.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="PostgreSQL URL")
    parser.add_argument("--admin-db", default="test", help="database to connect to for CREATE")
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users")
    parser.add_argument("--duration", type=float, default=60, help="measured seconds per phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--worker-class", default="gthread", choices=("gthread", "sync"), help="gunicorn -k"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument(
        "--think",
        default="2,8",
        help="think time between a user's requests, MIN,MAX seconds (0 = none: saturation)",
    )
    parser.add_argument(
        "--warmup", type=float, default=10, help="unmeasured seconds after every user signed in"
    )
    parser.add_argument(
        "--lead-users", type=int, default=1, help="sales-lead sessions among --users (0: none)"
    )
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--accounts", type=int, default=10_000, help="portfolio size if built")
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders if built")
    parser.add_argument("--skip-baseline", action="store_true", help="run the mix only")
    parser.add_argument("--keep", default=None, help="folder for the logs (default: a temp one)")
    args = parser.parse_args(argv)
    low, _, high = args.think.partition(",")
    args.think_range = [float(low), float(high or low)]
    if not 0 <= args.lead_users < args.users:
        parser.error("--lead-users must be at least 0 and below --users")
    return args


# --------------------------------------------------------------------------- database


def ensure_database(url: str, admin_db: str) -> bool:
    """Create the database if missing; True when it was created."""
    import psycopg
    from sqlalchemy.engine import make_url

    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        raise SystemExit("bench_load.py runs on PostgreSQL: give a postgresql+psycopg:// URL")
    admin = target.set(drivername="postgresql", database=admin_db)
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (target.database,)
        ).fetchone()
        if exists:
            return False
        conn.execute(f'CREATE DATABASE "{target.database}"')
        return True


def bench_app(url: str):  # noqa: ANN201
    from b2b_loyalty import create_app

    return create_app({"DATABASE_URL": url, "B2B_LOYALTY_PLUGINS": "all", "SECRET_KEY": SECRET_KEY})


def count_accounts(app) -> int:  # noqa: ANN001
    from sqlalchemy import inspect, text

    from b2b_loyalty.extensions import db

    with app.app_context():
        if not inspect(db.engine).has_table("accounts"):
            return 0
        return db.session.scalar(text("SELECT COUNT(*) FROM accounts"))


def build_portfolio(args: argparse.Namespace) -> None:
    """generate_portfolio.py in its own process (it holds a million rows in memory)."""
    command = [
        sys.executable,
        str(BENCH_DIR / "generate_portfolio.py"),
        "--database",
        args.database,
        "--accounts",
        str(args.accounts),
        "--orders",
        str(args.orders),
    ]
    print(f"building the synthetic portfolio: {' '.join(command[1:])}", flush=True)
    subprocess.run(command, check=True, cwd=PROJECT_DIR)


def prepare(app, users: int) -> dict:  # noqa: ANN001
    """Schema, the cumulative schedule, tokens and each manager's accounts: the run's plan."""
    from sqlalchemy import select, text

    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import ProductCategory, ScheduleFamily, User
    from b2b_loyalty.schema import upgrade_database
    from b2b_loyalty.services import discount_schedules as schedules
    from b2b_loyalty.services.users import create_user, find_user_by_email, issue_api_token

    with app.app_context():
        log = io.StringIO()
        with contextlib.redirect_stderr(log):  # Alembic's INFO lines; keep only the upgrades
            upgrade_database()  # core and every plugin (engagement tables)
        for line in log.getvalue().splitlines():
            if "Running upgrade" in line:
                print(line.split("]", 1)[-1].strip())
        for email, role in ((ADMIN_EMAIL, "admin"), (FINANCE_EMAIL, "finance")):
            if find_user_by_email(email) is None:
                create_user(email, f"Bench {role}", role, PASSWORD)
        admin, finance = find_user_by_email(ADMIN_EMAIL), find_user_by_email(FINANCE_EMAIL)
        if (
            db.session.scalar(select(ScheduleFamily.id).where(ScheduleFamily.name == SCHEDULE_NAME))
            is None
        ):
            version = schedules.create_schedule(
                admin,
                {
                    "name": SCHEDULE_NAME,
                    "basis": "quantity",
                    "mode": "incremental",
                    "scope": "cumulative_calendar_year",
                    "tiers": [
                        {"from": "0", "percent": "0"},
                        {"from": "200", "percent": "3"},
                        {"from": "500", "percent": "6"},
                        {"from": "1000", "percent": "10"},
                    ],
                    "effective_from": "2000-01-01",
                },
                currency=app.config["BASE_CURRENCY"],
            )
            schedules.submit(admin, version)
            schedules.approve(finance, version, "load benchmark")
            for category in db.session.scalars(select(ProductCategory)).all():
                schedules.assign(admin, version.family, category)
        categories = db.session.scalars(
            select(ProductCategory.id).order_by(ProductCategory.id)
        ).all()
        managers = db.session.scalars(
            select(User)
            .where(User.role == "account_manager", User.active.is_(True))
            .order_by(User.email)
        ).all()
        if not managers:
            raise SystemExit("no account managers in the database")
        rows = db.session.execute(
            text(
                "SELECT a.owner_id, a.id, MIN(s.id) FROM accounts a "
                "JOIN stakeholders s ON s.account_id = a.id "
                "GROUP BY a.owner_id, a.id ORDER BY a.id"
            )
        ).all()
        owned: dict[int, list[list[int]]] = {}
        for owner_id, account_id, stakeholder_id in rows:
            owned.setdefault(owner_id, []).append([account_id, stakeholder_id])
        used = [m for m in managers if owned.get(m.id)][: max(1, users)]
        plan_managers = [
            {"email": m.email, "token": issue_api_token(m), "accounts": owned[m.id]} for m in used
        ]
        all_ids = [account_id for _, account_id, _ in rows]
        lead_accounts = all_ids[:: max(1, len(all_ids) // 2000)]
        return {
            "password": PASSWORD,
            "categories": list(categories),
            "managers": plan_managers,
            "lead": {"email": LEAD_EMAIL, "accounts": lead_accounts},
        }


def vacuum_analyze(url: str) -> float:
    """VACUUM ANALYZE the database, as autovacuum would have by now in production.

    A freshly bulk-loaded database has no planner statistics and no visibility
    map: the planner guesses (account list pages took 400 ms instead of 5 ms)
    and the covering indexes cannot serve index-only scans. Test servers often
    run with autovacuum off, so the benchmark does it itself (about a second at
    1,000,000 orders).
    """
    import psycopg
    from sqlalchemy.engine import make_url

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    started = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


WRITE_TABLES = ("orders", "order_pricings", "engagement_interactions")


def snapshot_counts(app) -> dict[str, int]:  # noqa: ANN001
    from sqlalchemy import text

    from b2b_loyalty.extensions import db

    with app.app_context():
        counts = {t: db.session.scalar(text(f"SELECT COUNT(*) FROM {t}")) for t in WRITE_TABLES}
        db.session.rollback()
        return counts


def check_writes(app, before: dict[str, int], writes: dict[str, list[int]]) -> dict:  # noqa: ANN001
    """Compare what the clients saw acknowledged with what the database holds."""
    from sqlalchemy import bindparam, text

    from b2b_loyalty.extensions import db

    after = snapshot_counts(app)
    orders, interactions = sorted(set(writes["orders"])), sorted(set(writes["interactions"]))
    with app.app_context():

        def found(sql: str, ids: list[int]) -> int:
            if not ids:
                return 0
            stmt = text(sql).bindparams(bindparam("ids", expanding=True))
            return db.session.scalar(stmt, {"ids": ids})

        orders_found = found("SELECT COUNT(*) FROM orders WHERE id IN :ids", orders)
        pricings_found = found("SELECT COUNT(*) FROM order_pricings WHERE order_id IN :ids", orders)
        interactions_found = found(
            "SELECT COUNT(*) FROM engagement_interactions WHERE id IN :ids", interactions
        )
        touched = []
        if orders:
            touched = db.session.scalars(
                text("SELECT DISTINCT account_id FROM orders WHERE id IN :ids").bindparams(
                    bindparam("ids", expanding=True)
                ),
                {"ids": orders},
            ).all()
        stale = 0
        if touched:
            # The stored monthly totals and order stats must equal a recount of the orders.
            stale = db.session.scalar(
                text(
                    """
                    WITH fresh AS (
                        SELECT account_id, date_trunc('month', order_date)::date AS month_start,
                               COUNT(*) AS orders, SUM(net_amount) AS revenue
                        FROM orders WHERE account_id IN :ids GROUP BY 1, 2),
                    kept AS (
                        SELECT account_id, month_start, orders, revenue
                        FROM account_month_totals WHERE account_id IN :ids),
                    days AS (
                        SELECT account_id, COUNT(DISTINCT order_date) AS order_days,
                               MAX(order_date) AS last_order_on
                        FROM orders WHERE account_id IN :ids GROUP BY 1),
                    bad AS (
                        SELECT COALESCE(f.account_id, k.account_id) AS account_id
                        FROM fresh f FULL JOIN kept k
                          ON f.account_id = k.account_id AND f.month_start = k.month_start
                        WHERE f.orders IS DISTINCT FROM k.orders
                           OR f.revenue IS DISTINCT FROM k.revenue
                        UNION
                        SELECT d.account_id FROM days d
                        LEFT JOIN account_order_stats s ON s.account_id = d.account_id
                        WHERE s.order_days IS DISTINCT FROM d.order_days
                           OR s.last_order_on IS DISTINCT FROM d.last_order_on)
                    SELECT COUNT(DISTINCT account_id) FROM bad
                    """
                ).bindparams(bindparam("ids", expanding=True)),
                {"ids": list(touched)},
            )
        db.session.rollback()
    lost = (len(orders) - orders_found) + (len(orders) - pricings_found)
    lost += len(interactions) - interactions_found
    return {
        "orders_acknowledged": len(orders),
        "orders_found": orders_found,
        "pricings_found": pricings_found,
        "interactions_acknowledged": len(interactions),
        "interactions_found": interactions_found,
        "rows_added": {t: after[t] - before[t] for t in WRITE_TABLES},
        "lost": lost,
        "unacknowledged": {
            "orders": after["orders"] - before["orders"] - orders_found,
            "engagement_interactions": after["engagement_interactions"]
            - before["engagement_interactions"]
            - interactions_found,
        },
        "accounts_touched": len(touched),
        "stale_aggregates": stale,
    }


# --------------------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def executable(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: pip install -e '.[production,bench]'")
    return found


class Gunicorn:
    """gunicorn in its own process group; stop() is graceful first (SIGTERM), then SIGKILL."""

    def __init__(self, args: argparse.Namespace, port: int, log_dir: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.command = [
            executable("gunicorn"),
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--bind",
            f"127.0.0.1:{port}",
            # Longer than the longest think time, so the server never closes a
            # kept-alive connection just as a client reuses it.
            "--keep-alive",
            "30",
            "--backlog",
            "2048",
            "--chdir",
            str(PROJECT_DIR),
            "--error-logfile",
            str(log_dir / "gunicorn.log"),
            # Every request with its worker and its time in the server (µs), to see
            # what a slow one shared its worker with.
            "--access-logfile",
            str(log_dir / "gunicorn.access.log"),
            "--access-logformat",
            '%(t)s pid=%(p)s %(s)s %(D)sus "%(r)s"',
        ]
        if args.worker_class == "gthread":
            self.command[5:5] = ["--threads", str(args.threads)]
        self.command.append("wsgi:app")
        self.env = {
            **os.environ,
            "DATABASE_URL": args.database,
            "SECRET_KEY": SECRET_KEY,
            "B2B_LOYALTY_PLUGINS": "all",
        }
        self.log = log_dir / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            cwd=PROJECT_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: workers finish their requests
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# --------------------------------------------------------------------------- locust


def run_locust(
    args: argparse.Namespace,
    server: Gunicorn,
    plan: dict,
    classes: list[str],
    log_dir: Path,
    tag: str,
) -> dict:
    from sqlalchemy.engine import make_url

    url = server.url
    plan = {
        **plan,
        "server_pid": server.process.pid,
        "database_name": make_url(args.database).database,
        "think": args.think_range,
        "duration": args.duration,
        "warmup": args.warmup,
        "lead_users": args.lead_users,
        "result": str(log_dir / f"{tag}.result.json"),
    }
    plan_file = log_dir / f"{tag}.plan.json"
    plan_file.write_text(json.dumps(plan))
    command = [
        executable("locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        # A safety bound only: the locustfile stops itself after warm-up + duration + drain.
        "--run-time",
        f"{int(args.duration + args.warmup) + 420}s",
        "--host",
        url,
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    env = {**os.environ, "BENCH_LOAD_PLAN": str(plan_file)}
    with open(log_dir / f"{tag}.locust.log", "w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            process.wait()
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
    result_file = Path(plan["result"])
    if not result_file.exists():
        raise RuntimeError(f"locust wrote no results (exit {process.returncode}); see {log.name}")
    return json.loads(result_file.read_text())


# --------------------------------------------------------------------------- report


def percentile(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_ms:
        return float("nan")
    rank = max(1, int(-(-q * len(sorted_ms) // 100)))
    return sorted_ms[min(rank, len(sorted_ms)) - 1]


def summarise(result: dict) -> dict[str, dict]:
    """Per request type and in total (sign-in excluded): count, req/s, percentiles, errors."""
    window = result["window_s"] or float("nan")
    names = sorted(set(result["samples"]) | set(result["failures"]))
    rows: dict[str, dict] = {}
    everything: list[float] = []
    for name in names:
        samples = sorted(result["samples"].get(name, []))
        if name not in SETUP_NAMES:
            everything.extend(samples)
        rows[name] = _row(samples, window, result["failures"].get(name, 0))
    rows["total (sign-in excluded)"] = _row(
        sorted(everything),
        window,
        sum(n for name, n in result["failures"].items() if name not in SETUP_NAMES),
    )
    return rows


def _row(samples: list[float], window: float, errors: int) -> dict:
    return {
        "count": len(samples),
        "rps": len(samples) / window,
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "p99": percentile(samples, 99),
        "max": samples[-1] if samples else float("nan"),
        "errors": errors,
    }


def print_table(title: str, rows: dict[str, dict], result: dict) -> None:
    print(f"\n{title}")
    print(f"  measured {result['window_s']:.1f} s after the warm-up; latencies in ms")
    print(
        f"  {'request':<46} {'count':>6} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} "
        f"{'max':>7} {'errors':>6}"
    )
    for name, row in rows.items():
        if name.startswith("total"):
            print("  " + "-" * 99)
        print(
            f"  {name:<46} {row['count']:>6} {row['rps']:>7.1f} {row['p50']:>7.0f} "
            f"{row['p95']:>7.0f} {row['p99']:>7.0f} {row['max']:>7.0f} {row['errors']:>6}"
        )
    cpu, window = result.get("cpu") or {}, result["window_s"]
    requests = rows["total (sign-in excluded)"]["count"]
    if cpu and window and requests:
        cores = os.cpu_count() or 1
        server = cpu["gunicorn"] + cpu["postgres"]
        others = max(0.0, cpu["machine"] - server - cpu["locust"])
        print(
            f"  CPU in the window: gunicorn {cpu['gunicorn'] / window:.2f} cores, PostgreSQL "
            f"{cpu['postgres'] / window:.2f}, locust {cpu['locust'] / window:.2f}, other work on "
            f"the machine {others / window:.2f} (machine busy {cpu['machine'] / window:.2f} of {cores})"
        )
        print(
            f"  server CPU per request: {cpu['gunicorn'] / requests * 1000:.1f} ms gunicorn + "
            f"{cpu['postgres'] / requests * 1000:.1f} ms PostgreSQL: {cores} dedicated cores "
            f"would serve at most ~{cores / (server / requests):.0f} req/s of this"
        )
    for example in result["failure_examples"][:10]:
        print(f"  error: {example}")


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores, load average {load}; Python {platform.python_version()}"


def server_version(app) -> str:  # noqa: ANN001
    from sqlalchemy import text

    from b2b_loyalty.extensions import db

    with app.app_context():
        version = db.session.scalar(text("SHOW server_version"))
        data = {
            t: db.session.scalar(text(f"SELECT COUNT(*) FROM {t}"))
            for t in ("accounts", "stakeholders", "orders")
        }
        db.session.rollback()
    return f"PostgreSQL {version}; " + ", ".join(f"{n:,} {t}" for t, n in data.items())


def _interrupt(signum, _frame) -> None:  # noqa: ANN001
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # stop gunicorn on kill too, as on Ctrl-C
    sys.path.insert(0, str(PROJECT_DIR))
    log_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="b2bl-load-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    if ensure_database(args.database, args.admin_db):
        print(f"created database {args.database}")
    app = bench_app(args.database)
    if count_accounts(app) == 0:
        build_portfolio(args)
    plan = prepare(app, args.users)
    print(f"VACUUM ANALYZE: {vacuum_analyze(args.database):.1f} s")
    port = free_port()
    server = Gunicorn(args, port, log_dir)
    print(f"load benchmark, {date.today()}: {machine_line()}")
    print(server_version(app))
    gunicorn_desc = f"gunicorn {args.workers} workers, {args.worker_class}" + (
        f" x {args.threads} threads" if args.worker_class == "gthread" else ""
    )
    think = "none" if args.think_range[1] <= 0 else "{:g}-{:g} s".format(*args.think_range)
    print(
        f"{gunicorn_desc}, on {server.url}; {args.users} users, think time {think}, "
        f"{args.duration:g} s measured per phase after {args.warmup:g} s of warm-up; "
        f"logs in {log_dir}"
    )
    before = snapshot_counts(app)
    try:
        server.start()
        classes = ["ManagerUser"] + (["LeadUser"] if args.lead_users > 0 else [])
        mix = run_locust(args, server, plan, classes, log_dir, "mix")
        base = None
        if not args.skip_baseline:
            base = run_locust(args, server, plan, ["HealthzUser"], log_dir, "baseline")
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 2
    except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
        print(f"the run could not be made: {exc}", file=sys.stderr)
        return 2
    finally:
        server.stop()
    writes = check_writes(app, before, mix["writes"])

    sessions = args.users - args.lead_users
    managers = min(len(plan["managers"]), sessions)
    mix_rows = summarise(mix)
    print_table(
        f"realistic mix: {args.users} users ({sessions} account-manager sessions over "
        f"{managers} managers, {args.lead_users} sales lead)",
        mix_rows,
        mix,
    )
    errors = sum(mix["failures"].values())
    ratio_line = None
    if base is not None:
        base_rows = summarise(base)
        print_table(
            f"baseline: {args.users} users on GET /healthz, same think time", base_rows, base
        )
        errors += sum(base["failures"].values())
        total, bare = mix_rows["total (sign-in excluded)"], base_rows["total (sign-in excluded)"]
        ratio_line = (
            f"mix / baseline: throughput {total['rps'] / bare['rps']:.2f}x, "
            f"p50 {total['p50'] / bare['p50']:.1f}x, p95 {total['p95'] / bare['p95']:.1f}x, "
            f"p99 {total['p99'] / bare['p99']:.1f}x"
        )
        print(f"\n{ratio_line}")

    print(
        f"\nwrites: {writes['orders_acknowledged']} orders acknowledged, "
        f"{writes['orders_found']} found (pricing records: {writes['pricings_found']}); "
        f"{writes['interactions_acknowledged']} interactions acknowledged, "
        f"{writes['interactions_found']} found"
    )
    print(
        "  rows added: "
        + ", ".join(f"{t} +{n}" for t, n in writes["rows_added"].items())
        + "; unacknowledged rows: "
        + ", ".join(f"{t} {n}" for t, n in writes["unacknowledged"].items())
    )
    print(
        f"  order aggregates re-counted for {writes['accounts_touched']} accounts: "
        f"{writes['stale_aggregates']} stale"
    )
    lost = writes["lost"] + writes["stale_aggregates"]
    print(f"lost writes: {lost}")
    page = mix_rows.get(ACCOUNT_PAGE, {"p95": float("nan")})
    print("\ngoals:")
    print(f"  zero errors:            {'PASS' if errors == 0 else 'FAIL'} ({errors} errors)")
    print(f"  zero lost writes:       {'PASS' if lost == 0 else 'FAIL'} ({lost} lost)")
    page_ok = page["p95"] < ACCOUNT_PAGE_GOAL_MS
    print(
        f"  account page p95 < {ACCOUNT_PAGE_GOAL_MS:.0f} ms: {'PASS' if page_ok else 'FAIL'} "
        f"({page['p95']:.0f} ms)"
    )
    print(f"  (machine at the end: {machine_line()})")
    if not mix["completed"] or (base is not None and not base["completed"]):
        print("a phase did not complete its measured window; see the locust logs", file=sys.stderr)
        return 2
    return 0 if errors == 0 and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
