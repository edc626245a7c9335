"""Pages of the pricing area: schedules, their approval and preview, quotes, finance overview."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from b2b_loyalty.api.discount_schedules import schedule_json
from b2b_loyalty.charts import Series, line_chart
from b2b_loyalty.db_limits import db_int
from b2b_loyalty.domain.discount_schedule import Basis
from b2b_loyalty.domain.roles import Role, can_edit_accounts
from b2b_loyalty.domain.schedule_chart import net_price_curve
from b2b_loyalty.domain.schedule_workflow import EDITABLE, ScheduleStatus, can_author_schedules
from b2b_loyalty.edit_conflicts import (
    explain_conflict,
    form_after_conflict,
    stamp_for,
    submitted_stamp,
)
from b2b_loyalty.i18n import money, number
from b2b_loyalty.pricing.forms import (
    AssignmentForm,
    DecisionForm,
    PreviewForm,
    QuoteForm,
    ScheduleForm,
)
from b2b_loyalty.queries import schedules as schedule_queries
from b2b_loyalty.queries.accounts import all_categories
from b2b_loyalty.queries.pagination import clamp_page_args, paginate
from b2b_loyalty.services import accounts as account_service
from b2b_loyalty.services import discount_schedules as schedule_service
from b2b_loyalty.services import pricing
from b2b_loyalty.services.categories import find_category
from b2b_loyalty.services.errors import NotFound, ServiceError
from b2b_loyalty.services.pricing_preview import preview
from b2b_loyalty.services.row_versions import StaleEdit
from b2b_loyalty.web import attach_service_errors, or_404

# The gross margin the finance views assume until the user enters the real one.
DEFAULT_MARGIN_PERCENT = Decimal(30)


def _plain(value: Decimal) -> Decimal:
    """10.0000 → 10 without the exponent notation (1E+1) that normalize() gives."""
    return Decimal(format(value.normalize(), "f"))


def _is_author() -> bool:
    return can_author_schedules(Role(current_user.role))


def list_schedules():
    return render_template(
        "pricing/schedules.html",
        families=schedule_queries.families_with_versions(),
        can_author=_is_author(),
    )


def _schedule_form_data(form: ScheduleForm) -> dict:
    return {
        "name": form.name.data,
        "description": form.description.data,
        "basis": form.basis.data,
        "mode": form.mode.data,
        "scope": form.scope.data,
        "effective_from": form.effective_from.data,
        "change_note": form.change_note.data,
        "tiers": form.tier_values(),
    }


def _attach_tier_errors(form: ScheduleForm, exc: ServiceError) -> None:
    """Engine errors come keyed ``tiers.1.from``; show them on that row's cell."""
    rows = [
        row for row in form.tiers if row.from_value.data is not None or row.percent.data is not None
    ]
    general = {}
    for key, messages in exc.fields.items():
        parts = key.split(".")
        if (
            parts[0] == "tiers"
            and len(parts) == 3
            and parts[1].isdigit()
            and int(parts[1]) < len(rows)
        ):
            cell = (
                rows[int(parts[1])].from_value
                if parts[2] == "from"
                else rows[int(parts[1])].percent
            )
            cell.errors = list(cell.errors) + list(messages)
        else:
            general[key] = messages
    if general:
        attach_service_errors(form, ServiceError(exc.message, general))


def edit_schedule(schedule_id: int | None = None):
    if not _is_author():
        abort(403)
    version = schedule_queries.version_with_family(schedule_id) if schedule_id else None
    if schedule_id and version is None:
        abort(404)
    if version is not None and ScheduleStatus(version.status) not in EDITABLE:
        flash(_("Approved and pending schedules cannot change; make a new version."), "error")
        return redirect(url_for("pricing.schedule_detail", schedule_id=version.id))
    form = ScheduleForm()
    stamp = submitted_stamp() if version is not None and request.method == "POST" else None
    conflict = None
    if request.method == "GET":
        _fill_schedule_form(form, version)
    elif "add_row" in request.form:
        form.add_blank_rows(1)
    elif form.validate_on_submit():
        try:
            if version is None:
                version = schedule_service.create_schedule(
                    current_user,
                    _schedule_form_data(form),
                    currency=current_app.config["BASE_CURRENCY"],
                )
            else:
                data = _schedule_form_data(form)
                data.pop("name")  # the family keeps its name across versions
                schedule_service.update_draft(
                    current_user, version, data, expected_version=stamp.sent_version()
                )
        except StaleEdit as exc:
            conflict = explain_conflict(
                exc,
                version,
                schedule_json,
                form,
                stamp,
                noun=_("schedule"),
                yours=_schedule_form_data(form),
            )
            form = form_after_conflict(
                conflict,
                lambda: _fill_schedule_form(ScheduleForm(formdata=None), version),
                # (a deleted draft has no status to read: the short cut matters)
                editable=not conflict.deleted and ScheduleStatus(version.status) in EDITABLE,
            )
            if form is None:
                return redirect(url_for("pricing.schedule_detail", schedule_id=version.id))
            stamp = None
        except ServiceError as exc:
            _attach_tier_errors(form, exc)
        else:
            flash(_("Schedule saved as a draft."), "success")
            return redirect(url_for("pricing.schedule_detail", schedule_id=version.id))
    if version is not None and stamp is None:
        stamp = stamp_for(version, schedule_json)
    if conflict:
        status = 409
    else:
        status = 422 if form.errors or any(row.errors for row in form.tiers) else 200
    return render_template(
        "pricing/schedule_form.html", form=form, version=version, stamp=stamp, conflict=conflict
    ), status


