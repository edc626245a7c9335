"""Everyone's own security pages: change the password, list and revoke API tokens.

Administrators also see and revoke any user's tokens.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from b2b_loyalty.auth.session_policy import start_session
from b2b_loyalty.extensions import db
from b2b_loyalty.models import User
from b2b_loyalty.services import api_tokens as token_service
from b2b_loyalty.services import login_throttle
from b2b_loyalty.services import security_audit as events
from b2b_loyalty.services import users as user_service
from b2b_loyalty.services.errors import ServiceError
from b2b_loyalty.users.forms import ConfirmForm, PasswordChangeForm
from b2b_loyalty.web import attach_service_errors, or_404


def change_password():
    user: User = current_user._get_current_object()
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("users/password.html", form=form), status

    # Guessing the current password from a stolen session counts against the
    # same per-account limit as the sign-in page.
    now = events.security_now()
    limits = login_throttle.ThrottleLimits.from_config(current_app.config)
    address = events.client_address()
    with db.engine.begin() as conn:
        state = login_throttle.throttle_state(conn, user.email, address, now, limits)
    if state.throttled:
        flash(
            _(
                "Too many failed attempts. Try again in %(minutes)d minutes.",
                minutes=state.retry_after_minutes,
            ),
            "error",
        )
        return render_template("users/password.html", form=form), 429
    try:
        user_service.change_own_password(user, form.current_password.data, form.new_password.data)
    except ServiceError as exc:
        if "current_password" in exc.fields:
            with db.engine.begin() as conn:
                login_throttle.record_failure(conn, user.email, address, now, limits)
                events.record_security_event(
                    events.PASSWORD_CHANGE_FAILED,
                    entity="user",
                    entity_id=user.id,
                    actor_id=user.id,
                    connection=conn,
                )
        attach_service_errors(form, exc)
        return render_template("users/password.html", form=form), 422
    start_session(user)  # a new session for this browser; every other one is now stale
    flash(_("Your password is changed. Other sessions are signed out."), "success")
    return redirect(url_for("users.change_password"))


def _may_manage(owner_id: int) -> bool:
    return token_service.may_manage_tokens_of(current_user, owner_id)


def own_tokens():
    return _token_list(current_user._get_current_object())


def user_tokens(user_id: int):
    if not _may_manage(user_id):
        abort(403)
    return _token_list(or_404(user_service.get_user, user_id))


def _token_list(owner: User):
    now = events.security_now()
    tokens = [
        {"token": t, "state": token_service.token_state(t, now)}
        for t in token_service.tokens_of(owner.id)
    ]
    return render_template(
        "users/tokens.html", owner=owner, tokens=tokens, own=owner.id == current_user.id
    )


def revoke_token(token_id: int):
    token = or_404(token_service.get_token, token_id)
    if not _may_manage(token.user_id):
        abort(403)
    form = ConfirmForm()
    back = (
        url_for("users.own_tokens")
        if token.user_id == current_user.id
        else url_for("users.user_tokens", user_id=token.user_id)
    )
    if form.validate_on_submit():
        if token_service.revoke_token(token, current_user._get_current_object()):
            flash(_("Token %(hint)s… is revoked.", hint=token.hint), "success")
        return redirect(back)
    return render_template("users/token_revoke.html", token=token, form=form, cancel_url=back)
