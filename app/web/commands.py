"""Run commands from the page (docs/protocol.md): each op maps to one small handler."""

from __future__ import annotations

from ..engine.edits import apply_plan
from ..engine.facts import RUN_ERRORS
from ..topology import prepare
from ..topology.diff import is_empty, plan
from ..topology.limits import MAX_MESSAGE_BYTES
from .remote import RemoteRun

# the answer to a ``stop`` when the page has no run (never started, refused, already ended)
NOT_RUNNING = {
    "type": "stopped",
    "reason": "not running: this page had no run to stop",
    "totals": {"links": {}, "sockets": {}},
}


def dispatch(session, cmd: dict) -> None:
    """Run the handler for ``cmd["op"]``; unknown ops and bad targets get an ``error``."""
    op = cmd["op"]
    if op == "start":
        return session.start(cmd)
    if op == "ping":
        return session.send({"type": "pong"})
    if op == "stop":
        if session.run is None:  # nothing to stop: still answered, at once
            return session.send(NOT_RUNNING)
        return session.stop_run("user")
    if op == "edit":
        return _edit(session, cmd)
    if op == "inject":
        return _inject(session, cmd)
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


def _edit(session, cmd) -> None:
    """A live edit: validate the edited document, plan what changed, apply it to the run.

    Answers ``{"type": "edit", "seq", "ok": true, "applied": [...]}``, or ``ok: false`` with
    ``errors`` (the model's problems, naming node/socket/field) or ``refused`` (changes that
    cannot reach a running topology, with why); then nothing was applied.
    """
    seq = cmd.get("seq") if isinstance(cmd.get("seq"), int) else None
    run = session.run
    if run is None or run.state != "running":
        return session.send({"type": "error", "message": "edit: no run is active"})
    doc, problems = prepare(cmd.get("topology"), limits=session.limits)
    if problems:
        return session.send({"type": "edit", "seq": seq, "ok": False, "errors": problems})
    changes = plan(run.doc, doc)
    if changes["refused"]:
        return session.send(
            {"type": "edit", "seq": seq, "ok": False, "errors": [], "refused": changes["refused"]}
        )
    if is_empty(changes):
        run.doc = doc
        return session.send(
            {"type": "edit", "seq": seq, "ok": True, "applied": [], "notes": changes["notes"]}
        )
    try:
        if isinstance(run, RemoteRun):  # planned again and applied by the run's own process
            applied = run.apply_edit(doc)
        else:
            applied = apply_plan(run, doc, changes)
    except RUN_ERRORS as err:
        return session.send(
            {"type": "error", "message": f"edit: failed part way ({err}); restart the run"}
        )
    session.send(
        {"type": "edit", "seq": seq, "ok": True, "applied": applied, "notes": changes["notes"]}
    )


def _inject(session, cmd) -> None:
    """Send one message (or ``count``) now from a socket of the running topology.

    Answers ``{"type": "inject", "ok": true, "node", "socket", "sent", "msgs", "error"}``
    (``error``: libzmq's name when it refused a send, also an ``error`` event), or ``ok: false``
    with the ``problem`` naming the field; then nothing was sent.
    """
    run = session.run
    if run is None or run.state != "running":
        return session.send({"type": "error", "message": "inject: no run is active"})
    max_bytes = int(session.limits.get("max_message_bytes", MAX_MESSAGE_BYTES))
    result = run.inject(
        cmd.get("node"), cmd.get("socket"), cmd.get("frames"), cmd.get("count"), max_bytes
    )
    where = {"node": cmd.get("node"), "socket": cmd.get("socket")}
    where = {k: v for k, v in where.items() if isinstance(v, str) and len(v) <= 64}
    if "problem" in result:
        return session.send({"type": "inject", "ok": False, **where, "problem": result["problem"]})
    session.send({"type": "inject", "ok": True, **where, **result})


def _pause(run, cmd):
    run.pause()


def _resume(run, cmd):
    run.resume()


def _speed(run, cmd):
    run.set_speed(cmd.get("value"))


def _step(run, cmd):
    run.step()


def _node(run, cmd):
    action, node = cmd.get("action"), cmd.get("node")
    if action == "kill":
        return run.kill_node(node)
    if action == "restart":
        return run.restart_node(node)
    if action in ("pause", "resume"):
        return run.pause_node(node, action == "pause")
    if action == "delay":
        return run.delay_node(node, cmd.get("ms"))
    return f"unknown action {action!r} (kill, restart, pause, resume, delay)"


def _link(run, cmd):
    action = cmd.get("action")
    if action not in ("cut", "restore"):
        return f"unknown action {action!r} (cut, restore)"
    return run.cut_link(cmd.get("link"), action == "cut")


def _subscribe(run, cmd):
    return run.subscribe(
        cmd.get("node"), cmd.get("socket"), cmd.get("topic"), bool(cmd.get("on", True))
    )


_RUN_OPS = {
    "pause": _pause,
    "resume": _resume,
    "speed": _speed,
    "step": _step,
    "node": _node,
    "link": _link,
    "subscribe": _subscribe,
}
