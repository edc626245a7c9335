"""Time importing orders from .xlsx against openpyxl iteration plus a bare bulk insert.

    python bench/bench_import.py                  # 100,000 orders, fresh SQLite in /tmp
    python bench/bench_import.py --rows 20000 --database postgresql://postgres@127.0.0.1/bench

It builds a workbook of ``--rows`` orders (200 accounts, 3 categories, a
reference per order; not timed), then, on the same empty orders table:

* **baseline** — ``openpyxl`` read-only iteration of the workbook, each row
  turned into column values (account by name, category by name, Decimals,
  list/net amounts) and one ``INSERT`` executemany per 1,000 rows, one commit;
* **import** — the real thing, as ``b2b-loyalty import orders FILE --owner``
  runs it: the file kept in ``import_batches``, headers matched, every row
  through ``OrderForm``, references looked up, amounts rounded as the order
  service rounds them, bulk insert, order statistics refreshed, the log written.

It prints both times, rows per second and the ratio import/baseline (goal:
within 2x), and exits 1 when the ratio exceeds ``--max-ratio`` or when the
two runs do not store the same orders.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ACCOUNTS = 200
CATEGORIES = ("Lamps", "Cables", "Switches")
HEADERS = ["Account", "Date", "Category", "Quantity", "Unit price", "Discount", "Order number"]


def build_workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Orders")
    sheet.append(HEADERS)
    first = date(2023, 1, 1)
    for n in range(rows):
        sheet.append(
            [
                f"Client {n % ACCOUNTS:03d}",
                first + timedelta(days=n % 700),
                CATEGORIES[n % len(CATEGORIES)],
                n % 50 + 1,
                round(5 + (n % 400) * 0.25, 2),
                (n % 7) * 0.5,
                f"ORD-{n:07d}",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def baseline(data: bytes) -> int:
    """openpyxl read-only iteration plus a bare bulk insert of the same rows."""
    from openpyxl import load_workbook
    from sqlalchemy import insert, select

    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import Account, Order, ProductCategory

    accounts = dict(db.session.execute(select(Account.name, Account.id)).all())
    categories = dict(db.session.execute(select(ProductCategory.name, ProductCategory.id)).all())
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    batch: list[dict] = []
    count = 0
    cent = Decimal("0.01")
    for values in workbook.worksheets[0].iter_rows(min_row=2, values_only=True):
        account, day, category, quantity, price, discount, ref = values
        quantity, price = Decimal(str(quantity)), Decimal(str(price))
        discount = Decimal(str(discount or 0)).quantize(cent)
        list_amount = (quantity * price).quantize(cent)
        batch.append(
            {
                "account_id": accounts[account],
                "order_date": day.date(),
                "category_id": categories[category],
                "quantity": quantity,
                "unit_price": price,
                "list_amount": list_amount,
                "discount_amount": discount,
                "net_amount": list_amount - discount,
                "currency": "EUR",
                "external_ref": ref,
            }
        )
        if len(batch) == 1000:
            db.session.execute(insert(Order), batch)
            count += len(batch)
            batch = []
    if batch:
        db.session.execute(insert(Order), batch)
        count += len(batch)
    workbook.close()
    db.session.commit()
    return count


def real_import(data: bytes, owner) -> int:  # noqa: ANN001
    from b2b_loyalty.imports.readers import read_sheet
    from b2b_loyalty.imports.service import commit_import, start_import

    sheet = read_sheet(data, "orders.xlsx")
    batch = start_import(
        owner, "orders", "orders.xlsx", data, owner=owner, source="cli", sheet=sheet
    )
    report = commit_import(batch, owner, sheet=sheet)
    if not report.committed or report.rejected:
        raise SystemExit(f"the import rejected rows: {report.rejections[:5]}")
    return report.created


def stored_orders() -> list[tuple]:
    from sqlalchemy import select

    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import Order

    return db.session.execute(
        select(Order.external_ref, Order.account_id, Order.order_date, Order.net_amount).order_by(
            Order.external_ref
        )
    ).all()


def empty_orders() -> None:
    from sqlalchemy import delete

    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import AccountMonthTotals, AccountOrderStats, Order

    for model in (Order, AccountOrderStats, AccountMonthTotals):
        db.session.execute(delete(model))
    db.session.commit()


def prepare_database(app) -> object:  # noqa: ANN001
    """Schema, one account manager owning every account, the categories; returns the manager."""
    from sqlalchemy import select

    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import Account, ProductCategory, User
    from b2b_loyalty.schema import upgrade_database
    from b2b_loyalty.services.users import create_user

    upgrade_database()
    owner = db.session.scalar(select(User).where(User.email == "bench-import@example.com"))
    if owner is None:
        owner = create_user(
            "bench-import@example.com", "Bench", "account_manager", "bench-pass-123"
        )
    known = set(db.session.scalars(select(Account.name)))
    db.session.add_all(
        Account(name=f"Client {n:03d}", owner_id=owner.id)
        for n in range(ACCOUNTS)
        if f"Client {n:03d}" not in known
    )
    names = set(db.session.scalars(select(ProductCategory.name)))
    db.session.add_all(ProductCategory(name=c) for c in CATEGORIES if c not in names)
    db.session.commit()
    empty_orders()
    return owner


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", default=None, help="SQLAlchemy URL (default: fresh SQLite)")
    parser.add_argument("--max-ratio", type=float, default=2.0)
    args = parser.parse_args(argv)

    from b2b_loyalty import create_app
    from b2b_loyalty.extensions import db

    workdir = Path(tempfile.mkdtemp(prefix="b2bl-bench-import-"))
    database = args.database or f"sqlite:///{workdir / 'bench.sqlite'}"
    app = create_app(
        {
            "DATABASE_URL": database,
            "INSTANCE_PATH": str(workdir),
            "B2B_LOYALTY_PLUGINS": "none",
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        _wire(app)
        owner = prepare_database(app)
        started = time.perf_counter()
        data = build_workbook(args.rows)
        print(
            f"workbook: {args.rows:,} orders, {len(data) / 1e6:.1f} MB "
            f"(built in {time.perf_counter() - started:.1f} s, not timed)"
        )

        started = time.perf_counter()
        written = baseline(data)
        baseline_seconds = time.perf_counter() - started
        expected = stored_orders()
        empty_orders()

        started = time.perf_counter()
        imported = real_import(data, owner)
        import_seconds = time.perf_counter() - started
        same = stored_orders() == expected
        empty_orders()
        db.session.remove()
        db.engine.dispose()

    ratio = import_seconds / baseline_seconds
    print(f"database: {database.split(':', 1)[0]}")
    print(
        f"baseline (openpyxl + bulk insert): {baseline_seconds:7.2f} s  "
        f"{written / baseline_seconds:9,.0f} rows/s"
    )
    print(
        f"import (validated, upserted, logged): {import_seconds:4.2f} s  "
        f"{imported / import_seconds:9,.0f} rows/s"
    )
    print(f"ratio import/baseline: {ratio:.2f}x (goal: within {args.max_ratio:g}x)")
    if not same or imported != written:
        print("MISMATCH: the import and the baseline stored different orders", file=sys.stderr)
        return 1
    return 0 if ratio <= args.max_ratio else 1


def _wire(app) -> None:  # noqa: ANN001
    """Register the import area's hooks if ``create_app`` does not yet."""
    from b2b_loyalty.imports import import_hooks
    from b2b_loyalty.plugin_host import plugin_host

    manager = plugin_host(app).manager
    if not any(name.endswith("import_hooks") for name, _ in manager.list_name_plugin()):
        manager.register(import_hooks, name=import_hooks.PLUGIN_NAME)


if __name__ == "__main__":
    sys.exit(main())
