"""Password rules (NIST SP 800-63B) in the domain, the CLI, the admin form and the change page."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from b2b_loyalty.domain.common_passwords import COMMON_PASSWORDS
from b2b_loyalty.domain.password_policy import (
    DECORATED_COMMON,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    REPETITIVE,
    TOO_COMMON,
    TOO_LONG,
    TOO_PERSONAL,
    TOO_SHORT,
    is_acceptable_password,
    password_problems,
)
from b2b_loyalty.extensions import db
from b2b_loyalty.models import AuditEntry, User
from tests.conftest import PASSWORD

# --- the rule itself (pure) ----------------------------------------------------------------


def test_length_is_between_12_and_128_code_points():
    assert password_problems("x7Rq!mZ2pL9") == [TOO_SHORT]  # 11
    assert password_problems("x7Rq!mZ2pL9w") == []  # 12
    assert password_problems("q7" * 64) == [REPETITIVE]  # 128: long enough, but repetitive
    assert password_problems("q7Rw" * 32 + "z") == [TOO_LONG]  # 129


def test_length_counts_code_points_after_nfkc_normalisation():
    # U+FB01 "ﬁ" is one code point and two after NFKC: "ﬁ" * 6 is 12 long.
    assert TOO_SHORT not in password_problems("\ufb01" * 6)
    assert password_problems("ёжик в тумане 🦔") == []  # spaces, Cyrillic and emoji are fine


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "PASSWORD1234",
        "Qwerty123456",
        "1q2w3e4r5t6y",
        "correct horse battery staple",
    ],
)
def test_common_passwords_are_refused_in_any_case(password):
    assert TOO_COMMON in password_problems(password)


@pytest.mark.parametrize("password", ["Dragon2026!!!", "!!monkey!!2026", "12345princess"])
def test_a_common_word_with_digits_and_symbols_around_it_is_refused(password):
    assert password_problems(password) == [DECORATED_COMMON]


@pytest.mark.parametrize(
    "password",
    ["alice.smith@example.com", "alicesmith2026", "Alice Smith 2026!", "b2b_loyalty-2026"],
)
def test_passwords_based_on_the_email_name_or_service_are_refused(password):
    problems = password_problems(password, email="alice.smith@example.com", name="Alice Smith")
    assert TOO_PERSONAL in problems


def test_a_long_phrase_that_mentions_the_name_is_fine():
    assert is_acceptable_password(
        "alice rides her bike to work", email="alice@example.com", name="Alice"
    )


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaa", "abcabcabcabc", "abcdefghijklm", "123456789012", "zyxwvutsrqpo"]
)
def test_repetitive_and_sequential_passwords_are_refused(password):
    assert REPETITIVE in password_problems(password)


def test_the_test_suites_password_is_acceptable():
    assert is_acceptable_password(PASSWORD, email="someone@example.com", name="Some One")


@settings(max_examples=300, deadline=None)
@given(password=st.text(max_size=300), email=st.text(max_size=60), name=st.text(max_size=60))
def test_the_rule_never_fails_and_always_explains(password, email, name):
    problems = password_problems(password, email=email, name=name)
    assert all(isinstance(p, str) and p for p in problems)
    if not problems:
        import unicodedata

        length = len(unicodedata.normalize("NFKC", password))
        assert MIN_PASSWORD_LENGTH <= length <= MAX_PASSWORD_LENGTH


@settings(max_examples=200, deadline=None)
@given(password=st.text(max_size=MIN_PASSWORD_LENGTH - 1).filter(lambda p: len(p) < 12))
def test_anything_shorter_than_12_is_refused_for_length(password):
    import unicodedata

    if len(unicodedata.normalize("NFKC", password)) < MIN_PASSWORD_LENGTH:
        assert password_problems(password) == [TOO_SHORT]


@settings(max_examples=200, deadline=None)
@given(
    common=st.sampled_from(sorted(w for w in COMMON_PASSWORDS if len(w) >= MIN_PASSWORD_LENGTH)),
    flips=st.lists(st.booleans(), min_size=200, max_size=200),
)
def test_every_listed_password_is_refused_whatever_its_case(common, flips):
    variant = "".join(c.upper() if flip else c for c, flip in zip(common, flips, strict=False))
    assert TOO_COMMON in password_problems(variant)


@settings(max_examples=200, deadline=None)
@given(
    local=st.text(alphabet="abcdefghijklmnopqrstuvwxyz.", min_size=12, max_size=40),
    domain=st.sampled_from(["example.com", "acme.example"]),
)
def test_the_email_itself_is_never_acceptable(local, domain):
    email = f"{local}@{domain}"
    assert not is_acceptable_password(email, email=email)
    assert not is_acceptable_password(local.upper(), email=email)


WORDS = [
    "granite",
    "harbour",
    "violet",
    "tundra",
    "meadow",
    "copper",
    "lantern",
    "orbit",
    "saffron",
]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=3, max_size=6, unique=True))
def test_phrases_of_unrelated_words_are_accepted(words):
    assert is_acceptable_password(" ".join(words), email="pat@example.com", name="Pat Doe")


# --- where the rule applies ----------------------------------------------------------------


def test_cli_create_user_refuses_a_common_password(app):
    from b2b_loyalty.cli import main

    runner = app.test_cli_runner()
    result = runner.invoke(
        main,
        ["create-user", "weak@example.com", "--role", "admin", "--password-stdin"],
        input="password1234\n",
    )
    assert result.exit_code != 0
    assert "too common" in result.output
    assert db.session.scalar(select(User).where(User.email == "weak@example.com")) is None


def test_admin_form_refuses_a_password_based_on_the_email(client, login, make_user):
    login(make_user("admin"))
    response = client.post(
        "/users/new",
        data={
            "email": "jordan.fisher@example.com",
            "name": "Jordan Fisher",
            "role": "finance",
            "active": "y",
            "password": "jordan.fisher2026",
        },
    )
    assert response.status_code == 422
    assert "e-mail address or name" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.name == "Jordan Fisher")) is None


def test_admin_setting_a_password_signs_the_user_out_elsewhere(app, make_user):
    admin, user = make_user("admin"), make_user("sales_lead")
    admin_client, user_client = app.test_client(), app.test_client()
    for c, who in ((admin_client, admin), (user_client, user)):
        c.post("/login", data={"email": who.email, "password": PASSWORD})
    assert user_client.get("/accounts/").status_code == 200
    response = admin_client.post(
        f"/users/{user.id}/edit",
        data={
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "active": "y",
            "password": "new granite harbour",
        },
    )
    assert response.status_code == 302
    assert user_client.get("/accounts/").status_code == 302  # back to the sign-in page


# --- the password change page --------------------------------------------------------------

NEW_PASSWORD = "violet lantern over tundra"


def _change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        "/users/me/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
        },
    )


def test_password_page_is_there_for_every_role(client, login, make_user):
    for role in ("account_manager", "sales_lead", "finance", "admin"):
        login(make_user(role))
        page = client.get("/users/me/password")
        assert page.status_code == 200
        assert 'autocomplete="current-password"' in page.get_data(as_text=True)


def test_changing_the_password_needs_the_current_one(client, login, make_user):
    user = make_user()
    login(user)
    response = _change(client, current="not my password at all")
    assert response.status_code == 422
    assert "current password is not right" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)
    failed = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "password_change_failed")
    ).all()
    assert [e.actor_id for e in failed] == [user.id]


@pytest.mark.parametrize(
    ("new", "confirm", "message"),
    [
        ("short one", None, "at least 12"),
        ("password1234", None, "too common"),
        (NEW_PASSWORD, "something else entirely", "differ"),
        (PASSWORD, None, "different from the current"),
    ],
)
def test_a_weak_or_mistyped_new_password_is_refused(
    client, login, make_user, new, confirm, message
):
    user = make_user()
    login(user)
    response = _change(client, new=new, confirm=confirm)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_changing_the_password_renews_this_session_and_ends_the_others(app, make_user):
    user = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    for c in (here, elsewhere):
        assert c.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    with here.session_transaction() as session:
        session["left_over"] = "from before"
    before = here.get_cookie("session").value

    response = _change(here)
    assert response.status_code == 302
    assert here.get_cookie("session").value != before
    with here.session_transaction() as session:
        assert "left_over" not in session
    assert here.get("/accounts/").status_code == 200  # still signed in here
    assert elsewhere.get("/accounts/").status_code == 302  # signed out there

    db.session.expire_all()
    changed = db.session.get(User, user.id)
    assert changed.check_password(NEW_PASSWORD) and not changed.check_password(PASSWORD)
    assert db.session.scalars(
        select(AuditEntry.actor_id).where(AuditEntry.action == "password_changed")
    ).all() == [user.id]
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 401
    assert (
        fresh.post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code
        == 302
    )
