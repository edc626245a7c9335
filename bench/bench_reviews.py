"""Time the review exports against the libraries doing the same work alone, in one run.

    python bench/generate_portfolio.py            # once: builds /tmp/b2bl-bench.sqlite
    python bench/bench_reviews.py                 # prints each figure, its baseline, the ratio

On the synthetic portfolio (10,000 accounts, 1,000,000 orders):

* **account review PDF** — ``account_review_file(id, period, "pdf")``: the core's
  metrics for the period and the previous one, the orders and discounts, the
  charts, the print template, WeasyPrint. Baseline: WeasyPrint alone turning the
  *same finished HTML* into a PDF. Goal: within 1.5x.
* **portfolio Excel, 10,000 accounts** — ``portfolio_workbook(review)``: every
  sheet of the export (summary with metadata and a native Pareto chart, the
  accounts with number formats, frozen header, autofilter, fitted widths, the
  managers). Baseline: openpyxl write-only appending the *same cells* of the
  accounts sheet from a prepared list of rows, no formats. Goal: within 1.5x. The
  end-to-end time (with the core's ``portfolio_metrics`` for 10,000 accounts,
  benchmarked by ``bench_metrics.py``) is printed too.
* **batch of 200 account reviews** — ``export review --all``'s process pool
  (``spawn``, one app and one database connection per worker): wall time, the
  worker processes seen, and the CPU time of the workers ÷ wall time (≈ the
  number of cores kept busy), beside the same reviews' serial time estimated
  from 20 of them in this process.

Peak memory is tracemalloc's peak (Python allocations, not the native ones of
Pango/HarfBuzz) measured in a separate run of each figure, so tracing does not
slow the timed runs. Each figure and its baseline run in alternating rounds (``--repeat``) after a
warm-up; the best time of each counts, so a busy machine disturbs both alike.
The bench database has no tables of the engagement and tenure plugins, so only
``account_review`` is enabled: the reviews have no plugin sections.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs after one warm-up, in seconds."""
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return min(samples)


def paired(
    measured: Callable[[], object], baseline: Callable[[], object], rounds: int
) -> tuple[float, float]:
    """Best times of the two, run in alternating rounds after a warm-up of each: a busy
    machine disturbs both alike, and the best run is the least disturbed one."""
    measured()
    baseline()
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for i, fn in enumerate((measured, baseline)):
            started = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - started)
    return best[0], best[1]


def peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def line(
    name: str, value_s: float, base_s: float, goal: float, mem: float, base_mem: float
) -> bool:
    ratio = value_s / base_s
    ok = ratio <= goal
    print(
        f"{name:<34} {value_s * 1000:9.1f} ms  baseline {base_s * 1000:9.1f} ms  "
        f"ratio {ratio:5.2f}x (goal ≤ {goal}x: {'met' if ok else 'NOT met'})  "
        f"peak {mem:7.1f} MiB vs {base_mem:7.1f} MiB"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite:////tmp/b2bl-bench.sqlite")
    parser.add_argument("--period", default="", help="2026, 2026-Q1 …; default the last 12 months")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--account", type=int, default=0, help="account of the PDF figure")
    parser.add_argument("--batch", type=int, default=200, help="account reviews in the batch")
    parser.add_argument("--batch-format", default="pdf", choices=("pdf", "xlsx"))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--serial-sample", type=int, default=30, help="reviews timed with one worker"
    )
    parser.add_argument("--max-ratio", type=float, default=1.5)
    args = parser.parse_args(argv)

    from b2b_loyalty import create_app
    from b2b_loyalty.access import UNRESTRICTED, set_access_scope
    from b2b_loyalty.domain.periods import parse_period
    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import User
    from plugins.account_review import batch
    from plugins.account_review.exports import account_review_file, portfolio_review_file
    from plugins.account_review.render.documents import account_review_html
    from plugins.account_review.render.pdf import html_to_pdf
    from plugins.account_review.render.portfolio_workbook import (
        account_columns,
        account_rows,
        portfolio_workbook,
    )
    from plugins.account_review.services.account_review import build_account_review
    from plugins.account_review.services.portfolio_review import build_portfolio_review

    app = create_app(
        {
            "DATABASE_URL": args.database,
            "B2B_LOYALTY_PLUGINS": "account_review",
            "SECRET_KEY": "bench",
        }
    )
    ok = True
    with app.app_context():
        from b2b_loyalty.schema import upgrade_database

        # The code may be ahead of the generated database: bring its schema up to date.
        upgrade_database()
        accounts = db.session.scalar(text("SELECT COUNT(*) FROM accounts"))
        orders = db.session.scalar(text("SELECT COUNT(*) FROM orders"))
        if not accounts:
            print("no data: run bench/generate_portfolio.py first", file=sys.stderr)
            return 2
        set_access_scope(UNRESTRICTED)
        from datetime import date

        period = parse_period(args.period or None, today=date.today())
        lead = db.session.scalar(db.select(User).where(User.role == "sales_lead").limit(1))
        counts = db.session.execute(
            text(
                "SELECT account_id, COUNT(*) FROM orders WHERE order_date BETWEEN :a AND :b "
                "GROUP BY account_id ORDER BY COUNT(*), account_id"
            ),
            {"a": period.start, "b": period.end},
        ).all()
        # A large but ordinary account (90th percentile of orders in the period): the
        # synthetic data's few giants have thousands of orders, printed as the largest 500.
        busiest, in_period = (
            (args.account, dict(counts).get(args.account, 0))
            if args.account
            else counts[int(len(counts) * 0.9)]
        )
        print(f"data: {accounts:,} accounts, {orders:,} orders ({args.database})")
        print(f"period: {period}; account #{busiest} with {in_period} orders in the period")

        # -- one account review as PDF ---------------------------------------------------
        html = account_review_html(build_account_review(busiest, period, lead))
        review_s, weasy_s = paired(
            lambda: account_review_file(busiest, period, "pdf", lead),
            lambda: html_to_pdf(html),
            args.repeat,
        )
        review_mem = peak_mib(lambda: account_review_file(busiest, period, "pdf", lead))
        weasy_mem = peak_mib(lambda: html_to_pdf(html))
        gather_s = timed(lambda: build_account_review(busiest, period, lead), args.repeat)
        ok &= line("account review PDF", review_s, weasy_s, args.max_ratio, review_mem, weasy_mem)
        print(f"{'':<34} of which gathering the figures {gather_s * 1000:.1f} ms")

        # -- portfolio workbook of every account -------------------------------------------
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        from plugins.account_review.render.xlsx import (
            INTEGER_FORMAT,
            NUMBER_FORMAT,
            PERCENT_FORMAT,
            money_format,
        )

        review = build_portfolio_review(period, lead)
        header = [c.header for c in account_columns()]
        rows = account_rows(review)

        def bare_openpyxl() -> bytes:
            book = Workbook(write_only=True)
            sheet = book.create_sheet("Accounts")
            sheet.append(header)
            for row in rows:
                sheet.append(row)
            out = io.BytesIO()
            book.save(out)
            return out.getvalue()

        def formatted_openpyxl() -> bytes:
            """The same cells with their number formats, one WriteOnlyCell per value."""
            book = Workbook(write_only=True)
            sheet = book.create_sheet("Accounts")
            sheet.append(header)
            formats = [workbook_formats.get(c.kind) for c in account_columns()]
            for row in rows:
                cells = []
                for value, fmt in zip(row, formats, strict=True):
                    if fmt is None or value is None:
                        cells.append(value)
                    else:
                        cell = WriteOnlyCell(sheet, value=value)
                        cell.number_format = fmt
                        cells.append(cell)
                sheet.append(cells)
            out = io.BytesIO()
            book.save(out)
            return out.getvalue()

        workbook_formats = {
            "money": money_format(review.currency),
            "percent": PERCENT_FORMAT,
            "integer": INTEGER_FORMAT,
            "number": NUMBER_FORMAT,
        }
        workbook_s, bare_s = paired(lambda: portfolio_workbook(review), bare_openpyxl, args.repeat)
        formatted_s = timed(formatted_openpyxl, 1)
        workbook_mem = peak_mib(lambda: portfolio_workbook(review))
        bare_mem = peak_mib(bare_openpyxl)
        ok &= line(
            f"portfolio Excel, {len(rows):,} accounts",
            workbook_s,
            bare_s,
            args.max_ratio,
            workbook_mem,
            bare_mem,
        )
        print(
            f"{'':<34} baseline with the same number formats, one styled cell per value: "
            f"{formatted_s * 1000:.1f} ms ({workbook_s / formatted_s:.2f}x)"
        )
        end_to_end_s = timed(lambda: portfolio_review_file(period, "xlsx", lead), 1)
        print(
            f"{'':<34} end to end with the core's portfolio_metrics: {end_to_end_s * 1000:.1f} ms "
            f"({end_to_end_s / bare_s:.2f}x the bare writing)"
        )

        # -- batch of account reviews ------------------------------------------------------
        ids = list(
            db.session.scalars(
                text("SELECT id FROM accounts ORDER BY id LIMIT :n"), {"n": args.batch}
            )
        )
        db.session.remove()

    def pool(account_ids: list[int], workers: int) -> tuple[float, list]:
        with tempfile.TemporaryDirectory() as folder, app.app_context():
            started = time.perf_counter()
            outcomes = list(
                batch.export_in_processes(
                    app, account_ids, period, args.batch_format, Path(folder), None, workers
                )
            )
            return time.perf_counter() - started, outcomes

    load_before = os.getloadavg()[0]
    one_wall, _ = pool(ids[: args.serial_sample], 1)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, outcomes = pool(ids, args.workers)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    failed = [o for o in outcomes if o.error]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    per_worker = {}
    for outcome in outcomes:
        per_worker[outcome.pid] = max(per_worker.get(outcome.pid, 0.0), outcome.cpu_seconds)
    serial_each = one_wall / min(args.serial_sample, len(ids))
    print(
        f"batch of {len(ids)} account reviews ({args.batch_format}): {wall:.1f} s with "
        f"{args.workers} worker processes ({len(per_worker)} did work), "
        f"{len(outcomes) - len(failed)} written, {len(failed)} failed"
    )
    print(
        f"{'':<34} CPU per worker: "
        + ", ".join(f"{seconds:.1f} s" for seconds in sorted(per_worker.values()))
        + f"; all workers' CPU {cpu:.1f} s ÷ wall {wall:.1f} s = {cpu / wall:.2f} cores busy"
    )
    print(
        f"{'':<34} one worker: {serial_each * 1000:.0f} ms a review "
        f"({args.serial_sample} reviews); {args.workers} workers: {wall / len(ids) * 1000:.0f} ms "
        f"→ speed-up {serial_each / (wall / len(ids)):.2f}x on {os.cpu_count()} CPUs "
        f"(load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    if failed:
        print(failed[0].error, file=sys.stderr)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
