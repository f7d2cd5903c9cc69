"""Share links, embeds, oEmbed and badges (docs/embedding.md).

- ``POST /api/topologies`` saves a topology (and optionally a recorded run): ``{"id", ...urls}``
- ``GET /api/topologies/<id>`` loads it back (JSON 404 when unknown)
- ``GET /t/<id>`` opens it in the editor; ``/embed/<id>`` and ``/embed#v=1&t=...`` in embed mode
- ``GET /oembed?url=...`` answers oEmbed ``rich``; ``GET /badge/<id>.svg`` is a picture of it
Unknown ids get a friendly HTML 404 page (JSON under /api), never a 500.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ..export.picture import topology_svg
from ..links import encode_state, is_id, shareable, state_from_url
from ..links.recording import check_recording
from ..storage import StorageError, get_storage
from ..topology import parse_json
from .ledger import get_ledger
from .limits import client_address, read_body

bp = Blueprint("share", __name__)

EMBED_W, EMBED_H = 800, 450
PROVIDER = "ZeroMQ Pattern Playground"


@bp.errorhandler(HTTPException)
def _http_error(err: HTTPException):
    """JSON errors for the API and oEmbed; the default HTML page elsewhere."""
    if request.path.startswith("/api/") or request.path == "/oembed":
        return jsonify(error=err.description or err.name), err.code
    return err


def _api_error(status: int, message: str, **extra):
    """A JSON error from the share API."""
    return jsonify(error=message, **extra), status


def _not_found_page(what: str, embed: bool = False):
    """The friendly HTML 404 (also inside an iframe, where it must fit)."""
    return render_template("not_found.html", what=what, embed=embed), 404


def _load(item_id: str):
    """The saved item, None when unknown; storage trouble becomes a 503."""
    try:
        return get_storage().load(item_id) if is_id(item_id) else None
    except StorageError as err:
        current_app.logger.error("storage: %s", err)
        abort(503, description="saved topologies are unavailable right now")


def _urls(item_id: str, topology: dict) -> dict:
    """Every address a saved item has."""
    root = request.host_url.rstrip("/")
    return {
        "id": item_id,
        "url": f"{root}/t/{item_id}",
        "embed": f"{root}/embed/{item_id}",
        "badge": f"{root}/badge/{item_id}.svg",
        "full": f"{root}/{encode_state(topology)}",
        "oembed": f"{root}/oembed?url={quote(f'{root}/t/{item_id}', safe='')}&format=json",
    }


@bp.post("/api/topologies")
def save():
    """Save ``{"topology", "recording"?}`` (or a bare topology); same content → same id."""
    request.max_content_length = current_app.config["SHARE_MAX_BYTES"]
    try:
        raw = read_body()
        body, problems = parse_json(raw, max_bytes=current_app.config["SHARE_MAX_BYTES"])
    except HTTPException as err:
        return _api_error(err.code or 413, err.description or "the request is too large")
    if problems:
        return _api_error(400, problems[0]["message"], errors=problems)
    if isinstance(body, dict) and "topology" in body:
        topology, recording = body.get("topology"), body.get("recording")
        extra = set(body) - {"topology", "recording"}
        if extra:
            return _api_error(400, f"unknown field(s): {', '.join(sorted(extra))}")
    else:
        topology, recording = body, None
    doc, problems = shareable(topology)
    if problems:
        return _api_error(
            422,
            f"the topology has {len(problems)} problem(s); fix them to share "
            "a short link (the full link works as is)",
            errors=problems,
        )
    item = {"topology": doc}
    if recording is not None:
        rec_problem = check_recording(recording)
        if rec_problem:
            return _api_error(422, f"recording: {rec_problem}")
        item["recording"] = recording
    cfg = current_app.config
    refusal = get_ledger(current_app).book_save(
        client_address(request.environ),
        len(raw),
        int(cfg.get("SAVES_PER_MINUTE") or 0),
        int(cfg.get("SAVE_BYTES_PER_HOUR") or 0),
    )
    if refusal:
        return _api_error(503 if refusal.limit == "DATABASE_URL" else 429, refusal.message)
    try:
        item_id = get_storage().save(item)
    except StorageError as err:
        current_app.logger.error("storage: %s", err)
        return _api_error(503, "saved topologies are unavailable right now")
    return jsonify({**_urls(item_id, doc), "recording": recording is not None}), 201


@bp.get("/api/topologies/<item_id>")
def load(item_id: str):
    """``{"id", "topology", "recording"?}`` of a saved item, or a JSON 404."""
    item = _load(item_id)
    if item is None:
        return _api_error(404, f"no saved topology has the id {item_id!r}")
    return jsonify(id=item_id, **item)


@bp.get("/t/<path:item_id>")
def open_saved(item_id: str):
    """A saved topology in the editor (with oEmbed discovery for link unfurlers)."""
    item = _load(item_id)
    if item is None:
        return _not_found_page("topology")
    return render_template(
        "shared.html",
        item=item,
        item_id=item_id,
        title=_title(item["topology"]),
        urls=_urls(item_id, item["topology"]),
    )


@bp.get("/embed/<path:item_id>")
def embed_saved(item_id: str):
    """A saved topology in embed mode (options in the query string)."""
    item = _load(item_id)
    if item is None:
        return _not_found_page("topology", embed=True)
    return render_template(
        "embed.html",
        item=item,
        item_id=item_id,
        title=_title(item["topology"]),
        urls=_urls(item_id, item["topology"]),
    )


@bp.get("/embed")
def embed_state():
    """Embed mode for a full link: the topology is in the fragment, read by the page."""
    return render_template("embed.html", item=None, item_id=None, title=PROVIDER, urls=None)


@bp.get("/oembed")
def oembed():
    """oEmbed (https://oembed.com): a ``rich`` iframe for a /t/, /embed/ or full-link URL."""
    fmt = request.args.get("format", "json")
    if fmt != "json":
        return _api_error(501, f"format {fmt!r} is not supported: only json")
    url = request.args.get("url", "")
    if not url:
        return _api_error(400, "the url parameter is required")
    width = _clamp(request.args.get("maxwidth"), EMBED_W)
    height = _clamp(request.args.get("maxheight"), EMBED_H)
    root = request.host_url.rstrip("/")
    found = _resolve(url)
    if found is None:
        return _api_error(404, "that URL is not a topology of this playground")
    src, topology = found
    title = _title(topology)
    html = (
        f'<iframe src="{root}{src}" width="{width}" height="{height}" '
        f'title="{_attr(title)}" loading="lazy" style="border:0;border-radius:8px" '
        'allow="clipboard-write"></iframe>'
    )
    body = {
        "version": "1.0",
        "type": "rich",
        "provider_name": PROVIDER,
        "provider_url": root + "/",
        "title": title,
        "html": html,
        "width": width,
        "height": height,
        "cache_age": 86400,
    }
    if src.startswith("/embed/"):
        body.update(thumbnail_url=f"{root}/badge/{src.rsplit('/', 1)[1]}.svg")
    return jsonify(body)


@bp.get("/badge/<item_id>.svg")
def badge(item_id: str):
    """A picture of a saved topology (for markdown: it links to the live one)."""
    item = _load(item_id)
    if item is None:
        return Response(
            topology_svg(None, "Topology not found"), status=404, mimetype="image/svg+xml"
        )
    svg = topology_svg(item["topology"], _title(item["topology"]))
    resp = Response(svg, mimetype="image/svg+xml")
    resp.headers["Cache-Control"] = "public, max-age=31536000, immutable"  # ids never change
    return resp


def _resolve(url: str):
    """(embed path, topology) for a playground URL, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    path = parts.path.rstrip("/")
    for prefix in ("/t/", "/embed/"):
        if path.startswith(prefix):
            item_id = path[len(prefix) :]
            item = _load(item_id)
            return None if item is None else (f"/embed/{item_id}", item["topology"])
    if path in ("", "/embed"):
        state = state_from_url(url)
        if state is None:
            return None
        return f"/embed{encode_state(state['doc'])}", state["doc"]
    return None


def _title(topology) -> str:
    title = topology.get("title") if isinstance(topology, dict) else None
    return title.strip() if isinstance(title, str) and title.strip() else "ZeroMQ topology"


def _clamp(value, default: int) -> int:
    """min(default, maxwidth/maxheight), never below 200 px."""
    try:
        limit = int(value)
    except (TypeError, ValueError):
        return default
    return max(200, min(default, limit))


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def init_app(app) -> None:
    """Register the blueprint and open the storage it needs."""
    from .. import storage

    storage.init_app(app)
    app.register_blueprint(bp)
