"""API blueprints for the core and for plugins: /api/v1, bearer tokens, one error shape.

A plugin that offers API routes makes its blueprint with ``api_blueprint``
(named after the plugin, e.g. ``api_blueprint("engagement_api")``) and gets the
same authentication, record-level access scope, CSRF exemption and JSON errors
as the core's own API; ``g.api_user`` is the caller.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, request
from werkzeug.exceptions import HTTPException

from b2b_loyalty.access import AccessScope, set_access_scope
from b2b_loyalty.api.errors import api_error
from b2b_loyalty.api.token_auth import authenticate_bearer_token
from b2b_loyalty.extensions import csrf
from b2b_loyalty.services.errors import ServiceError

API_URL_PREFIX = "/api/v1"


def _authenticate():  # noqa: ANN202
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "api_public", False):  # the spec and its docs page hold no data
        set_access_scope(AccessScope.for_user(None))
        return None
    check = authenticate_bearer_token()
    set_access_scope(AccessScope.for_user(check.user))
    if check.user is None:
        response, status = api_error(401, check.message)
        response.headers["WWW-Authenticate"] = 'Bearer realm="b2b_loyalty"'
        return response, status
    g.api_user = check.user
    return None


def _service_error(exc: ServiceError):  # noqa: ANN202
    return api_error(exc.status, exc.message, exc.fields, exc.details())


def _http_error(exc: HTTPException):  # noqa: ANN202
    return api_error(exc.code or 500, exc.description or exc.name)


def api_blueprint(name: str, import_name: str = __name__) -> Blueprint:
    bp = Blueprint(name, import_name, url_prefix=API_URL_PREFIX)
    # Bearer tokens are not sent by browsers on their own, so CSRF cannot forge them.
    csrf.exempt(bp)
    bp.before_request(_authenticate)
    bp.register_error_handler(ServiceError, _service_error)
    bp.register_error_handler(HTTPException, _http_error)
    return bp
