"""The course as data: every lesson validates, the course has its size, ids stay stable, and
validation names the lesson, the step and the field of every problem."""

from __future__ import annotations

import copy

import pytest

from app.lessons import (
    apply_patch,
    course,
    get_lesson,
    lesson_ids,
    page_step,
    resolve_topology,
    validate_lesson,
    validate_step,
)
from app.lessons.patch import PatchError
from app.topology import validate

# Lesson and step ids are part of the links /learn/<lesson>/<step>: they never change. A new
# lesson or step is added here; an old one is never renamed or removed.
FROZEN = {
    "reqrep": ["replies", "send-twice", "lockstep", "two-clients"],
    "pubsub": ["which-topics", "zzz", "slow-joiner", "no-subscriber-yet"],
    "pipeline": ["task-4", "share", "fan-in", "fourth-worker"],
    "hwm": ["pub-burst", "push-blocks", "lose-nothing"],
    "envelopes": ["frames-at-router", "identity", "rep-sees", "delimiter"],
    "proxies": ["sports", "upstream", "busan", "bridge"],
    "lazy-pirate": ["server-dies", "attempts", "malformed"],
    "pirates": ["ready", "share-workers", "expired", "heartbeats"],
    "binary-star": ["who-answers", "backup-state", "failover"],
    "majordomo": ["reply-frames", "mmi", "no-worker"],
    "task-distribution": ["fair-share", "started-events", "kill", "monitor-typo"],
    "microservices": ["route", "email-events", "no-routing-id"],
}


@pytest.mark.parametrize("lid", lesson_ids())
def test_every_lesson_validates(lid):
    assert validate_lesson(get_lesson(lid)) == []


def test_course_size_and_kinds():
    c = course()
    steps = [s for lesson in c for s in lesson["steps"]]
    assert len(c) >= 12 and len(steps) >= 40
    kinds = {s["kind"] for s in steps}
    assert kinds == {"predict", "build", "fix"}
    for lesson in c:
        for text in (lesson["title"], lesson["intro"]):
            assert text["en"].strip() and text["ko"].strip()


def test_links_are_stable():
    for lid, step_ids in FROZEN.items():
        lesson = get_lesson(lid)
        assert lesson is not None, lid
        have = [s["id"] for s in lesson["steps"]]
        assert have[: len(step_ids)] == step_ids, lid


def test_every_step_topology_is_valid_and_the_page_gets_no_answer():
    for lid in lesson_ids():
        for step in get_lesson(lid)["steps"]:
            assert validate(resolve_topology(step)) == []
            page = page_step(step)
            assert "solution" not in page and "reference" not in page and "patch" not in page
            assert page["topology"] == resolve_topology(step)


def _first_step(lid="reqrep", index=0):
    lesson = get_lesson(lid)
    return lesson, lesson["steps"][index]


@pytest.mark.parametrize(
    "mutate, field, words",
    [
        (lambda s: s.update(kind="quiz"), "kind", "predict, build or fix"),
        (lambda s: s["title"].pop("ko"), "title.ko", "required"),
        (lambda s: s.update(preset="nope"), "preset", "no preset 'nope'"),
        (lambda s: s.update(colour="red"), "colour", "unknown field"),
        (lambda s: s.update(seconds=0), "seconds", "between 1 and 120"),
        (lambda s: s["question"].update(kind="essay"), "question.kind", "choice or number"),
        (lambda s: s["question"].pop("settle"), "question.settle", "required"),
        (
            lambda s: s["question"]["options"][1]["when"]["cmp"].__setitem__(1, "=>"),
            "question.options[1].when.cmp[1]",
            "unknown operator '=>'",
        ),
        (
            lambda s: s["question"]["options"][0]["when"]["cmp"][0]["count"].update(ev="sned"),
            "question.options[0].when.cmp[0].count.ev",
            "must be one of",
        ),
        (
            lambda s: s["question"]["options"][0]["when"]["cmp"][0]["count"].update(too="x"),
            "question.options[0].when.cmp[0].count.too",
            "unknown field",
        ),
        (lambda s: s.update(reference="maybe"), "reference", "id of one option"),
        (lambda s: s.update(goal=[]), "goal", "belongs to build and fix"),
        (
            lambda s: s["patch"]["nodes"]["client"]["behaviour"].update(interval_ms=-1),
            "patch",
            "interval_ms",
        ),
        (
            lambda s: s["patch"]["nodes"].update(ghost={"behaviour": {}}),
            "patch",
            "no node 'ghost'",
        ),
    ],
)
def test_problems_name_lesson_step_and_field(mutate, field, words):
    lesson, step = _first_step()
    mutate(step)
    problems = validate_lesson(lesson)
    hit = [p for p in problems if p["field"] == field]
    assert hit, problems
    assert hit[0]["lesson"] == "reqrep" and hit[0]["step"] == "replies"
    assert hit[0]["message"].startswith(f"lesson reqrep, step replies: {field}: ")
    assert words in hit[0]["message"]


