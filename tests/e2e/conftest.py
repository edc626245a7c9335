"""The browser suite: the app served on 127.0.0.1, driven by Playwright in Debian's Chromium.

The server is the real app (CSRF on, sessions, plugins) over the demo data in
its own SQLite file, started once for the module in a thread. The suite runs on
the SQLite pass of ``.ci/run`` only: it checks what a user sees through a
browser, which the database underneath does not change, and the integration
tests already run on both databases.

Screenshots of every page the journeys visit, and the files they download, are
written to ``test-artifacts/e2e/`` (or ``$B2B_LOYALTY_E2E_ARTIFACTS``).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from b2b_loyalty import create_app

CHROMIUM = os.environ.get("B2B_LOYALTY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(
    os.environ.get(
        "B2B_LOYALTY_E2E_ARTIFACTS",
        Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e",
    )
)
PASSWORD = "demo-password"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"browser suite cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the demo data, served by werkzeug on a free loopback port."""
    if os.environ.get("B2B_LOYALTY_TEST_DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the browser suite runs on the SQLite pass (see tests/e2e/conftest.py)")
    from werkzeug.serving import make_server

    from b2b_loyalty.demo_data import build_demo
    from b2b_loyalty.schema import upgrade_database

    folder = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'e2e.sqlite'}",
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "e2e-secret",
            "B2B_LOYALTY_PLUGINS": "all",
            "EXPORTS_DIR": str(folder / "exports"),
        }
    )
    with app.app_context():
        upgrade_database()
        build_demo()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """One signed-in browser session: pages, screenshots and downloads of a journey."""

    def __init__(self, browser, base_url: str, artifacts: Path, journey: str) -> None:  # noqa: ANN001
        self.context = browser.new_context(
            base_url=base_url, accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        self.page = self.context.new_page()
        self.base_url = base_url
        self.folder = artifacts / journey
        self.folder.mkdir(parents=True, exist_ok=True)
        self.shots = 0
        # Anything the page asks the network for beyond the app itself is a failure:
        # no CDN, no fonts, no scripts from the internet.
        self.outside_requests: list[str] = []
        self.page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((base_url, "data:", "blob:"))
                else self.outside_requests.append(request.url)
            ),
        )
        self.console_errors: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=str(self.folder / f"{self.shots:02d}-{name}.png"), full_page=True)

    def sign_in(self, email: str) -> None:
        self.page.goto("/login")
        self.page.fill("input[name=email]", email)
        self.page.fill("input[name=password]", PASSWORD)
        self.shot("login")
        self.page.click("button[type=submit], input[type=submit]")
        self.page.wait_for_load_state()
        assert "/login" not in self.page.url, f"{email} could not sign in"

    def download(self, selector: str, name: str) -> Path:
        with self.page.expect_download() as info:
            self.page.click(selector)
        target = self.folder / name
        info.value.save_as(target)
        return target

    def close(self) -> None:
        self.context.close()
        assert not self.outside_requests, f"requests left the app: {self.outside_requests}"
        assert not self.console_errors, f"browser console errors: {self.console_errors}"


@pytest.fixture
def visit(browser, live_server, artifacts, request):  # noqa: ANN001, ANN201
    """``visit(email)`` → a signed-in Visit; closed (and checked) after the test."""
    opened: list[Visit] = []

    def open_visit(email: str | None = None) -> Visit:
        journey = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")
        v = Visit(browser, live_server, artifacts, f"{journey}-{len(opened) + 1}")
        opened.append(v)
        if email:
            v.sign_in(email)
        return v

    yield open_visit
    for v in opened:
        v.close()
