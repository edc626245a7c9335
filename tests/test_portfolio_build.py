"""How the portfolio-wide pages build their figures: which accounts the aggregate
queries are limited to, and that the thousands of result objects die with the request."""

from __future__ import annotations

import gc
from collections import Counter
from functools import partial

import pytest
from sqlalchemy.sql import ClauseElement

from b2b_loyalty.access import AccessScope, set_access_scope
from b2b_loyalty.extensions import db
from b2b_loyalty.queries.metrics import AccountFilter, account_restriction
from tests.test_metrics import PERIOD, _bulk_portfolio


@pytest.mark.parametrize(
    ("sees_all", "filters", "restricted"),
    [
        (True, AccountFilter(), False),  # the whole company: no account condition at all
        (True, AccountFilter(region="North"), True),
        (True, AccountFilter(account_ids=(1,)), True),
        (False, AccountFilter(), True),  # a manager: always the list (and the access rule)
    ],
)
def test_aggregates_name_accounts_only_when_they_leave_some_out(
    app, make_user, sees_all, filters, restricted
):
    """The unfiltered company view leaves the ``IN (SELECT id FROM accounts)`` out (SQLite
    then scans the date index in one range); every narrower view keeps it."""
    user = make_user("sales_lead" if sees_all else "account_manager")
    with app.test_request_context():
        set_access_scope(AccessScope.for_user(user))
        assert (account_restriction(filters) is not None) is restricted
    db.session.info.clear()


def test_dashboard_results_are_freed_without_the_cyclic_collector(
    client, login, make_user, category, api_headers
):
    """Each page's AccountMetrics (with their lifecycle, segment, shares and health score)
    must be freed by reference counting when the response is sent. Would catch a
    reference cycle through them — a macro defined inside the rendered template ties
    its render context into one, as did a health score's lazily written measures
    holding their account — which leaves 15 objects per account for the cyclic
    collector: at 10,000 accounts a 1-second pause every few dashboards."""
    owner = make_user("account_manager")
    lead = make_user("sales_lead")
    _bulk_portfolio(owner, category, 0, 300)
    login(lead)
    headers = api_headers(lead)
    paths = [
        (f"/dashboard/?period={PERIOD}", {}),
        (f"/dashboard/accounts?period={PERIOD}&metric=all", {}),
        (f"/api/v1/portfolio/metrics?period={PERIOD}", headers),
    ]
    for path, extra in paths:  # warm: statement caches, first token use
        assert client.get(path, headers=extra).status_code == 200
    for path, extra in paths:
        request = partial(client.get, path, headers=extra)
        assert _own_objects_left_for_the_collector(request) == {}


def _own_objects_left_for_the_collector(request) -> dict[str, int]:  # noqa: ANN001
    """The product's objects (by type) that only the cyclic collector would free after
    ``request()`` returned and its response was dropped."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # keep what it finds in gc.garbage, to look at
    try:
        response = request()
        assert response.status_code == 200
        del response
        gc.collect()
        found = Counter(
            type(o).__qualname__
            for o in gc.garbage
            if type(o).__module__.startswith(("b2b_loyalty", "plugins"))
            # SQL expressions (the product's own SQL functions among them) are cyclic
            # by SQLAlchemy's design and few: one set per statement, not per account.
            and not isinstance(o, ClauseElement)
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    return dict(found)


def test_plugin_alerts_are_asked_for_once_and_only_when_read(
    app, client, login, make_user, category, monkeypatch
):
    """The dashboard shows no plugin alerts, so it must not pay for them (the engagement
    plugin writes a sentence per silent person); a report that reads them gets every
    account's in one hook call, not one per account."""
    from b2b_loyalty.plugin_host import PluginHost
    from tests.test_metrics import _report

    calls: list[str] = []
    real_call = PluginHost.call

    def counting_call(self, hook_name, **kwargs):  # noqa: ANN001, ANN003, ANN202
        calls.append(hook_name)
        return real_call(self, hook_name, **kwargs)

    monkeypatch.setattr(PluginHost, "call", counting_call)
    owner = make_user("account_manager")
    _bulk_portfolio(owner, category, 0, 30)
    login(make_user("sales_lead"))
    assert client.get(f"/dashboard/?period={PERIOD}").status_code == 200
    assert "account_alerts" not in calls

    report = _report(app)
    calls.clear()
    for account in report.accounts:
        assert isinstance(account.alerts, list)
    assert calls.count("account_alerts") == 1
