"""Static files: compressed (brotli, gzip) and cached for a year under content-addressed URLs,
with no build step.

The whole static tree is served under one prefix named by a hash of its content,
``/static/<hash>/js/main.js``: any change to any file changes every URL, so a browser may keep
what it fetched forever (``Cache-Control: max-age=315360000, public, immutable``), and the ES
modules' relative imports keep working because the tree keeps its shape. Templates write URLs
with ``static_url("js/main.js")``.

At start-up the tree is copied once per hash into a cache directory (STATIC_CACHE_DIR, the
system's temp dir by default) with a ``.br`` and a ``.gz`` beside each file that compresses
(whitenoise.compress: brotli quality 11, gzip -9; about half a second for this tree, done by the
first worker, reused by the others and by restarts). WhiteNoise serves that copy in front of
Flask: it picks the encoding from Accept-Encoding, sends ``Vary``, ETag and Last-Modified, and
answers conditional and range requests. Security headers are added to its responses here
(they never reach Flask's after_request hooks).

Anything else under /static/ is answered by Flask: an old hash (a page loaded before a deploy) or
no hash (an old link) is redirected to the current URL of the same file, without caching the
redirect; HTML pages are ``no-cache``, so a reload always gets the current hashes. A static file
edited while the server runs is served under its old hash until the server restarts.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

from flask import abort, current_app, redirect
from werkzeug.security import safe_join
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from .headers import CSP, HEADERS

ROOT = Path(__file__).resolve().parents[2] / "static"
HASH_LEN = 12
_HASHED = re.compile(rf"^[0-9a-f]{{{HASH_LEN}}}$")
CACHE_PREFIX = "zmq-playground-static-"


def tree_hash(root: Path = ROOT) -> str:
    """A hash of every file's path and bytes under ``root``: the tree's version."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix().encode()
        h.update(len(rel).to_bytes(4, "big") + rel)
        data = path.read_bytes()
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()[:HASH_LEN]


def compressed_copy(root: Path, version: str, cache_dir: str | None = None) -> Path:
    """The directory holding ``root``'s files and their .br/.gz versions for ``version``, built
    if missing (atomically: workers starting together each build, the first rename wins)."""
    base = Path(cache_dir or tempfile.gettempdir())
    final = base / f"{CACHE_PREFIX}{version}"
    if final.is_dir():
        return final
    base.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{CACHE_PREFIX}{version}-", dir=base))
    try:
        shutil.copytree(root, work, dirs_exist_ok=True)
        compressor = Compressor(quiet=True)
        for path in sorted(p for p in work.rglob("*") if p.is_file()):
            if compressor.should_compress(path.name):
                compressor.compress(str(path))
        work.chmod(0o755)  # mkdtemp makes it private; other users' workers may read it
        try:
            os.rename(work, final)
        except OSError:
            if not final.is_dir():  # not a lost race: a real failure
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def _static_headers(headers, path, url) -> None:
    """What Flask's hooks (headers.py, framing.py) add to every response, for WhiteNoise's."""
    for name, value in HEADERS.items():
        headers[name] = value
    csp = "; ".join(f"{k} {v}" for k, v in CSP.items())
    headers["Content-Security-Policy"] = f"{csp}; frame-ancestors 'none'"
    headers["X-Frame-Options"] = "DENY"


def static_url(path: str) -> str:
    """The URL of a file of static/, e.g. ``static_url("js/main.js")``."""
    return f"/static/{current_app.config['STATIC_HASH']}/{path.lstrip('/')}"


def static_fallback(path: str):
    """/static/<old hash>/<file> and /static/<file>: the file's current URL (302, not cached)."""
    first, _, rest = path.partition("/")
    rel = rest if _HASHED.match(first) and rest else path
    full = safe_join(str(ROOT), rel)
    if full is None or not os.path.isfile(full):
        abort(404)
    resp = redirect(static_url(rel), code=302)
    resp.headers["Cache-Control"] = "no-cache"
    return resp


def _html_not_cached(response):
    """A page names the current hashes: it must be revalidated, never kept."""
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-cache")
    return response


def init_app(app) -> None:
    """Serve static/ compressed under /static/<hash>/ and give templates ``static_url``."""
    version = tree_hash(ROOT)
    app.config["STATIC_HASH"] = version
    served = compressed_copy(ROOT, version, app.config.get("STATIC_CACHE_DIR"))
    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=str(served),
        prefix=f"static/{version}/",
        immutable_file_test=lambda path, url: True,  # the prefix changes with any content
        allow_all_origins=False,
        add_headers_function=_static_headers,
    )
    app.add_url_rule("/static/<path:path>", "static", static_fallback)
    app.jinja_env.globals["static_url"] = static_url
    app.after_request(_html_not_cached)
