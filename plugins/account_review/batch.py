"""Writing exports to disk, one by one or by a pool of processes (``export review --all``).

Each worker process builds its own app with ``create_app`` (so its own engine
and database connections: nothing is shared with the parent or inherited
through ``fork`` — the pool uses ``spawn``), acts for the same user under the
same access rule, renders reviews and writes them. A review that fails is
reported, not fatal to the batch.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask

from b2b_loyalty.domain.order_metrics import Period
from plugins.account_review.exports import ExportFile

# Configuration a worker needs to build the same app as the parent (plus every
# plugin's own keys, see worker_config).
FORWARDED_KEYS = (
    "TESTING",
    "SECRET_KEY",
    "B2B_LOYALTY_PLUGINS",
    "BASE_CURRENCY",
    "BABEL_DEFAULT_LOCALE",
    "EXPORTS_DIR",
)
PRIMITIVES = (str, int, float, bool, type(None))


def write_export(folder: Path, export: ExportFile) -> Path:
    """Write ``export`` into ``folder`` atomically (a reader never sees half a file)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / export.filename
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(export.content)
    os.replace(partial, path)
    return path


def worker_config(app: Flask) -> dict[str, Any]:
    """The parent app's settings that decide what a review holds, for a worker's create_app."""
    config: dict[str, Any] = {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "INSTANCE_PATH": app.instance_path,
    }
    from b2b_loyalty.plugin_host import plugin_host

    plugin_prefixes = tuple(name.upper() + "_" for name in plugin_host(app).enabled)
    for key, value in app.config.items():
        if (key in FORWARDED_KEYS or key.startswith(plugin_prefixes)) and isinstance(
            value, PRIMITIVES
        ):
            config[key] = value
    return config


@dataclass(frozen=True)
class Outcome:
    """What became of one review; ``cpu_seconds`` is the process's CPU time so far."""

    account_id: int
    path: str | None
    error: str | None
    pid: int
    cpu_seconds: float = 0.0


_worker: dict[str, Any] = {}


def _init_worker(config: dict[str, Any], user_id: int | None) -> None:
    from b2b_loyalty import create_app

    app = create_app(config)
    context = app.app_context()
    context.push()
    _worker.update(app=app, context=context, user_id=user_id)


def _acting_user(user_id: int | None) -> Any:
    """Set the access scope of ``user_id`` on the current session; returns the user."""
    from b2b_loyalty.access import UNRESTRICTED, AccessScope, set_access_scope
    from b2b_loyalty.extensions import db
    from b2b_loyalty.models import User

    if user_id is None:
        set_access_scope(UNRESTRICTED)
        return None
    user = db.session.get(User, user_id)
    set_access_scope(AccessScope.for_user(user))
    return user


def export_account_review(
    account_id: int,
    start: date,
    end: date,
    fmt: str,
    folder: str,
    user_id: int | None,
    fresh_session: bool = False,
) -> Outcome:
    """Render and write one account review under the user's access rule (in any process).

    ``fresh_session``: end the session afterwards (workers: no identity map growing
    over hundreds of reviews; the command's own process keeps its session).
    """
    from b2b_loyalty.extensions import db
    from plugins.account_review.exports import account_review_file

    try:
        user = _acting_user(user_id)
        export = account_review_file(account_id, Period(start, end), fmt, user)
        path = write_export(Path(folder), export)
        return Outcome(account_id, str(path), None, os.getpid(), time.process_time())
    except Exception as exc:  # noqa: BLE001 - one failed review must not stop the batch
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        if not hasattr(exc, "message"):
            message += "\n" + traceback.format_exc(limit=3)
        return Outcome(account_id, None, message, os.getpid(), time.process_time())
    finally:
        if fresh_session:
            db.session.remove()


def _worker_task(account_id: int, start: date, end: date, fmt: str, folder: str) -> Outcome:
    return export_account_review(
        account_id, start, end, fmt, folder, _worker["user_id"], fresh_session=True
    )


def export_in_processes(
    app: Flask,
    account_ids: Sequence[int],
    period: Period,
    fmt: str,
    folder: Path,
    user_id: int | None,
    workers: int,
) -> Iterator[Outcome]:
    """Yield one Outcome per account as the ``workers`` processes finish them."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(worker_config(app), user_id),
    ) as pool:
        futures = [
            pool.submit(_worker_task, i, period.start, period.end, fmt, str(folder))
            for i in account_ids
        ]
        for future in as_completed(futures):
            yield future.result()


def export_in_this_process(
    account_ids: Sequence[int],
    period: Period,
    fmt: str,
    folder: Path,
    user_id: int | None,
    on_done: Callable[[Outcome], None] | None = None,
) -> Iterator[Outcome]:
    for account_id in account_ids:
        outcome = export_account_review(
            account_id, period.start, period.end, fmt, str(folder), user_id
        )
        if on_done:
            on_done(outcome)
        yield outcome
