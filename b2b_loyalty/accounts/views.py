"""Views of the accounts list and the account page."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from b2b_loyalty.accounts.forms import AccountForm, ConfirmDeleteForm
from b2b_loyalty.api.serializers import account_json
from b2b_loyalty.db_limits import db_int
from b2b_loyalty.domain.decision_circles import Circle
from b2b_loyalty.domain.roles import Role, can_assign_owner, can_edit_accounts
from b2b_loyalty.edit_conflicts import (
    explain_conflict,
    flash_stale_delete,
    form_after_conflict,
    stamp_for,
    submitted_stamp,
)
from b2b_loyalty.plugin_host import plugin_host
from b2b_loyalty.queries import accounts as account_queries
from b2b_loyalty.queries.account_children import orders_statement
from b2b_loyalty.queries.pagination import clamp_page_args, paginate
from b2b_loyalty.services import accounts as account_service
from b2b_loyalty.services.errors import ServiceError
from b2b_loyalty.services.row_versions import StaleEdit
from b2b_loyalty.web import attach_service_errors, flash_saved, or_404


def list_accounts():
    args = request.args
    owner_id = db_int(args.get("owner"))
    sort = args.get("sort", "name")
    filters = account_queries.AccountFilters(
        search=args.get("q", "").strip(),
        owner_id=owner_id,
        region=args.get("region", ""),
        industry=args.get("industry", ""),
        sort=sort if sort in account_queries.SORTABLE else "name",
        descending=args.get("dir") == "desc",
    )
    page_number, per_page = clamp_page_args(
        args.get("page"), args.get("per_page"), current_app.config["PAGE_SIZE"]
    )
    page = paginate(account_queries.account_rows_statement(filters), page_number, per_page)
    return render_template(
        "accounts/list.html",
        page=page,
        filters=filters,
        choices=account_queries.filter_choices(),
        can_edit=can_edit_accounts(Role(current_user.role)),
    )


def account_detail(account_id: int):
    account = account_queries.account_with_people(account_id)
    if account is None:
        abort(404)
    page_number, per_page = clamp_page_args(
        request.args.get("page"), request.args.get("per_page"), 20
    )
    orders = paginate(orders_statement(account.id), page_number, per_page, scalars=True)
    by_circle = {circle: [] for circle in Circle}
    for person in sorted(account.stakeholders, key=lambda s: (not s.active, -s.influence, s.name)):
        by_circle[Circle(person.circle)].append(person)
    panels = plugin_host().call_sorted(
        "account_panels", key=lambda p: p.weight, account=account, user=current_user
    )
    return render_template(
        "accounts/detail.html",
        account=account,
        by_circle=by_circle,
        orders=orders,
        panels=panels,
        can_edit=can_edit_accounts(Role(current_user.role)),
    )


def edit_account(account_id: int | None = None):
    account = or_404(account_service.get_account, account_id) if account_id else None
    if not can_edit_accounts(Role(current_user.role)):
        abort(403)
    form = AccountForm(obj=account)
    if request.method == "GET" and account is not None:
        form.team_ids.data = [u.id for u in account.team]
    users = account_queries.active_users()
    form.set_user_choices(users)
    may_assign_owner = can_assign_owner(Role(current_user.role))
    stamp = submitted_stamp() if account is not None and form.is_submitted() else None
    conflict = None
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        if not may_assign_owner:
            data.pop("owner_id", None)
        try:
            if account is None:
                account = account_service.create_account(current_user, data)
            else:
                account_service.update_account(
                    current_user, account, data, expected_version=stamp.sent_version()
                )
        except StaleEdit as exc:
            conflict = explain_conflict(
                exc, account, account_json, form, stamp, noun=_("account"), yours=data
            )
            form = form_after_conflict(conflict, lambda: _current_form(account, users))
            if form is None:
                return redirect(url_for("accounts.list_accounts"))
            stamp = None
        except ServiceError as exc:
            attach_service_errors(form, exc)
        else:
            flash_saved(account.name)
            return redirect(url_for("accounts.account_detail", account_id=account.id))
    if account is not None and stamp is None:
        stamp = stamp_for(account, account_json)
    status = 409 if conflict else 422 if form.errors else 200
    return (
        render_template(
            "accounts/account_form.html",
            form=form,
            stamp=stamp,
            conflict=conflict,
            account=account,
            may_assign_owner=may_assign_owner,
        ),
        status,
    )


def _current_form(account, users) -> AccountForm:  # noqa: ANN001
    """The account's form filled from the account as it is now (after a conflict)."""
    form = AccountForm(formdata=None, obj=account)
    form.team_ids.data = [u.id for u in account.team]
    form.set_user_choices(users)
    return form


def delete_account(account_id: int):
    account = or_404(account_service.get_account, account_id)
    if not can_edit_accounts(Role(current_user.role)):
        abort(403)
    form = ConfirmDeleteForm.for_record(account)
    if form.validate_on_submit():
        name = account.name
        try:
            account_service.delete_account(
                current_user, account, expected_version=form.sent_version()
            )
        except StaleEdit:
            flash_stale_delete(_("the account %(name)s", name=name))
            return redirect(url_for("accounts.account_detail", account_id=account.id))
        flash(_("Account %(name)s deleted.", name=name), "success")
        return redirect(url_for("accounts.list_accounts"))
    return render_template(
        "confirm_delete.html",
        form=form,
        what=_("the account %(name)s", name=account.name),
        consequence=_(
            "Its %(people)d people, %(orders)d orders and all its wallet estimates are deleted "
            "with it. This cannot be undone.",
            people=len(account.stakeholders),
            orders=len(account.orders),
        ),
        cancel_url=url_for("accounts.account_detail", account_id=account.id),
    )
