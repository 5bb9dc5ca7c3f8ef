"""Security headers on every response: what a browser may load, frame, sniff, send and keep.

The Content-Security-Policy allows nothing inline (no ``<script>`` or ``<style>`` blocks, no
``style=`` attributes, no ``on...=`` handlers): templates take their CSS and JavaScript from
app/static only, so an injected snippet cannot run even if escaping ever fails somewhere.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_login import current_user

from app.config import DEVELOPMENT_ENVS

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
])
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Only where the site is served over https: a browser that saw HSTS from a local
# http demo would refuse plain http on that host for a year.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
}


def _set_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["TALENTMATCH_ENV"] not in DEVELOPMENT_ENVS:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    # A logged-in user's pages name students, scores and contact details: no browser or
    # proxy may keep a copy (the back button after logging out on a shared school computer).
    # Static files are the same for everybody and may stay cached.
    if request.endpoint != "static" and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_security_headers(app: Flask) -> None:
    app.after_request(_set_security_headers)
