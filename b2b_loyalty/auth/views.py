from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from b2b_loyalty.api.errors import api_error
from b2b_loyalty.auth.forms import LoginForm
from b2b_loyalty.auth.safe_redirect import is_safe_next
from b2b_loyalty.auth.session_policy import end_session, start_session
from b2b_loyalty.extensions import db
from b2b_loyalty.models import User
from b2b_loyalty.services import login_throttle
from b2b_loyalty.services import security_audit as events

# Checked against when the e-mail is unknown, so a wrong e-mail takes as long
# as a wrong password and does not reveal which addresses have accounts.
_DUMMY_HASH = generate_password_hash("placeholder-never-matches")


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _is_json_object() -> bool:
    """Flask-WTF reads a JSON body as the form; only an object (or nothing) can be one."""
    return isinstance(request.get_json(silent=True) or {}, dict)


def _refusal(message: str, status: int, form: LoginForm, next_url: str | None, **headers):  # noqa: ANN003, ANN202
    if _wants_json():
        response = current_app.make_response(api_error(status, message))
    else:
        flash(message, "error")
        response = current_app.make_response(
            (render_template("auth/login.html", form=form, next_url=next_url), status)
        )
    response.headers.update(headers)
    return response


def login():
    next_url = request.values.get("next")
    if current_user.is_authenticated:
        return redirect(next_url if is_safe_next(next_url) else url_for("index"))
    if request.method == "POST" and request.is_json and not _is_json_object():
        return _refusal(
            _("Send an e-mail and a password."), 400, LoginForm(formdata=None), next_url
        )
    form = LoginForm()
    if not form.validate_on_submit():
        if request.method == "POST" and _wants_json():
            return _refusal(_("Send an e-mail and a password."), 400, form, next_url)
        # A sign-in form sent incomplete answers 422 with its field errors, like every form.
        status = 422 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form, next_url=next_url), status

    email = User.normalise_email(form.email.data)
    address = events.client_address()
    now = events.security_now()
    limits = login_throttle.ThrottleLimits.from_config(current_app.config)
    user = db.session.scalar(select(User).where(User.email == email))
    details = {"email_digest": login_throttle.email_digest(email)}
    user_id = user.id if user is not None else None

    with db.engine.begin() as conn:
        state = login_throttle.throttle_state(conn, email, address, now, limits)
        if state.throttled:
            events.record_security_event(
                events.LOGIN_THROTTLED,
                entity="user",
                entity_id=user_id,
                details={**details, "limit": state.reason},
                connection=conn,
            )
    if state.throttled:
        # The same answer whether the e-mail has an account or not.
        message = _(
            "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
            minutes=state.retry_after_minutes,
        )
        return _refusal(
            message, 429, form, next_url, **{"Retry-After": str(state.retry_after_seconds)}
        )

    if user is None:
        check_password_hash(_DUMMY_HASH, form.password.data)
        reason = "unknown e-mail"
    elif not user.check_password(form.password.data):
        reason = "wrong password"
    elif not user.active:
        reason = "inactive user"
    else:
        with db.engine.begin() as conn:
            login_throttle.clear_failures(conn, email)
            events.record_security_event(
                events.LOGIN, entity="user", entity_id=user.id, actor_id=user.id, connection=conn
            )
        start_session(user)
        return redirect(next_url if is_safe_next(next_url) else url_for("index"))

    with db.engine.begin() as conn:
        login_throttle.record_failure(conn, email, address, now, limits)
        events.record_security_event(
            events.LOGIN_FAILED,
            entity="user",
            entity_id=user_id,
            details={**details, "reason": reason},
            connection=conn,
        )
    return _refusal(_("Wrong e-mail or password."), 401, form, next_url)


def logout():
    user_id = current_user.id if current_user.is_authenticated else None
    end_session()
    if user_id is not None:
        events.record_security_event(
            events.LOGOUT, entity="user", entity_id=user_id, actor_id=user_id
        )
    flash(_("You are signed out."), "info")
    response = redirect(url_for("auth.login"))
    # Ask the browser to drop cached pages of the session too (ASVS 8.2.3).
    response.headers["Clear-Site-Data"] = '"cache"'
    return response
