"""Text the database cannot hold (NUL) and ids it cannot hold get a clear 4xx, never a 500."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/new", {"name": "Acme\x00 GmbH"}),
        ("/accounts/?q=a%00b", None),
        ("/dashboard/?region=%00x", None),
    ],
)
def test_nul_in_a_form_or_query_is_refused_before_the_database(
    client, login, make_user, count_statements, path, data
):
    login(make_user("sales_lead"))
    with count_statements() as statements:
        response = client.post(path, data=data) if data else client.get(path)
    assert response.status_code == 422
    assert "NUL" in response.get_data(as_text=True)
    assert not [s for s in statements if "accounts" in s]  # no query reached the data


def test_nul_in_a_json_body_names_the_field(client, api_headers, make_user):
    response = client.post(
        "/api/v1/accounts",
        json={"name": "Acme", "notes": "line\x00two", "tags": ["ok", "x\x00"]},
        headers=api_headers(make_user("admin")),
    )
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"notes", "tags[1]"}


@pytest.mark.parametrize("owner", ["99999999999", "-1", "abc"])
def test_an_owner_filter_that_is_no_user_id_is_a_field_error(
    client, login, api_headers, make_user, owner
):
    lead = make_user("sales_lead")
    api = client.get(f"/api/v1/portfolio/metrics?owner={owner}", headers=api_headers(lead))
    assert api.status_code == 422 and "owner" in api.get_json()["error"]["fields"]
    login(lead)
    page = client.get(f"/dashboard/?owner={owner}")
    assert page.status_code == 200 and "owner must be a user id" in page.get_data(as_text=True)


def _nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize(("path", "method"), [("/api/v1/accounts", "POST"), ("/login", "POST")])
def test_json_nested_too_deeply_is_malformed_json_not_a_crash(
    client, api_headers, make_user, path, method
):
    """Python's JSON decoder raises RecursionError past ~1,000 levels, which Flask did not
    count as malformed JSON: a 10 kB body made a 500 before any view ran
    (b2b_loyalty/json_provider.py)."""
    headers = {**api_headers(make_user("admin")), "Content-Type": "application/json"}
    response = client.open(path, method=method, data=_nested(5000), headers=headers)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert "nested too deeply" in response.get_json()["error"]["message"]


def test_a_deep_but_parsable_body_gets_its_field_errors(client, api_headers, make_user):
    """Just within the decoder's depth: parsed, walked by the NUL check, answered with the
    body's field errors."""
    headers = {**api_headers(make_user("admin")), "Content-Type": "application/json"}
    response = client.post("/api/v1/accounts", data=_nested(900), headers=headers)
    assert response.status_code == 422
    assert "a" in response.get_json()["error"]["fields"]
