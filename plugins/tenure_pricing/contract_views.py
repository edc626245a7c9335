"""Pages for contracts: the form, delete, the renewal preview and the expiring list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from b2b_loyalty.accounts.forms import ConfirmDeleteForm
from b2b_loyalty.domain.periods import FIRST_YEAR, LAST_YEAR
from b2b_loyalty.domain.roles import Role, can_edit_accounts, sees_all_accounts
from b2b_loyalty.edit_conflicts import (
    explain_conflict,
    flash_stale_delete,
    form_after_conflict,
    stamp_for,
    submitted_stamp,
)
from b2b_loyalty.queries.pagination import clamp_page_args, paginate
from b2b_loyalty.services import accounts as account_service
from b2b_loyalty.services.errors import ServiceError
from b2b_loyalty.services.row_versions import StaleEdit
from b2b_loyalty.web import attach_service_errors, flash_saved, or_404
from plugins.tenure_pricing import queries
from plugins.tenure_pricing.api import contract_json
from plugins.tenure_pricing.forms import ContractForm
from plugins.tenure_pricing.models import TenureContract
from plugins.tenure_pricing.services import contracts as service
from plugins.tenure_pricing.services.contract_overview import RenewalPreview, renewal_preview
from plugins.tenure_pricing.settings import setting

PANEL_ANCHOR = "panel-tenure_pricing-contracts"
MAX_HORIZON_DAYS = 730


def _back_to(account) -> str:  # noqa: ANN001
    return url_for("accounts.account_detail", account_id=account.id, _anchor=PANEL_ANCHOR)


def _account_for_edit(account_id: int):  # noqa: ANN202
    account = or_404(account_service.get_account, account_id)
    if not can_edit_accounts(Role(current_user.role)):
        abort(403)
    return account


def _as_of() -> date:
    """``?on=YYYY-MM-DD`` to look from another day (planning, reviews); default today.

    A day outside FIRST_YEAR..LAST_YEAR is a typing mistake (and the horizon added to it
    would leave the calendar): today too.
    """
    try:
        on = date.fromisoformat(request.args.get("on", ""))
    except ValueError:
        return date.today()
    return on if FIRST_YEAR <= on.year <= LAST_YEAR else date.today()


def edit_contract(account_id: int, contract_id: int | None = None):
    account = _account_for_edit(account_id)
    contract = or_404(service.get_contract, account, contract_id) if contract_id else None
    form = ContractForm(obj=contract)
    stamp = submitted_stamp() if contract is not None and form.is_submitted() else None
    conflict = None
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        try:
            if contract is None:
                contract = service.create_contract(current_user, account, data)
            else:
                service.update_contract(
                    current_user, account, contract, data, expected_version=stamp.sent_version()
                )
        except StaleEdit as exc:
            conflict = explain_conflict(
                exc, contract, contract_json, form, stamp, noun=_("contract")
            )
            form = form_after_conflict(conflict, lambda: ContractForm(formdata=None, obj=contract))
            if form is None:
                return redirect(_back_to(account))
            stamp = None
        except ServiceError as exc:
            attach_service_errors(form, exc)
        else:
            flash_saved(_("Contract %(number)s", number=contract.number))
            return redirect(_back_to(account))
    if contract is not None and stamp is None:
        stamp = stamp_for(contract, contract_json)
    return (
        render_template(
            "tenure_pricing/contract_form.html",
            form=form,
            stamp=stamp,
            conflict=conflict,
            account=account,
            contract=contract,
            cancel_url=_back_to(account),
        ),
        409 if conflict else 422 if form.errors else 200,
    )


def delete_contract(account_id: int, contract_id: int):
    account = _account_for_edit(account_id)
    contract = or_404(service.get_contract, account, contract_id)
    form = ConfirmDeleteForm.for_record(contract)
    if form.validate_on_submit():
        number = contract.number
        try:
            service.delete_contract(current_user, contract, expected_version=form.sent_version())
        except StaleEdit:
            flash_stale_delete(_("contract %(number)s", number=number))
        else:
            flash(_("Contract %(number)s deleted.", number=number), "success")
        return redirect(_back_to(account))
    return render_template(
        "confirm_delete.html",
        form=form,
        what=_("contract %(number)s", number=contract.number),
        consequence=_(
            "Tenure is counted from the contracts on record: deleting it can shorten the "
            "client's tenure and its discount. This cannot be undone."
        ),
        cancel_url=_back_to(account),
    )


def renewal(account_id: int, contract_id: int):
    account = or_404(account_service.get_account, account_id)
    contract = or_404(service.get_contract, account, contract_id)
    on = _as_of()
    contracts = queries.contracts_of(account.id)
    preview = renewal_preview(contract, contracts, on, queries.schedule_in_force(on))
    return render_template(
        "tenure_pricing/renewal.html",
        account=account,
        preview=preview,
        on=on,
        can_edit=can_edit_accounts(Role(current_user.role)),
    )


@dataclass(frozen=True)
class ExpiringRow:
    contract: TenureContract
    renewal_id: int | None
    preview: RenewalPreview


def expiring():
    """Active contracts ending in the next N days: a manager's own, everyone's for leadership."""
    on = _as_of()
    try:
        days = int(request.args.get("days") or setting("EXPIRING_DAYS"))
    except ValueError:
        days = setting("EXPIRING_DAYS")
    days = min(max(days, 1), MAX_HORIZON_DAYS)
    page_number, per_page = clamp_page_args(
        request.args.get("page"), request.args.get("per_page"), current_app.config["PAGE_SIZE"]
    )
    page = paginate(
        queries.expiring_statement(on, on + timedelta(days=days)), page_number, per_page
    )
    schedule = queries.schedule_in_force(on)
    grouped = queries.contracts_by_account([c.account_id for c, _ in page.items])
    rows = [
        ExpiringRow(c, renewal_id, renewal_preview(c, grouped[c.account_id], on, schedule))
        for c, renewal_id in page.items
    ]
    return render_template(
        "tenure_pricing/expiring.html",
        page=page,
        rows=rows,
        days=days,
        on=on,
        until=on + timedelta(days=days),
        horizons=sorted({30, 60, 90, 180, setting("EXPIRING_DAYS")}),
        sees_all=sees_all_accounts(Role(current_user.role)),
    )
