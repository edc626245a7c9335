"""Security headers on every kind of response, a CSP the templates can live with, cookies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from b2b_loyalty.config import build_config
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def _assert_security_headers(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.headers.get(name))
    assert "camera=()" in response.headers["Permissions-Policy"]
    csp = _directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    for directive in ("script-src", "style-src", "style-src-elem", "default-src"):
        assert "'unsafe-inline'" not in csp.get(directive, [])
        assert "'unsafe-eval'" not in csp.get(directive, [])


def test_html_pages_carry_every_header(client, login, make_user):
    login(make_user())
    response = client.get("/accounts/")
    assert response.status_code == 200
    _assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"
    _assert_security_headers(client.get("/login"))


def test_json_and_api_errors_carry_every_header(client, make_user, api_headers):
    ok = client.get("/api/v1/accounts", headers=api_headers(make_user()))
    assert ok.status_code == 200
    _assert_security_headers(ok)
    assert ok.headers["Cache-Control"] == "no-store"
    refused = client.get("/api/v1/accounts")
    assert refused.status_code == 401
    _assert_security_headers(refused)
    _assert_security_headers(client.get("/api/v1/openapi.json"))


def test_error_pages_carry_every_header(client, login, make_user):
    login(make_user("account_manager"))
    for path, status in (("/no-such-page", 404), ("/users/", 403)):
        response = client.get(path)
        assert response.status_code == status
        _assert_security_headers(response)
    # Not signed in: the redirect to the sign-in page too.
    client.post("/logout")
    _assert_security_headers(client.get("/accounts/"))


def test_a_server_error_page_carries_every_header(make_app, make_user):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/test-only-broken", "test_only_broken", broken)
    client = app.test_client()
    email = make_user().email
    client.post("/login", data={"email": email, "password": PASSWORD})
    response = client.get("/test-only-broken")
    assert response.status_code == 500
    assert "boom" not in response.get_data(as_text=True)
    _assert_security_headers(response)


def test_static_files_carry_every_header_and_stay_cacheable(client):
    for name in ("style.css", "auto_submit.js", "api_docs.css"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        _assert_security_headers(response)
        assert response.headers.get("Cache-Control") != "no-store"


def test_hsts_only_when_served_over_https(make_app):
    plain = make_app().test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    secure = make_app(PREFERRED_URL_SCHEME="https").test_client().get("/login")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def _template_files() -> list[Path]:
    roots = [ROOT / "templates", *sorted((ROOT / "plugins").glob("*/templates"))]
    return [p for root in roots for p in sorted(root.rglob("*.html"))]


def test_no_template_has_inline_script_handlers_or_javascript_urls():
    """What the CSP would block in a browser: inline <script>, on...= handlers, javascript:."""
    offenders = []
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text, re.IGNORECASE):
            if "src=" not in match.group(0):
                offenders.append(f"{path}: inline <script>")
        if re.search(r"<[^>]+\son[a-z]+\s*=", text, re.IGNORECASE):
            offenders.append(f"{path}: on...= handler")
        if re.search(r"javascript:", text, re.IGNORECASE):
            offenders.append(f"{path}: javascript: URL")
    assert len(_template_files()) > 20
    assert offenders == []


def test_core_templates_have_no_inline_style_elements():
    """<style> elements are refused by the CSP (style-src-elem 'self'); use static CSS files.

    Plugins' print templates are rendered to PDF by WeasyPrint, never served, so
    only the core's templates (served as pages) are checked.
    """
    offenders = [
        str(p)
        for p in sorted((ROOT / "templates").rglob("*.html"))
        if re.search(r"<style\b", p.read_text(encoding="utf-8"), re.IGNORECASE)
    ]
    assert offenders == []


def test_api_docs_page_loads_its_stylesheet_from_a_file(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<style" not in html
    assert "/static/api_docs.css" in html
    _assert_security_headers(page)


def test_session_cookie_is_httponly_samesite_and_not_secure_over_http(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    assert "Expires=" in cookie  # a permanent session: the idle timeout applies


def test_cookies_are_secure_over_https(make_app, make_user):
    app = make_app(PREFERRED_URL_SCHEME="https")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    client = app.test_client()
    email = make_user().email
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD},
        base_url="https://localhost",
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie


@pytest.mark.parametrize(
    ("environment", "secure"),
    [
        ({}, False),
        ({"SESSION_COOKIE_SECURE": "1"}, True),
        ({"PREFERRED_URL_SCHEME": "https"}, True),
    ],
)
def test_secure_cookie_setting_from_the_environment(tmp_path, monkeypatch, environment, secure):
    for name in ("SESSION_COOKIE_SECURE", "PREFERRED_URL_SCHEME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    config = build_config(str(tmp_path), {"SECRET_KEY": "x"})
    assert config["SESSION_COOKIE_SECURE"] is secure
    assert config["REMEMBER_COOKIE_SECURE"] is secure
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_forwarded_headers_are_ignored_unless_proxies_are_configured(make_app):
    from flask import request

    seen = []
    for hops in (0, 1):
        app = make_app(PROXY_FIX_HOPS=hops)

        @app.before_request
        def remember_address():
            seen.append(request.remote_addr)

        app.test_client().get(
            "/login",
            headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
        )
    assert seen == ["10.0.0.2", "203.0.113.9"]


def test_api_json_is_served_as_an_attachment_but_the_docs_page_is_not(
    client, make_user, api_headers
):
    response = client.get("/api/v1/accounts", headers=api_headers(make_user()))
    assert response.headers["Content-Disposition"] == 'attachment; filename="api.json"'
    assert "Content-Disposition" not in client.get("/api/v1/docs").headers


def test_sign_out_asks_the_browser_to_drop_its_cache(client, login, make_user):
    login(make_user())
    assert client.post("/logout").headers["Clear-Site-Data"] == '"cache"'


def test_idle_sessions_expire_after_30_minutes_by_default(app):
    from datetime import timedelta

    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(minutes=30)
    assert app.config["SESSION_ABSOLUTE_LIFETIME_SECONDS"] == 12 * 60 * 60
