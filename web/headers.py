"""The security headers of every response: the CSP, no sniffing, no framing, no caching of
the API.

The CSP allows no inline script and nothing from another origin: page data reaches
scripts as JSON in ``<script type="application/json">`` blocks or by fetch. vis-network
sets element styles from script (allowed); it needs no inline style, so styles are
'self' too. A view may set its own CSP (the sandboxed HTML export does).
"""

from __future__ import annotations

from flask import Flask, Response, request

__all__ = ["CSP", "init_app"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response of ``app``."""
    app.after_request(_security_headers)
