"""/api/v1/discount-schedules: versions, drafts and their approval.

``version`` is the schedule's version number (1, 2, ...); the row version used
for optimistic locking is ``row_version``. A PATCH must send the ``row_version``
it read (409 with what changed when the draft was saved by someone else
since); submit, approve and reject accept it too, to act only on what was read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from b2b_loyalty.api.form_input import BadRequestBody, json_body
from b2b_loyalty.api.pages import paged_json
from b2b_loyalty.api.row_versions import conflicts_explained, sent_row_version
from b2b_loyalty.api.serializers import iso_datetime
from b2b_loyalty.domain.schedule_workflow import ScheduleStatus
from b2b_loyalty.models import ScheduleVersion
from b2b_loyalty.services import discount_schedules as service

ROW_VERSION_KEY = "row_version"
# Keys a client may send back from what it read; ignored (``row_version`` is read apart).
READ_ONLY = frozenset({"id", "status", "version", ROW_VERSION_KEY})

SCHEDULE_FIELDS = frozenset(
    {
        "name",
        "description",
        "basis",
        "mode",
        "scope",
        "currency",
        "tiers",
        "effective_from",
        "change_note",
    }
)


def schedule_json(version: ScheduleVersion) -> dict[str, Any]:
    return {
        "id": version.id,
        "family_id": version.family_id,
        "name": version.family.name,
        "description": version.family.description,
        "version": version.version,
        "basis": version.basis,
        "mode": version.mode,
        "scope": version.scope,
        "currency": version.currency,
        "status": version.status,
        "effective_from": version.effective_from.isoformat(),
        "effective_to": version.effective_to.isoformat() if version.effective_to else None,
        "tiers": [{"from": str(t.from_value), "percent": str(t.percent)} for t in version.tiers],
        "change_note": version.change_note,
        "created_by_id": version.created_by_id,
        "created_at": iso_datetime(version.created_at),
        "decided_by_id": version.decided_by_id,
        "decided_at": iso_datetime(version.decided_at),
        "decision_comment": version.decision_comment,
        ROW_VERSION_KEY: version.row_version,
    }


def list_schedules():
    stmt = (
        select(ScheduleVersion)
        .options(selectinload(ScheduleVersion.tiers), selectinload(ScheduleVersion.family))
        .order_by(ScheduleVersion.family_id, ScheduleVersion.version)
    )
    status = request.args.get("status")
    if status:
        if status not in {s.value for s in ScheduleStatus}:
            raise BadRequestBody(f"Unknown status {status!r}.")
        stmt = stmt.where(ScheduleVersion.status == status)
    return paged_json(stmt, schedule_json)


def _body() -> dict[str, Any]:
    body = json_body()
    unknown = sorted(set(body) - SCHEDULE_FIELDS - READ_ONLY)
    if unknown:
        from b2b_loyalty.services.errors import ValidationFailed

        raise ValidationFailed(
            "The request has invalid fields.", {k: ["Unknown field."] for k in unknown}
        )
    wrong = {
        k: ["Must be text."]
        for k in (
            "name",
            "description",
            "change_note",
            "effective_from",
            "basis",
            "mode",
            "scope",
            "currency",
        )
        if body.get(k) is not None and not isinstance(body[k], str)
    }
    if body.get("tiers") is not None and not isinstance(body["tiers"], list):
        wrong["tiers"] = ["Must be a list of {from, percent}."]
    if wrong:
        from b2b_loyalty.services.errors import ValidationFailed

        raise ValidationFailed("The request has invalid fields.", wrong)
    return {k: v for k, v in body.items() if k in SCHEDULE_FIELDS}


def create_schedule():
    version = service.create_schedule(
        g.api_user, _body(), currency=current_app.config["BASE_CURRENCY"]
    )
    return jsonify(schedule_json(version)), 201


def get_schedule(schedule_id: int):
    return jsonify(schedule_json(service.get_version(schedule_id)))


def update_schedule(schedule_id: int):
    version = service.get_version(schedule_id)
    data = _body()
    expected = sent_row_version(json_body(), ROW_VERSION_KEY)
    with conflicts_explained(version, schedule_json, data, ROW_VERSION_KEY, sent_version=expected):
        service.update_draft(g.api_user, version, data, expected_version=expected)
    return jsonify(schedule_json(version))


def _optional_row_version() -> int | None:
    """The ``row_version`` a workflow step names (optional: act only on what was read)."""
    body = json_body()
    return sent_row_version(body, ROW_VERSION_KEY) if ROW_VERSION_KEY in body else None


def new_version(schedule_id: int):
    body = json_body()
    draft = service.new_version(
        g.api_user, service.get_version(schedule_id), effective_from=body.get("effective_from")
    )
    return jsonify(schedule_json(draft)), 201


def _comment() -> str | None:
    comment = json_body().get("comment")
    if comment is not None and not isinstance(comment, str):
        raise BadRequestBody("comment must be text.")
    return comment


def _step(schedule_id: int, step: Callable[..., Any], *, with_comment: bool = True):  # noqa: ANN202
    version = service.get_version(schedule_id)
    args = (_comment(),) if with_comment else ()
    expected = _optional_row_version()
    with conflicts_explained(version, schedule_json, {}, ROW_VERSION_KEY, sent_version=expected):
        step(g.api_user, version, *args, expected_version=expected)
    return jsonify(schedule_json(version))


def submit(schedule_id: int):
    return _step(schedule_id, service.submit, with_comment=False)


def approve(schedule_id: int):
    return _step(schedule_id, service.approve)


def reject(schedule_id: int):
    return _step(schedule_id, service.reject)
