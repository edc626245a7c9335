"""Pages of the tenure schedule: versions, the editor, approval and the preview."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from b2b_loyalty.charts import Series, line_chart
from b2b_loyalty.domain.roles import Role
from b2b_loyalty.domain.schedule_workflow import EDITABLE, ScheduleStatus, can_author_schedules
from b2b_loyalty.edit_conflicts import (
    explain_conflict,
    form_after_conflict,
    stamp_for,
    submitted_stamp,
)
from b2b_loyalty.i18n import number
from b2b_loyalty.pricing.forms import DecisionForm
from b2b_loyalty.queries.pagination import clamp_page_args, paginate
from b2b_loyalty.services.errors import ServiceError
from b2b_loyalty.services.row_versions import StaleEdit
from b2b_loyalty.web import attach_service_errors, or_404
from plugins.tenure_pricing import queries
from plugins.tenure_pricing.domain.calendar_months import describe_months
from plugins.tenure_pricing.domain.tenure_schedule import TenureSchedule as ScheduleValue
from plugins.tenure_pricing.domain.tenure_schedule import plain
from plugins.tenure_pricing.forms import SchedulePreviewForm, TenureScheduleForm
from plugins.tenure_pricing.models import TenureSchedule
from plugins.tenure_pricing.services import tenure_schedules as service
from plugins.tenure_pricing.services.tenure import stacked_for

DEFAULT_PREVIEW_VOLUME = Decimal(5)
# The example from the issue: finance's usual starting point for a first draft.
STARTER_TIERS = ((0, 0), (12, 2), (36, 4), (60, 6))


def _is_author() -> bool:
    return can_author_schedules(Role(current_user.role))


def list_schedules():
    schedules = queries.all_schedules()
    return render_template(
        "tenure_pricing/schedules.html",
        schedules=schedules,
        in_force=queries.schedule_in_force(date.today()),
        can_author=_is_author(),
        has_open=any(s.status in ("draft", "rejected", "pending_approval") for s in schedules),
    )


def _form_data(form: TenureScheduleForm) -> dict:
    return {
        "effective_from": form.effective_from.data,
        "stacking": form.stacking.data,
        "max_total_percent": form.max_total_percent.data,
        "grace_days": form.grace_days.data,
        "renewal_uplift_percent": form.renewal_uplift_percent.data,
        "change_note": form.change_note.data,
        "tiers": form.tier_values(),
    }


def _editable_values(version: TenureSchedule) -> dict:
    """The version as its edit form shows it, by field name: what an edit refused as
    outdated is compared with (``edit_conflicts``)."""
    return {
        "effective_from": version.effective_from,
        "stacking": version.stacking,
        "max_total_percent": plain(version.max_total_percent),
        "grace_days": version.grace_days,
        "renewal_uplift_percent": plain(version.renewal_uplift_percent),
        "change_note": version.change_note,
        "tiers": [
            {"from_months": str(t.from_months), "percent": str(plain(t.percent))}
            for t in version.tiers
        ],
    }


def _attach_errors(form: TenureScheduleForm, exc: ServiceError) -> None:
    """Domain errors come keyed ``tiers.1.percent``; show them in that row's cell."""
    rows = [r for r in form.tiers if r.from_months.data is not None or r.percent.data is not None]
    general = {}
    for key, messages in exc.fields.items():
        parts = key.split(".")
        if (
            parts[0] == "tiers"
            and len(parts) == 3
            and parts[1].isdigit()
            and int(parts[1]) < len(rows)
        ):
            cell = getattr(rows[int(parts[1])], parts[2], None)
            if cell is not None:
                cell.errors = list(cell.errors) + list(messages)
                continue
        general[key] = messages
    if general:
        attach_service_errors(form, ServiceError(exc.message, general))


def _fill(form: TenureScheduleForm, version: TenureSchedule | None) -> TenureScheduleForm:
    form.tiers.entries, form.tiers.last_index = [], -1
    if version is not None:
        form.effective_from.data = version.effective_from
        form.stacking.data = version.stacking
        form.max_total_percent.data = plain(version.max_total_percent)
        form.grace_days.data = version.grace_days
        form.renewal_uplift_percent.data = plain(version.renewal_uplift_percent)
        form.change_note.data = version.change_note
        tiers = [(t.from_months, plain(t.percent)) for t in version.tiers]
    else:
        form.effective_from.data = date.today()
        form.max_total_percent.data = Decimal(10)
        tiers = [(m, Decimal(p)) for m, p in STARTER_TIERS]
    for from_months, percent in tiers:
        form.tiers.append_entry({"from_months": from_months, "percent": percent})
    form.add_blank_rows()
    return form


