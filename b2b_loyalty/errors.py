"""Error pages, and JSON errors for anything under /api/."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from b2b_loyalty.api.errors import api_error
from b2b_loyalty.services.errors import ServiceError


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        message = "The form expired or was not sent from this site; reload the page and try again."
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        if _wants_json():
            return api_error(exc.status, exc.message, exc.fields, exc.details())
        return render_template("error.html", code=exc.status, message=exc.message), exc.status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        if _wants_json():
            return api_error(code, exc.description or exc.name)
        return render_template("error.html", code=code, message=exc.description), code