def test_fix_step_needs_hints_and_a_solution():
    lesson, step = _first_step(index=2)
    assert step["kind"] == "fix"
    del step["hints"]
    del step["solution"]
    fields = {p["field"] for p in validate_lesson(lesson)}
    assert {"hints", "solution"} <= fields


def test_broken_solution_is_reported():
    lesson, step = _first_step(index=2)
    step["solution"] = {"remove_links": ["l9"]}
    msgs = [p["message"] for p in validate_lesson(lesson)]
    assert "lesson reqrep, step lockstep: solution: patch.remove_links: no link 'l9'" in msgs


def test_duplicate_step_ids_and_versions():
    lesson = get_lesson("reqrep")
    lesson["steps"][1]["id"] = "replies"
    lesson["version"] = 2
    fields = {(p["step"], p["field"]) for p in validate_lesson(lesson)}
    assert ("replies", "id") in fields and (None, "version") in fields


@pytest.mark.parametrize("garbage", [None, [], "x", 5, {"steps": "no"}, {"steps": [None, 3]}])
def test_garbage_never_raises(garbage):
    problems = validate_lesson(garbage)
    assert problems and all(p["message"].startswith("lesson ") for p in problems)


def test_authored_step_needs_one_language_and_no_solution():
    _lesson, step = _first_step()
    authored = copy.deepcopy(step)
    authored["topology"] = resolve_topology(step)
    del authored["preset"], authored["patch"], authored["reference"]
    for key in ("title", "text", "explain"):
        authored[key] = {"en": authored[key]["en"]}
    for o in authored["question"]["options"]:
        o["text"] = {"ko": o["text"]["ko"]}
    assert validate_step(authored) == []
    authored["title"] = {"en": "  "}
    assert [p["field"] for p in validate_step(authored)] == ["title"]
    authored["patch"] = {}
    assert "patch" in [p["field"] for p in validate_step(authored)]


def test_patch_merges_removes_and_adds():
    doc = resolve_topology(get_lesson("pipeline")["steps"][0])
    out = apply_patch(
        doc,
        {
            "set": {"start": "immediate"},
            "nodes": {"w1": {"behaviour": {"work_ms": 7}, "options": {"in": {"rcvhwm": 3}}}},
            "remove_nodes": ["w3"],
        },
    )
    assert out["start"] == "immediate"
    w1 = next(n for n in out["nodes"] if n["id"] == "w1")
    assert w1["behaviour"]["work_ms"] == 7 and w1["sockets"][0]["options"] == {"rcvhwm": 3}
    assert "w3" not in {n["id"] for n in out["nodes"]}
    assert all("w3" not in (ln["connect"]["node"], ln["bind"]["node"]) for ln in out["links"])
    assert doc != out and any(n["id"] == "w3" for n in doc["nodes"])  # a copy
    gone = apply_patch(out, {"nodes": {"w1": {"options": {"in": {"rcvhwm": None}}}}})
    assert next(n for n in gone["nodes"] if n["id"] == "w1")["sockets"][0]["options"] == {}
    with pytest.raises(PatchError, match="no socket 'nope'"):
        apply_patch(doc, {"nodes": {"w1": {"options": {"nope": {}}}}})