def edit_schedule(schedule_id: int | None = None):
    if not _is_author():
        abort(403)
    version = queries.schedule_with_people(schedule_id) if schedule_id else None
    if schedule_id and version is None:
        abort(404)
    if version is not None and ScheduleStatus(version.status) not in EDITABLE:
        flash(_("Approved and pending schedules cannot change; start a new version."), "error")
        return redirect(url_for("tenure_pricing.schedule_detail", schedule_id=version.id))
    form = TenureScheduleForm()
    stamp = submitted_stamp() if version is not None and request.method == "POST" else None
    conflict = None
    if request.method == "GET":
        _fill(form, version)
    elif "add_row" in request.form:
        form.add_blank_rows(1)
    elif form.validate_on_submit():
        try:
            if version is None:
                version = service.create_draft(current_user, _form_data(form))
            else:
                service.update_draft(
                    current_user, version, _form_data(form), expected_version=stamp.sent_version()
                )
        except StaleEdit as exc:
            conflict = explain_conflict(
                exc,
                version,
                _editable_values,
                form,
                stamp,
                noun=_("tenure schedule"),
                yours=_form_data(form),
            )
            form = form_after_conflict(
                conflict,
                lambda: _fill(TenureScheduleForm(formdata=None), version),
                # (a deleted draft has no status to read: the short cut matters)
                editable=not conflict.deleted and ScheduleStatus(version.status) in EDITABLE,
            )
            if form is None:
                return redirect(url_for("tenure_pricing.schedule_detail", schedule_id=version.id))
            stamp = None
        except ServiceError as exc:
            _attach_errors(form, exc)
        else:
            flash(_("Tenure schedule saved as a draft."), "success")
            return redirect(url_for("tenure_pricing.schedule_detail", schedule_id=version.id))
    if version is not None and stamp is None:
        stamp = stamp_for(version, _editable_values)
    if conflict:
        status = 409
    else:
        status = 422 if form.errors or any(row.errors for row in form.tiers) else 200
    return (
        render_template(
            "tenure_pricing/schedule_form.html",
            form=form,
            version=version,
            stamp=stamp,
            conflict=conflict,
        ),
        status,
    )


def preview_rows(value: ScheduleValue, volume: Decimal) -> list[dict]:
    """Per tier: the tenure rate and the total with a ``volume`` % volume discount."""
    rows = []
    for tier in value.tiers:
        stacked = stacked_for(volume, tier.percent, value)
        rows.append({"tier": tier, "tenure": describe_months(tier.from_months), "stacked": stacked})
    return rows


def _preview_chart(value: ScheduleValue, volume: Decimal) -> str:
    last = value.tiers[-1].from_months
    horizon = max(last + 24, 72)
    tenure_points, total_points = [], []
    for tier in value.tiers:
        stacked = stacked_for(volume, tier.percent, value)
        tenure_points.append((Decimal(tier.from_months) / 12, tier.percent))
        total_points.append((Decimal(tier.from_months) / 12, stacked.total))
    end = value.tiers[-1]
    tenure_points.append((Decimal(horizon) / 12, end.percent))
    total_points.append((Decimal(horizon) / 12, stacked_for(volume, end.percent, value).total))
    return line_chart(
        [
            Series(_("Tenure discount"), tenure_points),
            Series(_("Total with %(v)s %% volume discount", v=number(volume)), total_points),
            Series(
                _("Cap"),
                [(0, value.max_total_percent), (Decimal(horizon) / 12, value.max_total_percent)],
                dashed=True,
            ),
        ],
        step=True,
        x_label=_("Years of tenure"),
        y_label=_("Discount %"),
        title=_("Discount against tenure"),
    )


def schedule_detail(schedule_id: int):
    version = queries.schedule_with_people(schedule_id)
    if version is None:
        abort(404)
    args = SchedulePreviewForm(request.args)
    args.validate()
    volume = (
        args.volume_percent.data
        if args.volume_percent.data is not None and not args.volume_percent.errors
        else DEFAULT_PREVIEW_VOLUME
    )
    value = version.as_value()
    page_number, per_page = clamp_page_args(request.args.get("audit_page"), 20, 20)
    return render_template(
        "tenure_pricing/schedule_detail.html",
        version=version,
        can_author=_is_author(),
        decision_form=DecisionForm(data={"row_version": version.row_version}),
        preview_form=args,
        volume=volume,
        rows=preview_rows(value, volume),
        chart=_preview_chart(value, volume),
        audit=paginate(queries.schedule_audit_statement(), page_number, per_page, scalars=True)
        if _is_author()
        else None,
    )


ACTIONS = ("submit", "approve", "reject", "new_version")


def schedule_action(schedule_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    version = or_404(service.get_schedule, schedule_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    seen = form.sent_version()
    try:
        if action == "submit":
            service.submit(current_user, version, expected_version=seen)
        elif action == "approve":
            service.approve(current_user, version, form.comment.data, expected_version=seen)
        elif action == "reject":
            service.reject(current_user, version, form.comment.data, expected_version=seen)
        elif action == "new_version":
            version = service.new_version(current_user, version)
            return redirect(url_for("tenure_pricing.edit_schedule", schedule_id=version.id))
    except StaleEdit:
        flash(
            _(
                "Someone else changed this tenure schedule version since you opened the page; "
                "nothing was done. Check it again below, then decide."
            ),
            "error",
        )
    except ServiceError as exc:
        flash(exc.message if not exc.fields else "; ".join(sum(exc.fields.values(), [])), "error")
    else:
        flash(_("Tenure schedule %(action)s.", action=_past_tense(action)), "success")
    return redirect(url_for("tenure_pricing.schedule_detail", schedule_id=version.id))


def _past_tense(action: str) -> str:
    return {"submit": _("submitted"), "approve": _("approved"), "reject": _("rejected")}[action]
