"""Every step of the course on real sockets: a predict step's run gives the author's reference
answer (and so every other answer is wrong), a build or fix step's reference solution reaches its
goal, and its starting topology does not, within the time the page gives a run."""

from __future__ import annotations

import gevent
import pytest
from runner import StepRun, run_goal, run_predict

from app.lessons import (
    get_lesson,
    judge,
    lesson_ids,
    resolve_topology,
    solution_topology,
    verdict,
)
from app.lessons.predicates import goal_state


def _steps(kinds, question=None):
    out = []
    for lid in lesson_ids():
        for step in get_lesson(lid)["steps"]:
            if question and step.get("question", {}).get("kind") != question:
                continue
            if step["kind"] in kinds:
                out.append(pytest.param(lid, step, id=f"{lid}/{step['id']}"))
    return out


@pytest.mark.parametrize("lid, step", _steps(("predict",)))
def test_predict_step_is_answered_by_the_run(lid, step):
    q = step["question"]
    judged = run_predict(step, resolve_topology(step))
    assert judged["settled"], f"{lid}/{step['id']}: the run never showed enough to judge"
    if q["kind"] == "choice":
        # exactly one option describes what libzmq did
        assert len(judged["right"]) == 1, judged
        if "reference" in step:
            assert judged["right"] == [step["reference"]]
        for o in q["options"]:
            assert verdict(judged, q, o["id"]) is (o["id"] in judged["right"])
    else:
        assert float(judged["answer"]) == step["reference"]
        assert verdict(judged, q, step["reference"]) is True
        assert verdict(judged, q, step["reference"] + 1) is False
        assert verdict(judged, q, "not a number") is False


@pytest.mark.parametrize("lid, step", _steps(("predict",), question="number"))
def test_number_answer_is_final_once_settled(lid, step):
    """A number question is judged when it settles: the run must not change the answer after."""
    r = StepRun(resolve_topology(step))
    try:
        assert r.until(lambda ev: judge(ev, step["question"])["settled"], step["seconds"] + 20)
        first = judge(r.ev, step["question"])["answer"]
        gevent.sleep(0.5)
        r.pump()
        assert judge(r.ev, step["question"])["answer"] == first
    finally:
        r.stop()


@pytest.mark.parametrize("lid, step", _steps(("build", "fix")))
def test_reference_solution_reaches_the_goal(lid, step):
    passed, state = run_goal(step, solution_topology(step))
    assert passed, f"{lid}/{step['id']}: {state['items']}"


def test_starting_topologies_do_not_reach_their_goals():
    """All build/fix starting points run side by side for their step's `seconds` (the page's
    limit): none may pass. Each of them fails for a reason that does not depend on timing
    (a missing link or node, an EFSM, a REP discarding a delimiter-less request, ...)."""
    runs = []
    for param in _steps(("build", "fix")):
        lid, step = param.values
        runs.append((f"{lid}/{step['id']}", step, StepRun(resolve_topology(step))))
    try:
        longest = max(step["seconds"] for _n, step, _r in runs)
        passed = set()
        waited = 0.0
        while waited < longest:
            for name, step, r in runs:
                if waited <= step["seconds"]:
                    r.pump()
                    if goal_state(r.ev, step["goal"])["passed"]:
                        passed.add(name)
            gevent.sleep(0.1)
            waited += 0.1
        assert not passed, f"these starting topologies already pass: {sorted(passed)}"
    finally:
        for _n, _s, r in runs:
            r.stop()
