"""Exports that need the server: runnable Python for a topology (JSON, SVG and PNG are made in
the page). ``POST /api/export/python`` with a topology returns the script as a download."""

from __future__ import annotations

import re

from flask import Blueprint, Response, jsonify

from ..export import python_script
from ..topology import parse_json, prepare
from .limits import read_body

bp = Blueprint("export", __name__, url_prefix="/api/export")


@bp.post("/python")
def python():
    """The script, or ``{"error", "errors"}`` (422) when the topology is not valid."""
    doc, problems = parse_json(read_body())
    if not problems:
        doc, problems = prepare(doc)
    if problems:
        return jsonify(
            error=f"the topology has {len(problems)} problem(s); fix them to export it",
            errors=problems,
        ), 422
    title = doc.get("title") or "topology"
    name = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "topology"
    resp = Response(python_script(doc), mimetype="text/x-python")
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}.py"'
    return resp
