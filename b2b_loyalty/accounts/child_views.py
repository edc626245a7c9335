"""The edit and delete views shared by stakeholders, orders and wallet estimates.

Each kind declares a ``ChildKind`` (its form, its service calls, its words);
the flow — access check, validation, one service call, errors beside fields,
confirmation before delete — is written once here. A versioned kind (one with a
``snapshot``) carries its row version in the form: an edit based on an outdated
version is refused and the form comes back with the current values and a note
of what someone else changed (``edit_conflicts``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from b2b_loyalty.accounts.forms import ConfirmDeleteForm
from b2b_loyalty.domain.roles import Role, can_edit_accounts
from b2b_loyalty.edit_conflicts import (
    explain_conflict,
    flash_stale_delete,
    form_after_conflict,
    stamp_for,
    submitted_stamp,
)
from b2b_loyalty.services import accounts as account_service
from b2b_loyalty.services.errors import ServiceError
from b2b_loyalty.services.row_versions import StaleEdit
from b2b_loyalty.web import attach_service_errors, flash_saved, or_404


@dataclass(frozen=True)
class ChildKind:
    noun: str  # translated singular, e.g. "person"
    form_class: type
    get: Callable[[Any, int], Any]
    create: Callable[[Any, Any, dict], Any]
    update: Callable[[Any, Any, Any, dict], Any]
    delete: Callable[[Any, Any], None]
    describe: Callable[[Any], str]
    prepare_form: Callable[[Any, Any, Any], None] = lambda form, account, item: None
    anchor: str = ""
    # Versioned kinds: the record as JSON (its API serializer), kept in the form to
    # tell later which fields someone else changed; None for kinds without a version.
    snapshot: Callable[[Any], dict[str, Any]] | None = None
    # Form values the record does not hold under the field's name (an order's date).
    form_values: Callable[[Any], dict[str, Any]] = lambda item: {}


def _account_for_edit(account_id: int):  # noqa: ANN202
    account = or_404(account_service.get_account, account_id)
    if not can_edit_accounts(Role(current_user.role)):
        abort(403)
    return account


def _back_to(account, kind: ChildKind) -> str:  # noqa: ANN001
    return url_for("accounts.account_detail", account_id=account.id, _anchor=kind.anchor or None)


def _current_form(kind: ChildKind, account, item):  # noqa: ANN001, ANN202
    """The item's form filled from the item as it is now (after a conflict)."""
    form = kind.form_class(formdata=None, obj=item, **kind.form_values(item))
    kind.prepare_form(form, account, item)
    return form


def edit_child(kind: ChildKind, account_id: int, item_id: int | None):  # noqa: ANN201
    account = _account_for_edit(account_id)
    item = or_404(kind.get, account, item_id) if item_id else None
    versioned = item is not None and kind.snapshot is not None
    form = kind.form_class(obj=item, **(kind.form_values(item) if item is not None else {}))
    kind.prepare_form(form, account, item)
    stamp = submitted_stamp() if versioned and form.is_submitted() else None
    conflict = None
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        try:
            if item is None:
                item = kind.create(current_user, account, data)
            elif versioned:
                kind.update(
                    current_user, account, item, data, expected_version=stamp.sent_version()
                )
            else:
                kind.update(current_user, account, item, data)
        except StaleEdit as exc:
            conflict = explain_conflict(exc, item, kind.snapshot, form, stamp, noun=str(kind.noun))
            form = form_after_conflict(conflict, lambda: _current_form(kind, account, item))
            if form is None:
                return redirect(_back_to(account, kind))
            stamp = None
        except ServiceError as exc:
            attach_service_errors(form, exc)
        else:
            flash_saved(kind.describe(item))
            return redirect(_back_to(account, kind))
    if versioned and stamp is None:
        stamp = stamp_for(item, kind.snapshot)
    status = 409 if conflict else 422 if form.errors else 200
    return (
        render_template(
            "accounts/child_form.html",
            form=form,
            stamp=stamp,
            conflict=conflict,
            account=account,
            item=item,
            noun=kind.noun,
            cancel_url=_back_to(account, kind),
        ),
        status,
    )


def delete_child(kind: ChildKind, account_id: int, item_id: int):  # noqa: ANN201
    account = _account_for_edit(account_id)
    item = or_404(kind.get, account, item_id)
    form = ConfirmDeleteForm.for_record(item)
    if form.validate_on_submit():
        what = kind.describe(item)
        try:
            if kind.snapshot is not None:  # versioned: only the version the page showed
                kind.delete(current_user, item, expected_version=form.sent_version())
            else:
                kind.delete(current_user, item)
        except StaleEdit:
            flash_stale_delete(what)
        else:
            flash(_("Deleted %(what)s.", what=what), "success")
        return redirect(_back_to(account, kind))
    return render_template(
        "confirm_delete.html",
        form=form,
        what=kind.describe(item),
        consequence=_("This cannot be undone."),
        cancel_url=_back_to(account, kind),
    )
