"""Simulated users for the load benchmark; ``bench/bench_load.py`` runs this file.

Not meant to be started by hand: the plan (users, tokens, the accounts each
manager owns, think time, measured duration, where to write the results) comes
from the JSON file named by ``BENCH_LOAD_PLAN``, which ``bench_load.py`` writes.

User classes:

* ``ManagerUser`` — an account manager, signed in once (web session with CSRF)
  plus a bearer token for the JSON API; works on the accounts they own.
* ``LeadUser`` — sales leadership (one session): the dashboard over all accounts,
  the account list and account pages across the whole portfolio.
* ``HealthzUser`` — the baseline: only ``GET /healthz`` (no database, no session).

Measurement: nothing is timed until every user has signed in and the load has
run ``warmup`` seconds more (cold workers compile templates and fill their
connection pools); then requests that complete during ``duration`` seconds
are timed. After that
no new request starts, the ones in flight finish (so every write the server
made is acknowledged), and the results — latencies per request type, every
error, and the ids of the records each successful POST created — go to the
JSON file the plan names. Failures are counted over the whole run, warm-up and
drain included.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import gevent
from locust import HttpUser, between, constant, events, task

_PLAN_FILE = os.environ.get("BENCH_LOAD_PLAN")
PLAN: dict = json.loads(Path(_PLAN_FILE).read_text()) if _PLAN_FILE else {}
THINK_MIN, THINK_MAX = PLAN.get("think", [2.0, 8.0])
DURATION = float(PLAN.get("duration", 60))
WARMUP = float(PLAN.get("warmup", 10))
DRAIN_LIMIT = 60.0  # seconds to wait for requests in flight at the end
READY_LIMIT = 300.0  # seconds to wait for every user to sign in

CSRF_INPUT = re.compile(r"<input[^>]*\bname=\"csrf_token\"[^>]*>")
VALUE_ATTR = re.compile(r"\bvalue=\"([^\"]*)\"")

# Names under which requests are reported (ids are replaced by [id]).
LOGIN_FORM = "GET /login (form)"
LOGIN = "POST /login"
ACCOUNT_LIST = "GET /accounts/ (account list)"
ACCOUNT_PAGE = "GET /accounts/[id] (account page)"
DASHBOARD_OWN = "GET /dashboard/ (manager: own accounts)"
DASHBOARD_ALL = "GET /dashboard/ (leadership: all accounts)"
QUOTE = "POST /api/v1/quotes (price only)"
QUOTE_SAVE = "POST /api/v1/quotes (save: writes an order)"
INTERACTION = "POST /api/v1/accounts/[id]/interactions"
HEALTHZ = "GET /healthz"
SETUP_NAMES = frozenset({LOGIN_FORM, LOGIN})


def cpu_snapshot() -> dict[str, float]:
    """CPU seconds used so far by the server (gunicorn master and workers), by the
    PostgreSQL backends serving the benchmark database, by this locust process,
    and by the whole machine (busy time of all cores), for the per-request costs."""
    import psutil

    def used(process) -> float:  # noqa: ANN001
        try:
            times = process.cpu_times()
        except psutil.Error:
            return 0.0
        return times.user + times.system

    snapshot = {"gunicorn": 0.0, "postgres": 0.0, "locust": used(psutil.Process())}
    server_pid = PLAN.get("server_pid")
    if server_pid:
        try:
            master = psutil.Process(server_pid)
            snapshot["gunicorn"] = used(master) + sum(
                used(child) for child in master.children(recursive=True)
            )
        except psutil.Error:
            pass
    marker = f" {PLAN.get('database_name')} "
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or []) + " "
        if cmdline.startswith("postgres:") and marker in cmdline:
            snapshot["postgres"] += used(process)
    machine = psutil.cpu_times()
    snapshot["machine"] = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
    snapshot["at"] = time.time()
    return snapshot


class Tally:
    """Everything measured, written once at the end."""

    def __init__(self) -> None:
        self.measuring = False
        self.stopping = False
        self.started_at: float | None = None
        self.stopped_at: float | None = None
        self.ready = 0
        self.in_flight = 0
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.window_failures: dict[str, int] = defaultdict(int)
        self.failures: dict[str, int] = defaultdict(int)
        self.failure_examples: list[str] = []
        self.writes: dict[str, list[int]] = {"orders": [], "interactions": []}
        self.written = False
        self.cpu_start: dict[str, float] = {}
        self.cpu_end: dict[str, float] = {}


TALLY = Tally()
_manager_numbers = itertools.count()


@events.request.add_listener
def _on_request(name, response_time, exception=None, **_kwargs) -> None:  # noqa: ANN001
    if exception is not None:
        TALLY.failures[name] += 1
        if TALLY.measuring:
            TALLY.window_failures[name] += 1
        if len(TALLY.failure_examples) < 20:
            TALLY.failure_examples.append(f"{name}: {exception}"[:300])
        return
    if TALLY.measuring:
        TALLY.samples[name].append(response_time)


def _write_results(environment) -> None:  # noqa: ANN001
    if TALLY.written or not PLAN.get("result"):
        return
    TALLY.written = True
    end = TALLY.stopped_at or time.time()
    result = {
        "users": environment.runner.user_count if environment.runner else None,
        "ready": TALLY.ready,
        "window_s": (end - TALLY.started_at) if TALLY.started_at else 0.0,
        "samples": TALLY.samples,
        "window_failures": TALLY.window_failures,
        "failures": TALLY.failures,
        "failure_examples": TALLY.failure_examples,
        "writes": TALLY.writes,
        "in_flight_at_end": TALLY.in_flight,
        "completed": TALLY.stopped_at is not None,
        "cpu": {
            k: TALLY.cpu_end[k] - TALLY.cpu_start[k]
            for k in TALLY.cpu_start
            if k in TALLY.cpu_end and k != "at"
        },
    }
    with open(PLAN["result"], "w") as handle:
        json.dump(result, handle)


def _control(environment) -> None:  # noqa: ANN001
    """Warm up (every user signs in, then WARMUP s of load), measure DURATION s, drain, quit."""
    deadline = time.time() + READY_LIMIT
    while time.time() < deadline:
        expected = environment.parsed_options.num_users
        if TALLY.ready >= expected and environment.runner.user_count >= expected:
            break
        gevent.sleep(0.1)
    gevent.sleep(WARMUP)  # templates compiled, pools filled, caches warm in every worker
    TALLY.cpu_start = cpu_snapshot()
    TALLY.started_at = time.time()
    TALLY.measuring = True
    gevent.sleep(DURATION)
    TALLY.measuring = False
    TALLY.cpu_end = cpu_snapshot()
    TALLY.stopping = True
    TALLY.stopped_at = time.time()
    drain_until = time.time() + DRAIN_LIMIT
    while TALLY.in_flight and time.time() < drain_until:
        gevent.sleep(0.05)
    _write_results(environment)
    environment.runner.quit()


@events.test_start.add_listener
def _on_test_start(environment, **_kwargs) -> None:  # noqa: ANN001
    gevent.spawn(_control, environment)


@events.quitting.add_listener
def _on_quitting(environment, **_kwargs) -> None:  # noqa: ANN001
    _write_results(environment)  # only if the control loop did not (e.g. the -t safety limit)


class BenchUser(HttpUser):
    abstract = True
    wait_time = constant(0) if THINK_MAX <= 0 else between(THINK_MIN, THINK_MAX)

    def _request(self, method: str, path: str, name: str, expect: int, extract=None, **kwargs):  # noqa: ANN001, ANN202
        """One request, failed unless it answers ``expect`` (no redirect is followed).

        Returns ``extract(response)`` (the response itself by default), or None when
        it failed or the run is stopping; an exception in ``extract`` is a failure.
        """
        if TALLY.stopping:
            gevent.sleep(1)
            return None
        TALLY.in_flight += 1
        try:
            with self.client.request(
                method, path, name=name, catch_response=True, allow_redirects=False, **kwargs
            ) as response:
                if response.status_code != expect:
                    body = (response.text or "")[:200].replace("\n", " ")
                    response.failure(f"HTTP {response.status_code} (expected {expect}): {body}")
                    return None
                try:
                    value = extract(response) if extract else response
                except Exception as exc:  # noqa: BLE001 - any malformed answer is a failure
                    response.failure(f"unexpected answer: {exc!r}")
                    return None
                response.success()
                return value
        finally:
            TALLY.in_flight -= 1

    def sign_in(self, email: str) -> None:
        """GET the login form for its CSRF token, then POST the credentials (once per user)."""
        try:
            form = self._request("GET", "/login", LOGIN_FORM, 200)
            if form is None:
                return
            tag = CSRF_INPUT.search(form.text)
            token = VALUE_ATTR.search(tag.group(0)).group(1) if tag else ""
            data = {"email": email, "password": PLAN["password"], "csrf_token": token}
            self._request("POST", "/login", LOGIN, 302, data=data)
        finally:
            TALLY.ready += 1

    def account_list(self) -> None:
        roll = random.random()
        if roll < 0.6:
            params = {}
        elif roll < 0.85:
            params = {"page": random.randint(2, 10)}
        else:
            params = {"q": f"Client {random.randint(0, 99):02d}"}
        self._request("GET", "/accounts/", ACCOUNT_LIST, 200, params=params)

    def account_page(self, account_id: int) -> None:
        self._request("GET", f"/accounts/{account_id}", ACCOUNT_PAGE, 200)


class ManagerUser(BenchUser):
    """An account manager working on their own accounts."""

    weight = 49

    def on_start(self) -> None:
        managers = PLAN["managers"]
        me = managers[next(_manager_numbers) % len(managers)]
        self.accounts = me["accounts"]  # [[account_id, stakeholder_id], ...]
        self.api = {"Authorization": f"Bearer {me['token']}"}
        self.sign_in(me["email"])

    def _mine(self) -> list[int]:
        return random.choice(self.accounts)

    @task(4)
    def open_account_list(self) -> None:
        self.account_list()

    @task(8)
    def open_account_page(self) -> None:
        self.account_page(self._mine()[0])

    @task(3)
    def price_quote(self) -> None:
        self._quote(save=False)

    @task(1)
    def save_quote_as_order(self) -> None:
        self._quote(save=True)

    @task(2)
    def log_interaction(self) -> None:
        account_id, stakeholder_id = self._mine()
        body = {
            "type": random.choice(("call", "meeting", "email")),
            "date": (date.today() - timedelta(days=random.randint(0, 6))).isoformat(),
            "stakeholder_ids": [stakeholder_id],
            "channel": random.choice(("phone", "in_person", "email")),
            "summary": "Load test: discussed next quarter's volumes",
        }
        created = self._request(
            "POST",
            f"/api/v1/accounts/{account_id}/interactions",
            INTERACTION,
            201,
            extract=lambda r: int(r.json()["id"]),
            json=body,
            headers=self.api,
        )
        if created is not None:
            TALLY.writes["interactions"].append(created)

    @task(1)
    def open_dashboard(self) -> None:
        self._request("GET", "/dashboard/", DASHBOARD_OWN, 200)

    def _quote(self, save: bool) -> None:
        body = {
            "account_id": self._mine()[0],
            "category_id": random.choice(PLAN["categories"]),
            "quantity": random.randint(1, 200),
            "unit_price": f"{random.randint(500, 20000) / 100:.2f}",
        }
        if save:
            body["save"] = True
        answer = self._request(
            "POST",
            "/api/v1/quotes",
            QUOTE_SAVE if save else QUOTE,
            201 if save else 200,
            extract=lambda r: r.json()["order_id"] if save else r.json()["net_total"],
            json=body,
            headers=self.api,
        )
        if answer is not None and save:
            TALLY.writes["orders"].append(int(answer))


class LeadUser(BenchUser):
    """Sales leadership: reads the whole portfolio, now and then the full dashboard."""

    fixed_count = max(1, int(PLAN.get("lead_users", 1)))

    def on_start(self) -> None:
        self.sign_in(PLAN["lead"]["email"])

    @task(1)
    def open_dashboard(self) -> None:
        self._request("GET", "/dashboard/", DASHBOARD_ALL, 200)

    @task(2)
    def open_account_list(self) -> None:
        self.account_list()

    @task(2)
    def open_account_page(self) -> None:
        self.account_page(random.choice(PLAN["lead"]["accounts"]))


class HealthzUser(BenchUser):
    """The baseline: Flask answering JSON without database or session."""

    def on_start(self) -> None:
        TALLY.ready += 1

    @task
    def healthz(self) -> None:
        self._request("GET", "/healthz", HEALTHZ, 200)
