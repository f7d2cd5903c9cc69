"""Run a lesson step's topology on real sockets and judge it as the page does: the events of the
run, fed batch by batch to the predicate evaluator, until the step's own condition holds."""

from __future__ import annotations

import gevent

from app.engine.run import Run
from app.lessons import Evaluator, goal_state, judge
from app.topology import prepare

# Seconds a run may take beyond the step's own `seconds` on a loaded machine before the test
# gives up waiting for its condition (a wait bound, never an assertion about speed).
SLACK = 20


class StepRun:
    """One run of ``doc`` whose events feed an Evaluator."""

    def __init__(self, doc: dict):
        ready, problems = prepare(doc)
        assert not problems, problems
        self.doc = ready
        self.ev = Evaluator(ready)
        self.run = Run(ready, trace_rate=1e9)
        self.run.start()

    def pump(self) -> None:
        batch, _skipped, _untraced = self.run.events.drain()
        self.ev.add(batch)

    def until(self, done, timeout: float) -> bool:
        """Pump events until ``done(evaluator)`` or ``timeout`` seconds; whether it was done."""
        waited = 0.0
        while True:
            self.pump()
            if done(self.ev):
                return True
            if waited >= timeout:
                return False
            gevent.sleep(0.02)
            waited += 0.02

    def stop(self) -> None:
        self.run.stop("test")
        self.pump()


def run_predict(step: dict, doc: dict) -> dict:
    """Run until the question settles; the run's judgment (as judge() gives it)."""
    r = StepRun(doc)
    try:
        r.until(lambda ev: judge(ev, step["question"])["settled"], step.get("seconds", 10) + SLACK)
        return judge(r.ev, step["question"])
    finally:
        r.stop()


def run_goal(step: dict, doc: dict, timeout: float | None = None) -> tuple[bool, dict]:
    """Run until the goal passes or ``timeout`` (default: the step's seconds + SLACK)."""
    r = StepRun(doc)
    if timeout is None:
        timeout = step.get("seconds", 10) + SLACK
    try:
        passed = r.until(lambda ev: goal_state(ev, step["goal"])["passed"], timeout)
        return passed, goal_state(r.ev, step["goal"])
    finally:
        r.stop()
