"""Signing in and out, and the rule that every page but the login page needs it."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD


def _sample_url(rule) -> str:
    url = rule.rule
    for arg in rule.arguments:
        url = url.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "x")
    return url


def test_every_page_except_login_requires_sign_in(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("auth.login", "static", "liveness") or rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(_sample_url(rule), method=method)
            assert response.status_code in (302, 401), (rule.rule, method, response.status_code)
            if response.status_code == 302:
                assert "/login" in response.headers["Location"]
            checked += 1
    assert checked > 15


def test_liveness_answers_without_sign_in_and_without_data(client, count_statements):
    with count_statements() as statements:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert statements == []
    assert "Set-Cookie" not in response.headers


def test_every_api_route_requires_a_token(app, client):
    """Every API route but the public description of the API (spec and docs page)."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        if getattr(app.view_functions[rule.endpoint], "api_public", False):
            assert rule.rule in ("/api/v1/openapi.json", "/api/v1/docs")
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(_sample_url(rule), method=method, json={})
            assert response.status_code == 401, (rule.rule, method)
            assert response.json["error"]["message"]


def test_correct_password_signs_in_and_shows_accounts(client, make_user):
    user = make_user("account_manager")
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200


def test_wrong_password_is_refused(client, make_user):
    user = make_user("account_manager")
    response = client.post("/login", data={"email": user.email, "password": "wrong password!"})
    assert response.status_code == 401
    assert b"Wrong e-mail or password" in response.data
    assert client.get("/accounts/").status_code == 302


def test_unknown_email_gets_the_same_answer(client):
    response = client.post("/login", data={"email": "nobody@example.com", "password": "x" * 12})
    assert response.status_code == 401
    assert b"Wrong e-mail or password" in response.data


def test_an_incomplete_sign_in_form_answers_422_with_the_field_errors(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert b'id="email-errors"' in response.data and b'id="password-errors"' in response.data
    assert client.get("/login").status_code == 200


def test_inactive_user_cannot_sign_in(app, client, make_user):
    from b2b_loyalty.services.users import update_user

    user = make_user("account_manager")
    update_user(user, {"active": False})
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 401


def test_logout_signs_out(client, login, make_user):
    login(make_user())
    assert client.post("/logout").status_code == 302
    assert client.get("/accounts/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "http:/evil",
        "javascript:alert(1)",
    ],
)
def test_next_parameter_cannot_redirect_off_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_next_parameter_returns_to_a_local_page(client, make_user):
    user = make_user()
    response = client.post(
        "/login",
        query_string={"next": "/accounts/?page=2"},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/accounts/?page=2"


def test_post_without_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        from b2b_loyalty.services.users import create_user

        email = create_user("csrf@example.com", "Csrf", "account_manager", PASSWORD).email
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"reload the page" in response.data
    # With the token from the page, the same login works.
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    # A signed-in form post without the token is refused too, and writes nothing.
    response = client.post("/accounts/new", data={"name": "No token Ltd"})
    assert response.status_code == 400
    with app.app_context():
        from b2b_loyalty.extensions import db
        from b2b_loyalty.models import Account

        assert db.session.query(Account).count() == 0


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
