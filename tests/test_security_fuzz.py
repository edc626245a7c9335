"""Fuzzed form posts: arbitrary, empty, huge and hostile values never make a 500.

Hypothesis generates the values of the account, stakeholder, sign-in, password
change and user forms (any Unicode, NUL, numbers that overflow, markup, very
long text, missing fields, repeated fields) and posts them through the test
client as a signed-in user. Every answer must be below 500, and a page that
shows the input back must show it escaped. Deterministic (``derandomize``) so CI
is repeatable; ``B2B_LOYALTY_FUZZ_EXAMPLES`` raises the number of examples.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("B2B_LOYALTY_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "0",
    "-1",
    "1e309",
    "NaN",
    "-0",
    "9" * 40,
    "99999999999999999999.999999",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "%s%n%x",
    "../../etc/passwd",
    "\u202e\u200b\ufeff",
    "😀" * 20,
    "ǅ\u0301\u0300",
    "2026-02-30",
    "None",
    "true",
]
VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=80),
    st.builds(
        lambda ch, n: ch * n, st.characters(), st.sampled_from([121, 255, 256, 5_001, 100_000])
    ),
)
VALUES = st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=3))


def form_data(*fields: str):
    """Any subset of the fields, each with one or several hostile values."""
    return st.fixed_dictionaries({}, optional={name: VALUES for name in fields})


def _check(response, data: dict) -> None:
    assert response.status_code < 500, (response.status_code, data)
    if response.mimetype == "text/html":
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


@pytest.fixture
def manager(make_user):
    return make_user("account_manager")


@pytest.fixture
def account(manager, make_account):
    return make_account(manager, "Fuzz Target Ltd")


ACCOUNT_FIELDS = (
    "name",
    "tax_id",
    "industry",
    "region",
    "size_band",
    "owner_id",
    "team_ids",
    "notes",
    "row_version",
)
STAKEHOLDER_FIELDS = (
    "name",
    "title",
    "department",
    "email",
    "phone",
    "circle",
    "buying_role",
    "stance",
    "influence",
    "reports_to_id",
    "active",
    "notes",
    "row_version",
)


@FUZZ
@given(data=form_data(*ACCOUNT_FIELDS))
def test_account_form_never_fails(client, login, manager, account, data):
    login(manager)
    _check(client.post("/accounts/new", data=data), data)
    _check(client.post(f"/accounts/{account.id}/edit", data=data), data)


@FUZZ
@given(data=form_data(*STAKEHOLDER_FIELDS))
def test_stakeholder_form_never_fails(client, login, manager, account, data):
    login(manager)
    _check(client.post(f"/accounts/{account.id}/stakeholders/new", data=data), data)


@FUZZ
@given(data=form_data("email", "password", "next"))
def test_login_form_never_fails(client, data):
    next_url = data.pop("next", None)
    query = {"next": next_url} if isinstance(next_url, str) else None
    response = client.post("/login", data=data, query_string=query)
    _check(response, data)
    if response.status_code == 302:
        assert response.headers["Location"].startswith(("/", "http://localhost/"))
        client.post("/logout")


@FUZZ
@given(data=form_data("current_password", "new_password", "confirm_password"))
def test_password_change_form_never_fails(client, login, manager, data):
    login(manager)
    _check(client.post("/users/me/password", data=data), data)


@FUZZ
@given(data=form_data("email", "name", "role", "active", "password"))
def test_user_admin_form_never_fails(client, login, make_user, data):
    admin, someone = make_user("admin"), make_user("sales_lead")
    login(admin)
    _check(client.post("/users/new", data=data), data)
    _check(client.post(f"/users/{someone.id}/edit", data=data), data)
