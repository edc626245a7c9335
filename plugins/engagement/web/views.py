"""Views of the engagement pages: thin, each a lookup, one service call or the figures."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from b2b_loyalty.accounts.forms import ConfirmDeleteForm
from b2b_loyalty.auth.safe_redirect import is_safe_next
from b2b_loyalty.domain.roles import Role, can_edit_accounts
from b2b_loyalty.edit_conflicts import (
    explain_conflict,
    flash_stale_delete,
    form_after_conflict,
    stamp_for,
    submitted_stamp,
)
from b2b_loyalty.queries.accounts import account_with_people, active_users
from b2b_loyalty.queries.pagination import clamp_page_args, paginate
from b2b_loyalty.services.accounts import get_account
from b2b_loyalty.services.errors import ServiceError
from b2b_loyalty.services.row_versions import StaleEdit
from b2b_loyalty.services.stakeholders import get_stakeholder
from b2b_loyalty.web import attach_service_errors, flash_saved, or_404
from plugins.engagement import queries
from plugins.engagement.api.serializers import interaction_json
from plugins.engagement.domain.alerts import ALERT_LABELS, AlertKind
from plugins.engagement.domain.cadence import describe_cadence
from plugins.engagement.domain.vocabulary import CIRCLES
from plugins.engagement.figures import (
    current_settings,
    engagement_of_account,
    engagement_of_accounts,
)
from plugins.engagement.portfolio import portfolio_rows
from plugins.engagement.services import cadence as cadence_service
from plugins.engagement.services import interactions as interaction_service
from plugins.engagement.services import stances as stance_service
from plugins.engagement.services import surveys as survey_service
from plugins.engagement.services.interactions import MAX_ID
from plugins.engagement.web import presenters
from plugins.engagement.web.forms import (
    ActionForm,
    CadenceForm,
    InteractionForm,
    StanceForm,
    SurveyResponseForm,
)

PORTFOLIO_PAGE = 50
# "My week" is a to-do list, not a report: the most pressing rows only.
WEEK_ROWS = 40


def _can_edit() -> bool:
    return can_edit_accounts(Role(current_user.role))


def _account_for_edit(account_id: int):  # noqa: ANN202
    account = or_404(get_account, account_id)
    if not _can_edit():
        abort(403)
    return account


def _back(default: str) -> str:
    target = request.values.get("next")
    return target if is_safe_next(target) else default


def _account_page(account_id: int) -> str:
    return url_for("engagement.account_engagement", account_id=account_id)


# -- my week and the portfolio -------------------------------------------------


def my_week():
    settings = current_settings()
    as_of = date.today()
    accounts = queries.my_accounts(current_user.id)
    names = dict(accounts)
    figures = engagement_of_accounts(list(names), as_of, settings)
    overdue = []
    for account_id, account_figures in figures.items():
        for person in account_figures.active_people:
            status = account_figures.statuses[person.id]
            if status.overdue:
                overdue.append((names[account_id], account_id, person, status))
    overdue.sort(
        key=lambda row: (
            row[2].circle,
            -(row[3].days_overdue if row[3].days_overdue is not None else 10**6),
            row[0].lower(),
            row[2].name,
        )
    )
    until = as_of + timedelta(days=settings.week_days - 1)
    next_steps = queries.open_next_steps(list(names), until, limit=WEEK_ROWS + 1)
    with_alerts = [
        (account_id, names[account_id], f.alerts) for account_id, f in figures.items() if f.alerts
    ]
    with_alerts.sort(key=lambda row: (-len(row[2]), row[1].lower()))
    return render_template(
        "engagement/my_week.html",
        as_of=as_of,
        until=until,
        accounts=accounts,
        overdue=overdue[:WEEK_ROWS],
        overdue_total=len(overdue),
        next_steps=next_steps[:WEEK_ROWS],
        more_next_steps=len(next_steps) > WEEK_ROWS,
        with_alerts=with_alerts,
        action_form=ActionForm(),
        can_edit=_can_edit(),
    )


def portfolio():
    as_of = date.today()
    try:
        owner_id = int(request.args.get("owner") or 0) or None
    except ValueError:
        owner_id = None
    if owner_id is not None and not 0 < owner_id <= MAX_ID:
        owner_id = None  # no such user: beyond INTEGER the database would refuse the query
    kind = request.args.get("alert", "")
    report = portfolio_rows(as_of, owner_id=owner_id, alert_kind=kind or None)
    page_number, per_page = clamp_page_args(
        request.args.get("page"), request.args.get("per_page"), PORTFOLIO_PAGE
    )
    start = (page_number - 1) * per_page
    return render_template(
        "engagement/portfolio.html",
        as_of=as_of,
        report=report,
        rows=report.rows[start : start + per_page],
        page_number=page_number,
        per_page=per_page,
        owner_id=owner_id,
        alert_kind=kind,
        alert_labels=ALERT_LABELS,
        alert_kinds=list(AlertKind),
        settings=current_settings(),
        describe_cadence=describe_cadence,
    )


# -- the account's engagement page ------------------------------------------------


def account_engagement(account_id: int):
    account = or_404(get_account, account_id)
    as_of = date.today()
    overrides = queries.cadence_overrides(account.id)
    figures = engagement_of_account(account.id, as_of, overrides=overrides)
    moves = presenters.recent_moves(account.id, as_of)
    rows = presenters.map_rows(figures, moves)
    page_number, per_page = clamp_page_args(
        request.args.get("page"), request.args.get("per_page"), 20
    )
    interactions = paginate(
        queries.interactions_statement(account.id), page_number, per_page, scalars=True
    )
    return render_template(
        "engagement/account.html",
        account=account,
        figures=figures,
        rows=rows,
        moves=moves,
        names={p.id: p.name for p in figures.people},
        circle_map=presenters.circle_map(
            figures, rows, f"Decision-maker circle map of {account.name}", "map-full"
        ),
        org=presenters.org_chart(figures),
        nps_chart=presenters.nps_trend_chart(figures),
        interactions=interactions,
        overrides=overrides,
        describe_cadence=describe_cadence,
        can_edit=_can_edit(),
        action_form=ActionForm(),
    )


def cadence(account_id: int):
    account = _account_for_edit(account_id)
    overrides = queries.cadence_overrides(account.id)
    form = CadenceForm()
    if request.method == "GET":
        for circle in CIRCLES:
            getattr(form, f"circle_{circle}").data = overrides.get(circle)
    if form.validate_on_submit():
        days = {c: getattr(form, f"circle_{c}").data for c in CIRCLES}
        try:
            cadence_service.set_cadence_overrides(current_user, account, days)
        except ServiceError as exc:
            attach_service_errors(form, exc)
        else:
            flash_saved(_("Contact cadence"))
            return redirect(_account_page(account.id))
    return (
        render_template(
            "engagement/cadence_form.html",
            account=account,
            form=form,
            defaults=current_settings().cadence_days,
            describe_cadence=describe_cadence,
        ),
        422 if form.errors else 200,
    )


# -- interactions -------------------------------------------------------------------


def _interaction_form(account, interaction=None, *, refill: bool = False) -> InteractionForm:  # noqa: ANN001
    """The form, from the posted data or the interaction; ``refill``: from the interaction
    even in a POST (after a conflict: the current values)."""
    form = (
        InteractionForm(formdata=None, obj=interaction)
        if refill
        else InteractionForm(obj=interaction)
    )
    people = sorted(account.stakeholders, key=lambda s: (not s.active, s.circle, s.name.lower()))
    form.set_choices(people, active_users())
    if interaction is not None and (refill or not form.is_submitted()):
        form.date.data = interaction.occurred_on
        form.stakeholder_ids.data = interaction.stakeholder_ids
        form.our_people_ids.data = [u.id for u in interaction.colleagues]
    elif interaction is None and not form.is_submitted():
        form.date.data = date.today()
        form.our_people_ids.data = [current_user.id]
        wanted = request.args.get("stakeholder_id", type=int)
        if wanted and any(s.id == wanted for s in people):
            form.stakeholder_ids.data = [wanted]
    return form


def edit_interaction(account_id: int, interaction_id: int | None = None):
    _account_for_edit(account_id)
    account = account_with_people(account_id)
    interaction = (
        or_404(interaction_service.get_interaction, account, interaction_id)
        if interaction_id
        else None
    )
    form = _interaction_form(account, interaction)
    stamp = submitted_stamp() if interaction is not None and form.is_submitted() else None
    conflict = None
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        try:
            if interaction is None:
                interaction = interaction_service.create_interaction(current_user, account, data)
            else:
                interaction_service.update_interaction(
                    current_user, account, interaction, data, expected_version=stamp.sent_version()
                )
        except StaleEdit as exc:
            conflict = explain_conflict(
                exc, interaction, interaction_json, form, stamp, noun=_("interaction")
            )
            form = form_after_conflict(
                conflict, lambda: _interaction_form(account, interaction, refill=True)
            )
            if form is None:
                return redirect(_account_page(account.id))
            stamp = None
        except ServiceError as exc:
            attach_service_errors(form, exc)
        else:
            flash_saved(_("Interaction"))
            return redirect(_back(_account_page(account.id)))
    if interaction is not None and stamp is None:
        stamp = stamp_for(interaction, interaction_json)
    history = queries.interaction_history(interaction.id) if interaction else []
    return (
        render_template(
            "engagement/interaction_form.html",
            account=account,
            form=form,
            stamp=stamp,
            conflict=conflict,
            interaction=interaction,
            history=history,
            back=_back(_account_page(account.id)),
        ),
        409 if conflict else 422 if form.errors else 200,
    )


def delete_interaction(account_id: int, interaction_id: int):
    account = _account_for_edit(account_id)
    interaction = or_404(interaction_service.get_interaction, account, interaction_id)
    form = ConfirmDeleteForm.for_record(interaction)
    what = _("the %(type)s of %(day)s", type=interaction.type, day=interaction.occurred_on)
    if form.validate_on_submit():
        try:
            interaction_service.delete_interaction(
                current_user, interaction, expected_version=form.sent_version()
            )
        except StaleEdit:
            flash_stale_delete(what)
        else:
            flash(_("Deleted %(what)s.", what=what), "success")
        return redirect(_account_page(account.id))
    return render_template(
        "confirm_delete.html",
        form=form,
        what=what,
        consequence=_("The audit trail keeps what it said. This cannot be undone."),
        cancel_url=_account_page(account.id),
    )


def complete_next_step(account_id: int, interaction_id: int):
    account = _account_for_edit(account_id)
    interaction = or_404(interaction_service.get_interaction, account, interaction_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        interaction_service.complete_next_step(current_user, interaction)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Next step marked done."), "success")
    return redirect(_back(_account_page(account.id)))


# -- people ---------------------------------------------------------------------------


def stakeholder_page(account_id: int, stakeholder_id: int):
    account = or_404(get_account, account_id)
    person = or_404(get_stakeholder, account, stakeholder_id)
    as_of = date.today()
    figures = engagement_of_account(
        account.id, as_of, overrides=queries.cadence_overrides(account.id)
    )
    page_number, per_page = clamp_page_args(
        request.args.get("page"), request.args.get("per_page"), 20
    )
    interactions = paginate(
        queries.interactions_statement(account.id, person.id), page_number, per_page, scalars=True
    )
    changes = [record for _, record in queries.stance_changes(account.id, person.id)]
    surveys = queries.survey_responses_of(person.id)
    # Answers and stance changes go on the page of interactions whose dates they fall among
    # (up to the last day of the previous page), so paging shows each of them once.
    oldest = interactions.items[-1].occurred_on if interactions.has_next else date.min
    before = date.max
    if interactions.has_prev:
        start = (interactions.page - 1) * interactions.per_page
        before = queries.interaction_day_at(account.id, person.id, start - 1) or date.max

    def on_this_page(day: date) -> bool:
        return oldest <= day < before if interactions.has_prev else oldest <= day

    timeline = sorted(
        [(i.occurred_on, 2, "interaction", i) for i in interactions.items]
        + [(s.answered_on, 1, "survey", s) for s in surveys if on_this_page(s.answered_on)]
        + [(c.changed_on, 0, "stance", c) for c in changes if on_this_page(c.changed_on)],
        key=lambda row: (row[0], row[1], getattr(row[3], "id", 0)),
        reverse=True,
    )
    stance_form = StanceForm(data={"stance": person.stance, "influence": person.influence})
    return render_template(
        "engagement/stakeholder.html",
        account=account,
        person=person,
        score=figures.scores.get(person.id),
        status=figures.statuses.get(person.id),
        timeline=timeline,
        interactions=interactions,
        stance_form=stance_form,
        can_edit=_can_edit(),
        action_form=ActionForm(),
    )


def change_stance(account_id: int, stakeholder_id: int):
    account = _account_for_edit(account_id)
    person = or_404(get_stakeholder, account, stakeholder_id)
    form = StanceForm()
    back = url_for("engagement.stakeholder_page", account_id=account.id, stakeholder_id=person.id)
    if form.validate_on_submit():
        try:
            stance_service.change_stance(
                current_user, account, person, form.stance.data, form.influence.data, form.note.data
            )
        except ServiceError as exc:
            flash(exc.message, "error")
            return redirect(back), 303
        flash_saved(_("Stance"))
        return redirect(back)
    for messages in form.errors.values():
        for message in messages:
            flash(message, "error")
    return redirect(back), 303


def new_survey_response(account_id: int, stakeholder_id: int):
    account = _account_for_edit(account_id)
    person = or_404(get_stakeholder, account, stakeholder_id)
    form = SurveyResponseForm()
    if not form.is_submitted():
        form.date.data = date.today()
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        try:
            survey_service.record_survey_response(current_user, person, data)
        except ServiceError as exc:
            attach_service_errors(form, exc)
        else:
            flash_saved(_("NPS answer"))
            return redirect(
                url_for(
                    "engagement.stakeholder_page", account_id=account.id, stakeholder_id=person.id
                )
            )
    return (
        render_template("engagement/survey_form.html", account=account, person=person, form=form),
        422 if form.errors else 200,
    )
