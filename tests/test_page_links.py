"""Query arguments from the address bar never break a page; pager and sort links keep them.

The arguments come from the address bar, so a page must answer whatever they are: one
named like the page's own path argument, ``endpoint``, or ``url_for``'s options
(``_scheme``, ``_external``, ``_anchor``) each made a page answer 500 before links
were built by ``b2b_loyalty.page_links.url_with_args``; so did a negative margin on
the finance page, which now says why it refused it.
"""

from __future__ import annotations

import re
from datetime import date

from tests.order_support import insert_orders


def _links(page: str, rel: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(rf'rel="{rel}" href="([^"]+)"', page)]


def test_a_query_argument_named_like_the_path_argument_does_not_replace_it(
    app, client, login, make_user, make_account, category
):
    manager = make_user()
    account = make_account(owner=manager)
    insert_orders(account, category, (date(2026, 1, 1), 10), (date(2026, 1, 2), 10))
    login(manager)
    response = client.get(f"/accounts/{account.id}?per_page=1&account_id=1.5")
    assert response.status_code == 200
    (next_link,) = _links(response.get_data(as_text=True), "next")
    assert next_link.startswith(f"/accounts/{account.id}?")
    assert "page=2" in next_link and "per_page=1" in next_link
    assert "account_id" not in next_link


def test_url_for_options_and_endpoint_in_the_query_are_left_out(
    app, client, login, make_user, make_account
):
    admin = make_user("admin")
    make_account(owner=make_user(), region="EU")
    login(admin)
    hostile = "endpoint=auth.logout&_scheme=javascript&_external=1&_anchor=x&_method=POST"
    response = client.get(f"/accounts/?region=EU&{hostile}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    sort_links = [
        h.replace("&amp;", "&") for h in re.findall(r'href="(/accounts/\?[^"]*sort=[^"]*)"', page)
    ]
    assert sort_links, "the account list has sort headers"
    for link in sort_links:
        assert "region=EU" in link
        assert "endpoint" not in link and "_scheme" not in link and "#" not in link
    assert "javascript:" not in page


def test_an_out_of_range_schedule_filter_shows_the_whole_change_log(app, client, login, make_user):
    login(make_user("finance"))
    response = client.get("/pricing/audit?schedule=99999999999999999999999")
    assert response.status_code == 200


def test_a_refused_margin_is_said_and_the_default_is_used(app, client, login, make_user):
    login(make_user("finance"))
    for margin in ("-1", "1000000000000000", "abc"):
        response = client.get(f"/pricing/finance?margin_percent={margin}")
        assert response.status_code == 200, margin
        page = response.get_data(as_text=True)
        assert 'class="errors"' in page, margin
        assert 'name="margin_percent" value="30"' in page, margin
    page = client.get("/pricing/finance?margin_percent=25").get_data(as_text=True)
    assert 'name="margin_percent" value="25"' in page and 'class="errors"' not in page