def _fill_schedule_form(form: ScheduleForm, version) -> ScheduleForm:  # noqa: ANN001
    """The editor's fields from ``version`` (a new schedule: today, one 0 % tier)."""
    if version is not None:
        form.name.data, form.description.data = version.family.name, version.family.description
        form.basis.data, form.mode.data, form.scope.data = (
            version.basis,
            version.mode,
            version.scope,
        )
        form.effective_from.data, form.change_note.data = (
            version.effective_from,
            version.change_note,
        )
        form.tiers.entries = []
        for tier in version.tiers:
            form.tiers.append_entry(
                {"from_value": _plain(tier.from_value), "percent": _plain(tier.percent)}
            )
    else:
        form.effective_from.data = date.today()
        form.tiers.entries = []
        form.tiers.append_entry({"from_value": Decimal(0), "percent": Decimal(0)})
    form.add_blank_rows()
    return form


def _preview_context(version) -> dict:  # noqa: ANN001
    args = PreviewForm(request.args)
    args.validate()
    value = version.as_value()
    last = max(t.from_value for t in version.tiers)
    volume = (
        args.volume.data
        if args.volume.data is not None and not args.volume.errors
        else (last * Decimal("1.2") if last else Decimal(100))
    )
    volume = volume.quantize(
        Decimal(1) if version.basis == Basis.QUANTITY.value else Decimal("0.01")
    )
    unit_price = args.unit_price.data if args.unit_price.data else Decimal("10.00")
    body = {
        "basis": version.basis,
        "mode": version.mode,
        "scope": version.scope,
        "currency": version.currency,
        "tiers": [{"from": str(t.from_value), "percent": str(t.percent)} for t in version.tiers],
        "prior_volume": str(args.prior_volume.data or 0),
        "margin_percent": str(
            args.margin_percent.data
            if args.margin_percent.data is not None
            else DEFAULT_MARGIN_PERCENT
        ),
    }
    if value.basis is Basis.QUANTITY:
        body.update(quantity=str(volume.quantize(Decimal(1))), unit_price=str(unit_price))
    else:
        body.update(amount=str(volume.quantize(Decimal("0.01"))))
    result = None
    try:
        result = preview(body, currency=version.currency)
    except ServiceError as exc:
        flash(exc.message, "error")
    curve = net_price_curve(
        value,
        unit_price=unit_price if value.basis is Basis.QUANTITY else None,
        up_to=max(volume, last * 2 or Decimal(100)),
    )
    chart = line_chart(
        [
            Series(
                _("Net price per unit")
                if value.basis is Basis.QUANTITY
                else _("Net per 1.00 of list"),
                curve.unit_points,
            )
        ],
        step=True,
        x_label=_("Volume"),
        y_label=_("Net per unit"),
        markers=[(t.from_value, f"{number(t.percent)} %") for t in version.tiers if t.from_value],
        title=_("Net price per unit against volume"),
    )
    total_chart = line_chart(
        [Series(_("Total net"), curve.total_points)],
        x_label=_("Volume"),
        y_label=_("Total net"),
        markers=[(c["threshold"], _("cliff")) for c in (result or {}).get("cliffs", [])],
        title=_("Total net against volume"),
    )
    return {
        "preview_form": args,
        "result": result,
        "chart": chart,
        "total_chart": total_chart,
        "volume": volume,
        "unit_price": unit_price,
    }


def schedule_detail(schedule_id: int):
    version = schedule_queries.version_with_family(schedule_id)
    if version is None:
        abort(404)
    page_number, per_page = clamp_page_args(request.args.get("audit_page"), 20, 20)
    assignment_form = AssignmentForm()
    assignment_form.category_id.choices = [(c.id, c.name) for c in all_categories()]
    return render_template(
        "pricing/schedule_detail.html",
        version=version,
        can_author=_is_author(),
        decision_form=DecisionForm(data={"row_version": version.row_version}),
        assignment_form=assignment_form,
        assignments=schedule_queries.assignments_of(version.family_id),
        audit=paginate(
            schedule_queries.audit_statement(version.family_id), page_number, per_page, scalars=True
        ),
        **_preview_context(version),
    )


