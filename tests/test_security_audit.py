"""Security events in the append-only audit log: sign-ins, failures, token use, denials."""

from __future__ import annotations

from sqlalchemy import select

from b2b_loyalty.extensions import db
from b2b_loyalty.models import AuditEntry
from b2b_loyalty.services.security_audit import SECURITY_ACTIONS
from tests.conftest import PASSWORD


def _entries(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def test_sign_in_and_sign_out_are_recorded(client, login, make_user):
    user = make_user()
    login(user)
    client.post("/logout")
    [signed_in] = _entries("login")
    assert (signed_in.actor_id, signed_in.entity, signed_in.entity_id) == (user.id, "user", user.id)
    assert signed_in.remote_addr == "127.0.0.1"
    assert signed_in.comment == "POST /login"
    [signed_out] = _entries("logout")
    assert signed_out.actor_id == user.id


def test_failed_sign_ins_are_recorded_without_the_typed_email_or_password(client, make_user):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": "wrong wrong wrong"})
    client.post("/login", data={"email": "Ghost@Example.com", "password": "hunter2hunter2"})
    known, unknown = _entries("login_failed")
    assert known.entity_id == user.id and known.actor_id is None
    assert known.after["reason"] == "wrong password"
    assert unknown.entity_id is None and unknown.after["reason"] == "unknown e-mail"
    for entry in (known, unknown):
        text = repr((entry.after, entry.comment, entry.before))
        assert "ghost" not in text.lower() and "hunter2" not in text and "wrong wrong" not in text


def test_throttled_sign_ins_are_recorded(client, make_user):
    user = make_user()
    for _ in range(6):
        client.post("/login", data={"email": user.email, "password": "wrong wrong wrong"})
    assert len(_entries("login_failed")) == 5
    [throttled] = _entries("login_throttled")
    assert throttled.entity_id == user.id and throttled.after["limit"] == "email"


def test_token_use_is_recorded_with_the_user_and_address(client, make_user, api_headers):
    user = make_user()
    headers = api_headers(user)
    client.get("/api/v1/accounts", headers=headers, environ_base={"REMOTE_ADDR": "198.51.100.4"})
    [used] = _entries("token_used")
    assert used.actor_id == user.id and used.entity == "api_token"
    assert used.remote_addr == "198.51.100.4" and used.comment == "GET /api/v1/accounts"
    [created] = _entries("token_created")
    assert created.entity_id == used.entity_id


def test_a_refused_token_is_recorded_once_a_minute(client, make_user):
    from b2b_loyalty.services.api_tokens import revoke_token
    from b2b_loyalty.services.users import issue_api_token

    user = make_user()
    plain = issue_api_token(user)
    from b2b_loyalty.models import ApiToken

    revoke_token(db.session.scalar(select(ApiToken)), None)
    for _ in range(3):
        response = client.get("/api/v1/accounts", headers={"Authorization": f"Bearer {plain}"})
        assert response.status_code == 401
    [refused] = _entries("token_refused")
    assert refused.actor_id == user.id and "revoked" in refused.after["reason"]


def test_a_403_is_recorded_and_kept_although_the_request_failed(client, login, make_user):
    manager = make_user("account_manager")
    login(manager)
    assert client.get("/users/").status_code == 403
    [denied] = _entries("access_denied")
    assert denied.actor_id == manager.id
    assert denied.after["status"] == 403 and denied.after["endpoint"] == "users.list_users"
    assert denied.comment == "GET /users/"


def test_a_404_caused_by_the_access_rule_is_recorded_but_a_real_404_is_not(
    client, login, make_user, make_account
):
    owner, stranger = make_user(), make_user()
    account = make_account(owner, "Hidden Ltd")
    login(stranger)
    assert client.get("/accounts/999999").status_code == 404
    assert _entries("access_denied") == []
    assert client.get(f"/accounts/{account.id}").status_code == 404
    [denied] = _entries("access_denied")
    assert (denied.entity, denied.entity_id, denied.actor_id) == (
        "accounts",
        account.id,
        stranger.id,
    )
    assert denied.after["status"] == 404


def test_an_api_denial_is_recorded_with_the_tokens_user(
    client, make_user, make_account, api_headers
):
    owner, stranger = make_user(), make_user()
    account = make_account(owner, "Hidden Ltd")
    headers = api_headers(stranger)
    assert client.get(f"/api/v1/accounts/{account.id}", headers=headers).status_code == 404
    sales_lead = make_user("sales_lead")
    refused = client.post("/api/v1/accounts", json={"name": "X"}, headers=api_headers(sales_lead))
    assert refused.status_code == 403
    hidden, forbidden = _entries("access_denied")
    assert (hidden.entity_id, hidden.actor_id) == (account.id, stranger.id)
    assert (forbidden.after["status"], forbidden.actor_id) == (403, sales_lead.id)


def test_the_finance_audit_log_shows_changes_not_security_events(client, login, make_user):
    finance = make_user("finance")
    login(finance)
    client.get("/users/")  # a denial, recorded
    assert _entries("access_denied")
    page = client.get("/pricing/audit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "access denied" not in html and "Nothing recorded yet" in html


def test_security_actions_are_all_recorded_somewhere():
    assert {"login", "login_failed", "token_used", "access_denied"} <= SECURITY_ACTIONS


def test_a_wrong_password_then_the_right_one(client, make_user):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": "nope nope nope"})
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.in_(SECURITY_ACTIONS))
            .order_by(AuditEntry.id)
        )
    ]
    assert actions == ["login_failed", "login"]
