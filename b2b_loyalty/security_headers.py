"""Security headers on every response (pages, JSON, errors, static files), set in one place.

The Content-Security-Policy allows scripts and style sheets from this site only:
no inline ``<script>``, no ``on...=`` handlers, no ``javascript:`` URLs, no
inline ``<style>`` elements (tests/test_security_headers.py checks the
templates). Inline ``style="..."`` *attributes* are allowed
(``style-src-attr``) because bundled plugins size bars with them; they cannot
run script. Nothing may frame the app (clickjacking), and forms post only back
to it.

A hand-written ``after_request`` rather than a library: it is a dozen headers
and no HTTPS redirect (the TLS proxy in front does that).
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-elem 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
STATIC_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def init_security_headers(app: Flask) -> None:
    https = app.config.get("PREFERRED_URL_SCHEME") == "https"

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        if https or request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        # Pages and API answers hold client data: never keep them in a shared or
        # browser cache. Static files keep their normal caching.
        if request.endpoint != "static" and not (request.endpoint or "").endswith(".static"):
            response.headers.setdefault("Cache-Control", "no-store")
        # API answers are data, never a page to render (ASVS 14.4.2).
        if request.path.startswith("/api/") and response.mimetype == "application/json":
            response.headers.setdefault("Content-Disposition", 'attachment; filename="api.json"')
        return response