def schedule_action(schedule_id: int, action: str):
    version = or_404(schedule_service.get_version, schedule_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    seen = form.sent_version()
    try:
        if action == "submit":
            schedule_service.submit(current_user, version, expected_version=seen)
        elif action == "approve":
            schedule_service.approve(
                current_user, version, form.comment.data, expected_version=seen
            )
        elif action == "reject":
            schedule_service.reject(current_user, version, form.comment.data, expected_version=seen)
        elif action == "new_version":
            version = schedule_service.new_version(current_user, version)
            return redirect(url_for("pricing.edit_schedule", schedule_id=version.id))
        else:
            abort(404)
    except StaleEdit:
        flash(
            _(
                "Someone else changed this schedule version since you opened the page; nothing "
                "was done. Check it again below, then decide."
            ),
            "error",
        )
    except ServiceError as exc:
        flash(" ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]]), "error")
    else:
        flash(_("Done: %(action)s.", action=action.replace("_", " ")), "success")
    return redirect(url_for("pricing.schedule_detail", schedule_id=version.id))


def assign_schedule(schedule_id: int):
    version = or_404(schedule_service.get_version, schedule_id)
    form = AssignmentForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        category = find_category(category_id=form.category_id.data)
        account = (
            account_service.get_account(form.account_id.data) if form.account_id.data else None
        )
        schedule_service.assign(current_user, version.family, category, account)
    except ServiceError as exc:
        flash(" ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]]), "error")
    else:
        flash(_("Schedule assigned."), "success")
    return redirect(
        url_for("pricing.schedule_detail", schedule_id=version.id, _anchor="assignments")
    )


def quote_page():
    if request.method == "GET":
        # A GET quote changes nothing, so it needs no CSRF token and can be bookmarked.
        form = QuoteForm(formdata=request.args or None, meta={"csrf": False})
    else:
        form = QuoteForm()
    form.set_choices(schedule_queries.quotable_accounts(), all_categories())
    result = record = None
    if (
        request.method == "POST"
        and "save" in request.form
        and not can_edit_accounts(Role(current_user.role))
    ):
        abort(403)
    if (request.method == "POST" and form.validate_on_submit()) or (
        request.method == "GET" and "quantity" in request.args and form.validate()
    ):
        try:
            account = account_service.get_account(form.account_id.data)
            category = find_category(category_id=form.category_id.data)
            if request.method == "POST" and "save" in request.form:
                order = pricing.save_quote_as_order(
                    current_user,
                    account,
                    category,
                    form.quantity.data,
                    form.unit_price.data,
                    form.date.data,
                )
                flash(_("Order saved at %(net)s.", net=money(order.net_amount)), "success")
                return redirect(
                    url_for("accounts.account_detail", account_id=account.id, _anchor="orders")
                )
            result = pricing.quote(
                account, category, form.quantity.data, form.unit_price.data, form.date.data
            )
            record = pricing.breakdown_record(result)
        except NotFound:
            abort(404)
        except ServiceError as exc:
            attach_service_errors(form, exc)
    return render_template(
        "pricing/quote.html",
        form=form,
        quote=result,
        record=record,
        can_save=can_edit_accounts(Role(current_user.role)),
    ), (422 if form.errors else 200)


def finance_overview():
    if not _is_author():
        abort(403)
    from b2b_loyalty.services.finance_overview import schedule_cost_table

    margin = PreviewForm(request.args)
    # An invalid margin (negative, over 100, not a number) is said beside the field and
    # the table keeps the default: it is never priced with a value it was refused.
    valid = margin.validate()
    margin_percent = (
        margin.margin_percent.data
        if valid and margin.margin_percent.data is not None
        else DEFAULT_MARGIN_PERCENT
    )
    families = schedule_queries.families_with_versions()
    return render_template(
        "pricing/finance.html",
        rows=schedule_cost_table(families, margin_percent=margin_percent, today=date.today()),
        margin_percent=margin_percent,
        margin_errors=margin.margin_percent.errors,
        pending=schedule_queries.pending_versions(),
        audit=paginate(schedule_queries.audit_statement(), 1, 15, scalars=True),
    )


def audit_log():
    if not _is_author():
        abort(403)
    family_id = db_int(request.args.get("schedule"))  # no such schedule: the whole log
    page_number, per_page = clamp_page_args(
        request.args.get("page"), request.args.get("per_page"), 50
    )
    return render_template(
        "pricing/audit.html",
        page=paginate(
            schedule_queries.audit_statement(family_id), page_number, per_page, scalars=True
        ),
        families=schedule_queries.families_with_versions(),
        family_id=family_id,
    )
