from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from b2b_loyalty.auth.forms import LoginForm
from b2b_loyalty.auth.safe_redirect import is_safe_next
from b2b_loyalty.extensions import db
from b2b_loyalty.models import User

# Checked against when the e-mail is unknown, so a wrong e-mail takes as long
# as a wrong password and does not reveal which addresses have accounts.
_DUMMY_HASH = generate_password_hash("placeholder-never-matches")


def login():
    next_url = request.values.get("next")
    if current_user.is_authenticated:
        return redirect(next_url if is_safe_next(next_url) else url_for("index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = User.normalise_email(form.email.data)
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.active and user.check_password(form.password.data):
            session.clear()  # a fresh session on sign-in (no session fixation)
            login_user(user)
            return redirect(next_url if is_safe_next(next_url) else url_for("index"))
        if user is None:
            check_password_hash(_DUMMY_HASH, form.password.data)
        flash(_("Wrong e-mail or password."), "error")
        return render_template("auth/login.html", form=form, next_url=next_url), 401
    return render_template("auth/login.html", form=form, next_url=next_url)


def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
