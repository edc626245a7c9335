"""Every page a user reaches by following links answers, for every role, on the demo portfolio.

A crawl from the start page through every link (``href``) the pages show, as each demo
user: no page answers with a server error, and no page links to one its user may not
open (a 403 or 404 behind a link shown to them is a broken page too). Pages of the same
shape (the same path once the ids are taken out, e.g. ``/accounts/N``) are visited a few
times each, so the crawl covers every kind of page in bounded time.

Each kind of page is also asked once more with hostile query arguments (out-of-range ids,
junk periods, ``url_for``'s own option names, a path argument's name): a form error or
the defaults, never a server error.

What it caught when it was written: the dashboard answered 500 when its address carried
the drill-down's own ``metric`` (the drill-down page's link back to the dashboard did),
and the finance pages answered 500 once the change log held a plugin's entry whose tiers
are not shaped like a discount schedule's; the hostile arguments found the pager, sort
links, change-log filter and finance margin failing (tests/test_page_links.py).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from b2b_loyalty.demo_data import DEMO_PASSWORD, build_demo

AS_OF = date(2026, 11, 26)
HREF = re.compile(r'href="([^"]+)"')
SAME_SHAPE = 3  # pages visited per shape
HOSTILE_QUERY = urlencode(
    {
        "page": "-1",
        "per_page": "99999999999999999999999",
        "sort": "no_such_column",
        "dir": "sideways",
        "period": "2026-13-45",
        "owner": "99999999999999999999999",
        "schedule": "99999999999999999999999",
        "margin_percent": "-1",
        "metric": "abc",
        "value": "A",
        "account_id": "1.5",
        "endpoint": "auth.logout",
        "_scheme": "javascript",
        "_anchor": "x",
    }
)
PAGES_PER_ROLE = 400  # a bound, far above what the shapes add up to


def _local(base: str, href: str) -> str | None:
    """The app path (with its query) ``href`` leads to from ``base``, or None when it
    leaves the app, is a static file or would sign the user out."""
    parts = urlsplit(urljoin("http://app.test" + base, href.replace("&amp;", "&")))
    if parts.netloc != "app.test" or parts.path.startswith("/static/"):
        return None
    if parts.path in ("/logout",):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _crawl(client) -> tuple[int, list[str]]:  # noqa: ANN001 - the Flask test client
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue: list[tuple[str, str]] = [("/", "(start)")]
    problems: list[str] = []
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        path, linked_from = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        shape = re.sub(r"\d+", "N", path)
        shapes[shape] += 1
        if shapes[shape] > SAME_SHAPE:
            continue
        visited += 1
        response = client.get(path)
        if response.status_code in (301, 302, 303):
            target = _local(path, response.headers["Location"])
            if target:
                queue.append((target, path))
            continue
        if response.status_code != 200:
            problems.append(f"{path} answered {response.status_code} (linked from {linked_from})")
            continue
        if not response.content_type.startswith("text/html"):
            continue
        if shapes[shape] == 1:
            # The same page with hostile query arguments: a form error or the defaults,
            # never a server error (each of these keys once made some page answer 500).
            separator = "&" if "?" in path else "?"
            hostile = client.get(path + separator + HOSTILE_QUERY)
            if hostile.status_code >= 500:
                problems.append(f"{path} with hostile arguments answered {hostile.status_code}")
        for href in HREF.findall(response.get_data(as_text=True)):
            target = _local(path, href)
            if target and target not in seen:
                queue.append((target, path))
    return visited, problems


@pytest.mark.parametrize("plugins", ["all", "none"])
def test_every_linked_page_answers_for_every_role(make_app, plugins):
    """With every bundled plugin, and with none (the core must work on its own)."""
    app = make_app(B2B_LOYALTY_PLUGINS=plugins)
    with app.app_context():
        _crawl_as_every_demo_user(app)


def _crawl_as_every_demo_user(app) -> None:  # noqa: ANN001 - the Flask app
    summary = build_demo(AS_OF)
    problems: list[str] = []
    assert {role for _, role in summary.logins} >= {"admin", "sales_lead", "finance"}
    for email, role in summary.logins:
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        visited, found = _crawl(client)
        # The crawl really went through the app, not just to a sign-in page.
        assert visited > 20, (email, visited)
        problems += [f"{role} {email}: {p}" for p in found]
    assert not problems, "\n".join(problems)


def test_the_dashboard_ignores_the_drill_downs_own_arguments(app, client, login, make_user):
    """The drill-down links back to the dashboard with the report's period and filters
    only; an address that still carries ``metric``/``value`` shows the dashboard."""
    login(make_user("sales_lead"))
    response = client.get("/dashboard/?metric=abc&value=A&period=2025")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "metric=abc" not in page  # no drill link kept the old metric beside its own
    drill = client.get("/dashboard/accounts?metric=abc&value=A&period=2025&region=EU")
    assert drill.status_code == 200
    back = re.search(r'class="crumbs"><a href="([^"]+)"', drill.get_data(as_text=True))
    assert back is not None
    query = back.group(1).replace("&amp;", "&")
    assert "period=2025" in query and "region=EU" in query
    assert "metric" not in query and "value" not in query
