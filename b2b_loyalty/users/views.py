"""User administration, for admins only."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from b2b_loyalty.auth.session_policy import start_session
from b2b_loyalty.domain.roles import Role, can_manage_users
from b2b_loyalty.extensions import db
from b2b_loyalty.models import User
from b2b_loyalty.queries.pagination import clamp_page_args, paginate
from b2b_loyalty.services import users as user_service
from b2b_loyalty.services.errors import ServiceError
from b2b_loyalty.users.forms import UserForm
from b2b_loyalty.web import attach_service_errors, flash_saved, or_404


def _require_admin() -> None:
    if not can_manage_users(Role(current_user.role)):
        abort(403)


def list_users():
    _require_admin()
    page_number, per_page = clamp_page_args(
        request.args.get("page"), request.args.get("per_page"), 50
    )
    page = paginate(select(User).order_by(User.name, User.id), page_number, per_page, scalars=True)
    return render_template("users/list.html", page=page)


def edit_user(user_id: int | None = None):
    _require_admin()
    user = or_404(user_service.get_user, user_id) if user_id else None
    form = UserForm(obj=user)
    if form.validate_on_submit():
        try:
            if user is None:
                if not form.password.data:
                    form.password.errors = list(form.password.errors) + ["Set a password."]
                    raise _FormIncomplete
                user = user_service.create_user(
                    form.email.data,
                    form.name.data,
                    form.role.data,
                    form.password.data,
                    active=form.active.data,
                )
            else:
                if user.id == current_user.id and (
                    form.role.data != user.role or not form.active.data
                ):
                    form.role.errors = list(form.role.errors) + [
                        "You cannot demote or deactivate yourself."
                    ]
                    raise _FormIncomplete
                user_service.update_user(user, form.data)
                if user.id == current_user.id and form.password.data:
                    # A new password ends the user's sessions; keep this one, renewed.
                    start_session(user)
        except ServiceError as exc:
            attach_service_errors(form, exc)
        except _FormIncomplete:
            db.session.rollback()
        else:
            flash_saved(user.email)
            return redirect(url_for("users.list_users"))
    return render_template("users/form.html", form=form, user=user), 422 if form.errors else 200


class _FormIncomplete(Exception):
    pass
