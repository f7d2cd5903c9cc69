"""The course's pages and JSON (docs/lessons.md): a thin layer over app/lessons.

- ``GET /learn`` the course map; ``/learn/<lesson>`` its first step; ``/learn/<lesson>/<step>``
  a step beside the editor's canvas; ``/learn/embed/<lesson>/<step>`` the same as an embed
- ``POST /api/lessons/steps`` saves an authored step (validated) → ``{"id", "url", "embed"}``;
  ``/learn/s/<id>`` and ``/learn/embed/s/<id>`` open it; ``GET /api/lessons/steps/<id>`` gives it
- ``GET /api/lessons`` the course outline, ``GET /api/lessons/<lesson>`` one lesson as the page
  gets it (topologies resolved, no reference answers or solutions)

Authored steps live in the topology storage as ``{"topology", "lesson_step"}`` items, so
``/t/<id>`` opens their topology too. Embed pages may be framed by any site.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request
from werkzeug.exceptions import HTTPException

from ..lessons import course, get_lesson, page_step, resolve_topology, validate_step
from ..links import is_id
from ..storage import StorageError, get_storage
from ..topology import parse_json

bp = Blueprint("lessons", __name__)

FRAMEABLE = "frame-ancestors *"


def _lesson_page(lesson: dict) -> dict:
    return {**lesson, "steps": [page_step(s) for s in lesson["steps"]]}


def _not_found(what: str, embed: bool = False):
    return render_template("not_found.html", what=what, embed=embed), 404


def _framed(response):
    """An embed page: any site may put it in an iframe (framing.py keeps this header)."""
    response = current_app.make_response(response)
    response.headers["Content-Security-Policy"] = FRAMEABLE
    return response


def _step_page(data: dict, embed: bool):
    html = render_template("learn.html", data=data, embed=embed, title=data.get("title"))
    return _framed(html) if embed else html


def _course_step(lesson_id: str, step_id: str, embed: bool):
    lesson = get_lesson(lesson_id)
    if lesson is None or step_id not in [s["id"] for s in lesson["steps"]]:
        return _framed(_not_found("lesson", embed)) if embed else _not_found("lesson")
    title = next(s["title"] for s in lesson["steps"] if s["id"] == step_id)
    return _step_page({"lesson": lesson_id, "step": step_id, "title": title["en"]}, embed)


def _saved_step(item_id: str):
    """The authored step saved under ``item_id``, None when unknown (503 on storage trouble)."""
    if not is_id(item_id):
        return None
    try:
        item = get_storage().load(item_id)
    except StorageError as err:
        current_app.logger.error("storage: %s", err)
        return None
    if not isinstance(item, dict) or not isinstance(item.get("lesson_step"), dict):
        return None
    return item["lesson_step"]


@bp.errorhandler(HTTPException)
def _http_error(err: HTTPException):
    if request.path.startswith("/api/"):
        return jsonify(error=err.description or err.name), err.code
    return err


@bp.get("/learn")
def course_map():
    """The course map: every lesson and step, with the learner's progress (localStorage)."""
    return render_template("learn_map.html")


@bp.get("/learn/<lesson_id>")
def lesson_start(lesson_id: str):
    """A lesson's address: its first step."""
    lesson = get_lesson(lesson_id)
    if lesson is None:
        return _not_found("lesson")
    return redirect(f"/learn/{lesson_id}/{lesson['steps'][0]['id']}")


@bp.get("/learn/<lesson_id>/<step_id>")
def step(lesson_id: str, step_id: str):
    """One course step beside the editor."""
    return _course_step(lesson_id, step_id, embed=False)


@bp.get("/learn/embed/<lesson_id>/<step_id>")
def embed_step(lesson_id: str, step_id: str):
    """One course step as an embed (a single question or goal, minimal chrome)."""
    return _course_step(lesson_id, step_id, embed=True)


@bp.get("/learn/s/<item_id>")
def saved_step(item_id: str):
    """An authored step beside the editor."""
    if _saved_step(item_id) is None:
        return _not_found("step")
    return _step_page({"saved": item_id, "title": ""}, embed=False)


@bp.get("/learn/embed/s/<item_id>")
def embed_saved_step(item_id: str):
    """An authored step as an embed."""
    if _saved_step(item_id) is None:
        return _framed(_not_found("step", embed=True))
    return _step_page({"saved": item_id, "title": ""}, embed=True)


@bp.get("/api/lessons")
def api_course():
    """The course outline in order."""
    return jsonify(lessons=course())


@bp.get("/api/lessons/<lesson_id>")
def api_lesson(lesson_id: str):
    """One lesson as the page gets it."""
    lesson = get_lesson(lesson_id)
    if lesson is None:
        return jsonify(error=f"no lesson {lesson_id!r}"), 404
    return jsonify(_lesson_page(lesson))


@bp.get("/api/lessons/steps/<item_id>")
def api_saved_step(item_id: str):
    """An authored step as the page gets it."""
    saved = _saved_step(item_id)
    if saved is None:
        return jsonify(error=f"no saved lesson step has the id {item_id!r}"), 404
    return jsonify(id=item_id, step=page_step(saved))


@bp.post("/api/lessons/steps")
def api_save_step():
    """Validate and save an authored step; same content → same id."""
    limit = current_app.config["SHARE_MAX_BYTES"]
    request.max_content_length = limit
    try:
        body, problems = parse_json(request.get_data(cache=False), max_bytes=limit)
    except HTTPException as err:
        return jsonify(error=err.description or "the request is too large"), err.code or 413
    if problems:
        return jsonify(error=problems[0]["message"], errors=problems), 400
    problems = validate_step(body)
    if problems:
        return jsonify(error=problems[0]["message"], errors=problems), 422
    item = {"topology": resolve_topology(body), "lesson_step": body}
    try:
        item_id = get_storage().save(item)
    except StorageError as err:
        current_app.logger.error("storage: %s", err)
        return jsonify(error="saved lesson steps are unavailable right now"), 503
    root = request.host_url.rstrip("/")
    return jsonify(
        id=item_id, url=f"{root}/learn/s/{item_id}", embed=f"{root}/learn/embed/s/{item_id}"
    ), 201
