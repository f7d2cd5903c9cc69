"""The JSON API: editor metadata, presets, validation. Errors are JSON, never HTML 500s."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify
from werkzeug.exceptions import HTTPException

from ..presets import get_preset, list_presets
from ..topology import MAX_JSON_BYTES, build_meta, parse_json, prepare
from ..topology.advice import advise
from .limits import read_body, topology_limits

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.errorhandler(HTTPException)
def _http_error(err: HTTPException):
    """Every API error is ``{"error": ...}`` with the HTTP status."""
    return jsonify(error=err.description or err.name), err.code


@bp.get("/meta")
def meta():
    """Socket types, pairs, options and node kinds for the editor."""
    return jsonify(build_meta(topology_limits(current_app.config)))


@bp.get("/presets")
def presets():
    """The ready-made patterns: ids and titles."""
    return jsonify(list_presets())


@bp.get("/presets/<preset_id>")
def preset(preset_id: str):
    """One preset: its topology and explanation."""
    found = get_preset(preset_id)
    if found is None:
        abort(404, description=f"no preset called {preset_id!r}")
    return jsonify(found)


@bp.post("/validate")
def validate():
    """Validate a topology document: ``{"ok", "errors", "warnings"}`` (never a 500, whatever the
    body). Warnings (app/topology/advice.py) come only with a valid document."""
    limits = topology_limits(current_app.config)
    doc, problems = parse_json(read_body(), max_bytes=limits.get("max_json_bytes", MAX_JSON_BYTES))
    warnings = []
    if not problems:
        normalized, problems = prepare(doc, limits=limits)
        if not problems:
            warnings = advise(normalized)
    return jsonify(ok=not problems, errors=problems, warnings=warnings)
