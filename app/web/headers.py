"""Security headers on every response, from one ``after_request`` function.

The page is same-origin only: its scripts, styles and the /ws websocket come from this server;
no inline script runs (the JSON data blocks in shared/embed pages are not scripts), no user code
runs anywhere. No Cross-Origin-Resource-Policy: badges (/badge/<id>.svg) are meant to be shown
as images on other sites. Framing is decided by app/web/framing.py (embed pages may be framed,
nothing else):
this module leaves ``frame-ancestors`` and ``X-Frame-Options`` alone, and keeps any header a
route has set itself, so a route can override any of these.
"""

from __future__ import annotations

from flask import request

# Content-Security-Policy directives (frame-ancestors is framing.py's).
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def _merge_csp(existing: str, wanted: dict) -> str:
    """``existing`` plus every directive of ``wanted`` it does not set already."""
    present = {
        part.strip().split(" ", 1)[0].lower() for part in existing.split(";") if part.strip()
    }
    extra = [f"{name} {value}" for name, value in wanted.items() if name not in present]
    parts = [p.strip() for p in existing.split(";") if p.strip()] + extra
    return "; ".join(parts)


def csp_for_request() -> dict:
    """The CSP directives for this request: 'self' plus this host's ws:/wss: for the websocket
    (older browsers do not let 'self' cover websocket schemes)."""
    host = request.host
    directives = dict(CSP)
    if host:
        directives["connect-src"] = f"'self' ws://{host} wss://{host}"
    return directives


def security_headers(response):
    """Add the security headers a route has not set itself."""
    headers = response.headers
    for name, value in HEADERS.items():
        headers.setdefault(name, value)
    headers["Content-Security-Policy"] = _merge_csp(
        headers.get("Content-Security-Policy", ""), csp_for_request()
    )
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app) -> None:
    """Install :func:`security_headers` for every response of ``app``."""
    app.after_request(security_headers)
