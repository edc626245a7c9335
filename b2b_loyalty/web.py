"""Helpers shared by the server-rendered views."""

from __future__ import annotations

from flask import abort, flash
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from b2b_loyalty.services.errors import NotFound, ServiceError


def attach_service_errors(form: FlaskForm, error: ServiceError) -> None:
    """Show a service's field errors beside the form fields they belong to."""
    placed = False
    for name, messages in error.fields.items():
        field = getattr(form, name, None)
        if field is None and name == "category":
            field = getattr(form, "category_id", None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
            placed = True
    if not placed:
        flash(error.message, "error")


def or_404(call, *args, **kwargs):  # noqa: ANN001, ANN201
    """Run a service lookup; a NotFound becomes the 404 page."""
    try:
        return call(*args, **kwargs)
    except NotFound:
        abort(404)


def flash_saved(what: str) -> None:
    flash(_("%(what)s saved.", what=what), "success")
