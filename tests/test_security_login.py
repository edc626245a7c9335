"""Signing in: throttling per e-mail and per address, session renewal, timeouts, redirects, CSRF."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import ApiToken, LoginAttempt
from tests.conftest import PASSWORD
from tests.security_support import Clock, csrf_token_of, sign_in_with_csrf

WRONG = "not the password at all"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(make_app, clock):
    """The suite's app, with the security clock under the test's control."""
    app = make_app(SECURITY_CLOCK=clock)
    with app.app_context():
        yield app


def _sign_in(client, email, password=PASSWORD, address="127.0.0.1", **kwargs):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        **kwargs,
    )


# --- throttling ----------------------------------------------------------------------------


def test_five_failures_for_an_email_refuse_even_the_right_password(client, make_user, clock):
    user = make_user()
    for n in range(5):
        # From a different address each time: the per-e-mail limit alone applies.
        assert _sign_in(client, user.email, WRONG, f"10.0.0.{n}").status_code == 401
    refused = _sign_in(client, user.email, PASSWORD, "10.0.1.1")
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts" in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert client.get("/accounts/").status_code == 302  # not signed in

    clock.advance(minutes=15, seconds=1)
    assert _sign_in(client, user.email, PASSWORD, "10.0.1.1").status_code == 302


def test_an_unknown_email_is_throttled_the_same_way(client, make_user):
    """The answers never tell whether an account exists."""
    user = make_user()
    answers = {}
    for email in (user.email, "nobody@example.com"):
        for _ in range(5):
            _sign_in(client, email, WRONG)
        response = _sign_in(client, email, WRONG)
        answers[email] = (response.status_code, response.get_data(as_text=True).count("error"))
        db.session.execute(LoginAttempt.__table__.delete())
        db.session.commit()
    assert answers[user.email] == answers["nobody@example.com"]
    assert answers[user.email][0] == 429


def test_twenty_failures_from_one_address_refuse_that_address(app, client, make_user, clock):
    user = make_user()
    for n in range(20):
        assert _sign_in(client, f"guess{n}@example.com", WRONG, "192.0.2.7").status_code == 401
    assert _sign_in(client, user.email, PASSWORD, "192.0.2.7").status_code == 429
    # Another address is not affected, and the account itself is not locked.
    assert _sign_in(app.test_client(), user.email, PASSWORD, "192.0.2.8").status_code == 302
    clock.advance(minutes=16)
    assert _sign_in(app.test_client(), user.email, PASSWORD, "192.0.2.7").status_code == 302


def test_json_sign_in_gets_429_json_when_throttled(client, make_user):
    user = make_user()
    for _ in range(5):
        response = client.post("/login", json={"email": user.email, "password": WRONG})
        assert response.status_code == 401
        assert response.json["error"]["message"] == "Wrong e-mail or password."
    response = client.post("/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json["error"]["message"]


def test_a_successful_sign_in_forgives_the_emails_earlier_failures(client, make_user):
    user = make_user()
    for _ in range(4):
        _sign_in(client, user.email, WRONG)
    assert _sign_in(client, user.email).status_code == 302
    client.post("/logout")
    for _ in range(4):
        assert _sign_in(client, user.email, WRONG).status_code == 401
    assert _sign_in(client, user.email).status_code == 302


def test_old_attempts_are_pruned_and_emails_are_not_stored_in_clear(client, make_user, clock):
    user = make_user()
    for _ in range(3):
        _sign_in(client, user.email, WRONG)
    clock.advance(minutes=20)
    _sign_in(client, user.email, WRONG)
    rows = db.session.scalars(select(LoginAttempt)).all()
    assert len(rows) == 1
    assert user.email not in rows[0].email_digest and len(rows[0].email_digest) == 64


def test_throttling_is_shared_by_every_app_server(make_app, make_user, clock):
    """Two app instances (two servers) count the same failures: the count is in the database."""
    first, second = make_app(SECURITY_CLOCK=clock), make_app(SECURITY_CLOCK=clock)
    user = make_user()
    for n in range(5):
        server = (first, second)[n % 2]
        assert _sign_in(server.test_client(), user.email, WRONG).status_code == 401
    assert _sign_in(second.test_client(), user.email).status_code == 429
    assert _sign_in(first.test_client(), user.email).status_code == 429


# --- sessions ------------------------------------------------------------------------------


def test_sign_in_starts_a_new_session_without_the_old_data(client, make_user):
    user = make_user()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by whoever had this browser before"
    before = client.get_cookie("session").value
    assert _sign_in(client, user.email).status_code == 302
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == user.get_id() and session["_fresh"] is True


def test_sign_out_clears_the_session(client, login, make_user):
    login(make_user())
    with client.session_transaction() as session:
        session["kept"] = "something"
    assert client.post("/logout").status_code == 302
    with client.session_transaction() as session:
        assert "kept" not in session and "_user_id" not in session
    assert client.get("/accounts/").status_code == 302


def test_a_copied_session_cookie_stops_working_after_the_password_changes(app, make_user):
    from b2b_loyalty.services.users import update_user

    user = make_user()
    victim = app.test_client()
    _sign_in(victim, user.email)
    stolen = victim.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/accounts/").status_code == 200
    update_user(user, {"password": "tundra copper orbit saffron"})
    assert thief.get("/accounts/").status_code == 302


def test_a_session_ends_12_hours_after_sign_in_however_active(client, make_user, clock):
    _sign_in(client, make_user().email)
    clock.advance(hours=11, minutes=59)
    assert client.get("/accounts/").status_code == 200
    clock.advance(minutes=2)
    response = client.get("/accounts/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with client.session_transaction() as session:
        assert "_user_id" not in session


# --- redirects after sign-in ---------------------------------------------------------------

OFF_SITE = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "https:evil.example",
    "%2F%2Fevil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_never_leads_off_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")
    # Already signed in, the sign-in page redirects at once: same rule.
    again = client.get("/login", query_string={"next": target})
    assert again.headers["Location"] in ("/", "http://localhost/")


# --- CSRF ----------------------------------------------------------------------------------


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def test_security_forms_refuse_a_post_without_the_csrf_token(csrf_app, make_user):
    from b2b_loyalty.services.users import issue_api_token

    user = make_user()
    issue_api_token(user)
    token_id = db.session.scalar(select(ApiToken.id))
    client = csrf_app.test_client()
    sign_in_with_csrf(client, user.email, PASSWORD)

    revoke = client.post(f"/users/tokens/{token_id}/revoke")
    assert revoke.status_code == 400
    change = client.post(
        "/users/me/password",
        data={
            "current_password": PASSWORD,
            "new_password": "granite meadow lantern",
            "confirm_password": "granite meadow lantern",
        },
    )
    assert change.status_code == 400
    logout = client.post("/logout")
    assert logout.status_code == 400
    db.session.expire_all()
    assert db.session.get(ApiToken, token_id).revoked_at is None

    # With the page's token the same revocation goes through.
    page = client.get(f"/users/tokens/{token_id}/revoke").get_data(as_text=True)
    done = client.post(f"/users/tokens/{token_id}/revoke", data={"csrf_token": csrf_token_of(page)})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token_id).revoked_at is not None


def test_sign_in_without_the_csrf_token_is_refused_and_not_counted(csrf_app, make_user):
    user = make_user()
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": user.email, "password": WRONG})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0
