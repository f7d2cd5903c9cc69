"""Dynamic responses compressed and revalidated: the JSON the editor fetches on every visit
(``/api/meta`` is ~40 KB, the largest response of the page) and the HTML pages.

Static files are compressed ahead of time (app/web/assets.py); these are made per request, so
they get gzip at a moderate level (about 1 ms for /api/meta) and an ETag, so a returning page's
conditional GET is answered 304 with no body. Only GET and HEAD, only 200 responses of at least
``MIN_BYTES`` of a compressible type, only when the client says it accepts gzip; websocket
upgrades and streamed responses are left alone.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

MIN_BYTES = 1024
LEVEL = 6
TYPES = frozenset(("application/json", "text/html", "image/svg+xml", "text/plain"))


def compress_response(response: Response) -> Response:
    """Add an ETag (and answer 304 when it matches), then gzip the body when worth it."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.direct_passthrough or response.is_streamed:
        return response
    if response.mimetype not in TYPES or "Content-Encoding" in response.headers:
        return response
    data = response.get_data()
    gz = len(data) >= MIN_BYTES and "gzip" in request.accept_encodings
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if not etag:
        response.add_etag()
        etag, weak = response.get_etag()
    if gz:
        # a compressed representation is a different entity: its validator differs (RFC 9110)
        response.set_etag(etag + "-gz", weak=weak)
    response.make_conditional(request)
    if response.status_code != 200:  # 304 Not Modified: no body to send
        return response
    if gz:
        response.set_data(gzip.compress(data, compresslevel=LEVEL, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress_response)
