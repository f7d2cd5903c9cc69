"""Run commands from the page (docs/protocol.md): each op maps to one small handler."""
from __future__ import annotations


def dispatch(session, cmd: dict) -> None:
    """Run the handler for ``cmd["op"]``; unknown ops and bad targets get an ``error``."""
    op = cmd["op"]
    if op == "start":
        return session.start(cmd)
    if op == "ping":
        return session.send({"type": "pong"})
    if op == "stop":
        return session.stop_run("user")
    handler = _RUN_OPS.get(op)
    if handler is None:
        return session.send({"type": "error", "message": f"unknown op {op!r}"})
    run = session.run
    if run is None:
        return session.send({"type": "error", "message": f"{op}: no run is active"})
    problem = handler(run, cmd)
    if problem:
        return session.send({"type": "error", "message": f"{op}: {problem}"})
    session.send({"type": "state", "paused": run.paused, "speed": run.speed})


def _pause(run, cmd):
    run.pause()


def _resume(run, cmd):
    run.resume()


def _speed(run, cmd):
    run.set_speed(cmd.get("value"))


_RUN_OPS = {"pause": _pause, "resume": _resume, "speed": _speed}
