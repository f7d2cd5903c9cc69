"""Who may put our pages in a frame: embed pages anyone, every other response no one.

One ``after_request`` hook (installed by ``init_app``) so the rule lives in one place. A
Content-Security-Policy set elsewhere is kept; only its ``frame-ancestors`` is decided here.
"""

from __future__ import annotations

from flask import request

# Endpoints whose pages are meant to live in another site's iframe.
EMBEDDABLE = {"share.embed_state", "share.embed_saved"}


def frame_headers(response):
    """Add ``frame-ancestors *`` to embed pages; DENY framing of everything else."""
    csp = response.headers.get("Content-Security-Policy", "")
    if "frame-ancestors" not in csp:
        embeddable = request.endpoint in EMBEDDABLE
        directive = "frame-ancestors *" if embeddable else "frame-ancestors 'none'"
        response.headers["Content-Security-Policy"] = f"{csp}; {directive}" if csp else directive
        if not embeddable:
            response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app) -> None:
    """Install the framing rule for every response of ``app``."""
    app.after_request(frame_headers)
