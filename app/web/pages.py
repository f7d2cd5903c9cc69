"""HTML pages."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.get("/")
def editor():
    """The editor: palette, canvas, inspector, run controls."""
    return render_template("editor.html")
