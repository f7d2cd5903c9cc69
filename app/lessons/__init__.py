"""The course: lessons as data (``data/<id>.json``, order in ``data/course.json``), their schema
and validation (``schema.py``), step topologies from presets and patches (``patch.py``) and the
predicate vocabulary that checks a step against a real run (``predicates.py``).

Pure: no flask, no zmq (the engine runs the topologies; the web layer serves the data).
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources

from .patch import PatchError, apply_patch
from .predicates import Evaluator, goal_state, judge, verdict
from .schema import VERSION, resolve_topology, validate_lesson, validate_step

__all__ = [
    "VERSION",
    "Evaluator",
    "PatchError",
    "apply_patch",
    "course",
    "get_lesson",
    "goal_state",
    "judge",
    "lesson_ids",
    "page_step",
    "resolve_topology",
    "solution_topology",
    "validate_lesson",
    "validate_step",
    "verdict",
]


def _data():
    return resources.files(__package__).joinpath("data")


@lru_cache(maxsize=1)
def lesson_ids() -> tuple[str, ...]:
    """Lesson ids in course order (``data/course.json``)."""
    doc = json.loads(_data().joinpath("course.json").read_text(encoding="utf-8"))
    return tuple(doc["lessons"])


@lru_cache(maxsize=64)
def _load(lesson_id: str) -> dict | None:
    if lesson_id not in lesson_ids():
        return None
    return json.loads(_data().joinpath(f"{lesson_id}.json").read_text(encoding="utf-8"))


def get_lesson(lesson_id: str) -> dict | None:
    """A fresh copy of the lesson document, or None when there is no such lesson."""
    doc = _load(lesson_id) if isinstance(lesson_id, str) else None
    return copy.deepcopy(doc) if doc is not None else None


def course() -> list[dict]:
    """[{"id", "title", "intro", "seed", "steps": [{"id", "kind", "title"}]}] in course order."""
    out = []
    for lid in lesson_ids():
        lesson = _load(lid)
        out.append(
            {
                "id": lid,
                "title": lesson["title"],
                "intro": lesson["intro"],
                "seed": lesson.get("seed", ""),
                "steps": [
                    {"id": s["id"], "kind": s["kind"], "title": s["title"]} for s in lesson["steps"]
                ],
            }
        )
    return out


def solution_topology(step: dict) -> dict:
    """The step's reference solution: its starting topology with ``solution`` applied."""
    return apply_patch(resolve_topology(step), step.get("solution"))


def page_step(step: dict) -> dict:
    """What the page gets of a step: the resolved topology, no reference answer or solution."""
    out = {k: copy.deepcopy(v) for k, v in step.items() if k not in ("solution", "reference")}
    out.pop("preset", None)
    out.pop("patch", None)
    out["topology"] = resolve_topology(step)
    out.setdefault("seconds", 10)
    return out
