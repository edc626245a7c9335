"""Build a synthetic portfolio at scale, deterministically, for the metrics benchmark.

Default: 10,000 accounts, 100,000 stakeholders, 1,000,000 orders over three
years in 10 categories, wallet estimates, over 40 account managers.

    python bench/generate_portfolio.py --database sqlite:////tmp/b2bl-bench.sqlite

Rows go in with bulk INSERTs (executemany) inside one transaction per table,
through the app's own schema (migrated with ``upgrade_database``), then the
per-account order stats are computed the way the services keep them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert, text

SEED = 20261126


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite:////tmp/b2bl-bench.sqlite")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--stakeholders-per-account", type=int, default=10)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--managers", type=int, default=40)
    parser.add_argument("--end", default=None, help="last order date (default: yesterday)")
    args = parser.parse_args(argv)

    from b2b_loyalty import create_app
    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import (
        Account,
        Order,
        ProductCategory,
        Stakeholder,
        User,
        WalletEstimate,
    )
    from b2b_loyalty.schema import upgrade_database
    from b2b_loyalty.services.order_stats import refresh_order_stats

    app = create_app(
        {"DATABASE_URL": args.database, "B2B_LOYALTY_PLUGINS": "none", "SECRET_KEY": "bench"}
    )
    rng = random.Random(SEED)
    end = date.fromisoformat(args.end) if args.end else date.today() - timedelta(days=1)
    start = end - timedelta(days=3 * 365 - 1)
    with app.app_context():
        started = time.perf_counter()
        upgrade_database()
        if db.session.scalar(text("SELECT COUNT(*) FROM accounts")):
            print("the database already holds accounts; use a fresh one", file=sys.stderr)
            return 2
        placeholder = User(email="x@x", name="x", role="admin")
        placeholder.set_password("bench-password")
        hashed = placeholder.password_hash
        users = [
            {
                "email": "lead@bench.example",
                "name": "Bench Lead",
                "role": "sales_lead",
                "password_hash": hashed,
                "active": True,
            }
        ]
        users += [
            {
                "email": f"manager{i:03d}@bench.example",
                "name": f"Manager {i:03d}",
                "role": "account_manager",
                "password_hash": hashed,
                "active": True,
            }
            for i in range(args.managers)
        ]
        db.session.execute(insert(User), users)
        manager_ids = db.session.scalars(
            text("SELECT id FROM users WHERE role = 'account_manager' ORDER BY id")
        ).all()
        db.session.execute(
            insert(ProductCategory), [{"name": f"Category {i:02d}"} for i in range(10)]
        )
        category_ids = db.session.scalars(
            text("SELECT id FROM product_categories ORDER BY id")
        ).all()
        regions = ["North", "South", "East", "West", "Central", "Baltic", "Alpine", "Iberia"]
        industries = [
            "Manufacturing",
            "Logistics",
            "Retail",
            "Healthcare",
            "Energy",
            "IT services",
            "Construction",
        ]
        db.session.execute(
            insert(Account),
            [
                {
                    "name": f"Client {i:05d}",
                    "tax_id": f"BENCH{i:07d}",
                    "owner_id": manager_ids[i % len(manager_ids)],
                    "region": regions[i % len(regions)],
                    "industry": industries[(i // 3) % len(industries)],
                }
                for i in range(args.accounts)
            ],
        )
        account_ids = db.session.scalars(text("SELECT id FROM accounts ORDER BY id")).all()
        db.session.execute(
            insert(Stakeholder),
            [
                {
                    "account_id": a,
                    "name": f"Person {a}-{k}",
                    "circle": 1 + k % 3,
                    "stance": "neutral",
                    "influence": 1 + k % 5,
                    "active": True,
                    "reports_to_id": None,
                }
                for a in account_ids
                for k in range(args.stakeholders_per_account)
            ],
        )
        # Pareto-like sizes: a few big clients buy often and much.
        weights = [1 / (1 + i) ** 0.8 for i in range(len(account_ids))]
        rng.shuffle(weights)
        chosen = rng.choices(account_ids, weights=weights, k=args.orders)
        days = (end - start).days
        batch = []
        for n, account_id in enumerate(chosen):
            quantity = rng.randint(1, 200)
            price = Decimal(rng.randint(500, 20000)) / 100
            list_amount = (price * quantity).quantize(Decimal("0.01"))
            discount = (list_amount * Decimal(rng.choice((0, 0, 0, 2, 5))) / 100).quantize(
                Decimal("0.01")
            )
            batch.append(
                {
                    "account_id": account_id,
                    "order_date": start + timedelta(days=rng.randint(0, days)),
                    "category_id": rng.choice(category_ids),
                    "quantity": quantity,
                    "unit_price": price,
                    "list_amount": list_amount,
                    "discount_amount": discount,
                    "net_amount": list_amount - discount,
                    "unit_cost": (price * Decimal("0.65")).quantize(Decimal("0.01")),
                    "currency": "EUR",
                    "external_ref": f"B{n:08d}",
                }
            )
            if len(batch) == 50_000:
                db.session.execute(insert(Order), batch)
                batch.clear()
        if batch:
            db.session.execute(insert(Order), batch)
        db.session.execute(
            insert(WalletEstimate),
            [
                {
                    "account_id": a,
                    "year": year,
                    "category_id": None,
                    "estimated_spend": Decimal(rng.randint(50_000, 5_000_000)),
                    "source": "benchmark",
                    "confidence": "medium",
                }
                for a in account_ids
                if a % 5
                for year in range(start.year, end.year + 1)
            ],
        )
        refresh_order_stats(account_ids)
        db.session.commit()
        print(
            f"built {len(account_ids):,} accounts, {len(account_ids) * args.stakeholders_per_account:,} stakeholders, "
            f"{args.orders:,} orders ({start} to {end}) in {time.perf_counter() - started:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
