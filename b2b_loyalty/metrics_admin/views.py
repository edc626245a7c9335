"""Admin settings of metrics (segment rules, health) and per-account status actions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from b2b_loyalty.domain.roles import Role, can_manage_users
from b2b_loyalty.extensions import db
from b2b_loyalty.metrics_admin.forms import (
    ClosedForm,
    HealthSettingsForm,
    SegmentOverrideForm,
    SegmentRulesForm,
)
from b2b_loyalty.models import SegmentRuleSet
from b2b_loyalty.services import accounts as account_service
from b2b_loyalty.services import metric_settings
from b2b_loyalty.services.errors import ServiceError
from b2b_loyalty.services.health import effective_settings
from b2b_loyalty.services.portfolio_metrics import DEFAULT_SEGMENT_RULES
from b2b_loyalty.web import attach_service_errors, or_404

CORE_KEYS = ("revenue_trend", "share_trend", "order_recency")


def settings_page():
    if not can_manage_users(Role(current_user.role)):
        abort(403)
    rules_form = SegmentRulesForm(prefix="rules")
    health_form = HealthSettingsForm(prefix="health")
    if rules_form.validate_on_submit() and "rules-save" in _form_keys():
        try:
            metric_settings.save_segment_rules(
                current_user, {k: v for k, v in rules_form.data.items() if k != "csrf_token"}
            )
        except ServiceError as exc:
            attach_service_errors(rules_form, exc)
        else:
            flash(_("Segment rules saved."), "success")
            return redirect(url_for("metrics_admin.settings"))
    elif health_form.validate_on_submit() and "health-save" in _form_keys():
        data = health_form.data
        try:
            metric_settings.save_health_settings(
                current_user,
                {
                    "weights": {k: data[f"weight_{k}"] for k in CORE_KEYS},
                    "thresholds": {
                        k: {"poor": data[f"{k}_poor"], "good": data[f"{k}_good"]} for k in CORE_KEYS
                    },
                    "amber_from": data["amber_from"],
                    "green_from": data["green_from"],
                },
            )
        except ServiceError as exc:
            attach_service_errors(health_form, exc)
        else:
            flash(_("Health settings saved."), "success")
            return redirect(url_for("metrics_admin.settings"))
    else:
        row = db.session.get(SegmentRuleSet, 1)
        source = (
            DEFAULT_SEGMENT_RULES
            if row is None
            else {k: getattr(row, k) for k in DEFAULT_SEGMENT_RULES}
        )
        for key, value in source.items():
            if not rules_form.is_submitted():
                getattr(rules_form, key).data = value
        settings = effective_settings()
        if not health_form.is_submitted():
            for key in CORE_KEYS:
                getattr(health_form, f"weight_{key}").data = settings.weight(key)
                getattr(health_form, f"{key}_poor").data = settings.thresholds[key].poor
                getattr(health_form, f"{key}_good").data = settings.thresholds[key].good
            health_form.amber_from.data, health_form.green_from.data = (
                settings.amber_from,
                settings.green_from,
            )
    return render_template(
        "metrics_admin/settings.html", rules_form=rules_form, health_form=health_form
    )


def _form_keys() -> set[str]:
    from flask import request

    return set(request.form)


def account_status(account_id: int):
    account = or_404(account_service.get_account, account_id)
    segment_form = SegmentOverrideForm(prefix="segment")
    closed_form = ClosedForm(prefix="closed")
    try:
        if "segment-save" in _form_keys() and segment_form.validate_on_submit():
            metric_settings.set_segment_override(
                current_user, account, segment_form.segment.data, segment_form.reason.data
            )
            flash(_("Segment saved."), "success")
            return redirect(url_for("accounts.account_detail", account_id=account.id))
        if "closed-save" in _form_keys() and closed_form.validate_on_submit():
            metric_settings.set_closed(
                current_user, account, closed_form.closed_on.data, closed_form.reason.data
            )
            flash(_("Status saved."), "success")
            return redirect(url_for("accounts.account_detail", account_id=account.id))
    except ServiceError as exc:
        if exc.status == 403:
            abort(403)
        attach_service_errors(segment_form if "segment-save" in _form_keys() else closed_form, exc)
    return render_template(
        "metrics_admin/account_status.html",
        account=account,
        segment_form=segment_form,
        closed_form=closed_form,
    ), 422 if (segment_form.errors or closed_form.errors) else 200
