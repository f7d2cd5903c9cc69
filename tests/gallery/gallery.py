"""Helpers for the gallery tests: load a preset, speed its timers up, run it, read its events."""

from __future__ import annotations

import gevent

from app.engine.run import Run
from app.presets import get_preset
from app.topology import prepare


def load(preset_id: str, scale: float = 1, **overrides) -> dict:
    """The preset's topology, normalized; every ``*_ms`` behaviour field divided by ``scale``
    (Run's speed can only slow a run down, so tests shorten the document's own times).
    ``overrides``: {node id: {field: value}} applied after scaling."""
    preset = get_preset(preset_id)
    assert preset is not None, preset_id
    doc, problems = prepare(preset["topology"])
    assert not problems, problems
    for node in doc["nodes"]:
        beh = node["behaviour"]
        for key, value in beh.items():
            if key.endswith("_ms") and isinstance(value, int) and value and scale != 1:
                beh[key] = max(1, int(round(value / scale)))
        beh.update(overrides.get(node["id"], {}))
    return doc


class Running:
    """A started run whose events accumulate in ``self.events``."""

    def __init__(self, doc: dict, **kwargs):
        kwargs.setdefault("trace_rate", 1e9)
        self.run = Run(doc, **kwargs)
        self.events: list[dict] = []
        self.run.start()

    def pump(self) -> list[dict]:
        batch, _skipped, _untraced = self.run.events.drain()
        self.events.extend(batch)
        return self.events

    def wait(self, done, timeout: float) -> bool:
        """Let the run go until ``done(self)`` is true; False if ``timeout`` seconds passed."""
        left = timeout
        while True:
            self.pump()
            if done(self):
                return True
            if left <= 0:
                return False
            gevent.sleep(0.02)
            left -= 0.02

    def sleep(self, seconds: float) -> None:
        gevent.sleep(seconds)
        self.pump()

    def stop(self) -> None:
        self.run.stop("test")
        self.pump()

    # -- reading -------------------------------------------------------------------------------
    def states(self, node: str) -> list[tuple[str, str]]:
        """(state, detail) of every node event of ``node``, in order."""
        return [
            (e["state"], e.get("detail", ""))
            for e in self.events
            if e["ev"] == "node" and e["node"] == node
        ]

    def has_state(self, node: str, state: str, contains: str = "") -> bool:
        return any(s == state and contains in d for s, d in self.states(node))

    def count_state(self, node: str, state: str) -> int:
        return sum(1 for s, _d in self.states(node) if s == state)

    def first(self, node: str, state: str) -> dict | None:
        for e in self.events:
            if e["ev"] == "node" and e["node"] == node and e["state"] == state:
                return e
        return None

    def delivered(self, to: str, link: str | None = None) -> list[list]:
        """Frames of every message received by socket ``to`` ("node.socket")."""
        return [
            e["frames"]
            for e in self.events
            if e["ev"] == "delivered" and e["to"] == to and (link is None or e["link"] == link)
        ]

    def sent(self, node: str, socket: str) -> list[list]:
        return [
            e["frames"]
            for e in self.events
            if e["ev"] == "sent" and e["node"] == node and e["socket"] == socket
        ]

    def sock(self, key: str):
        return self.run.socks[key]

    def link(self, lid: str):
        return self.run.links[lid]


LIVE: list[Running] = []  # runs of the current test, stopped by conftest's teardown


def started(doc: dict, **kwargs) -> Running:
    r = Running(doc, **kwargs)
    LIVE.append(r)
    return r


def stop_leftovers() -> None:
    """Stop the runs a test left running (one that failed before its own stop): a leftover's
    nodes would go on reconnecting into the next tests."""
    while LIVE:
        LIVE.pop().run.stop("test teardown")  # a no-op for a run already stopped


def numbers(frames_list: list[list], index: int = -1) -> list[int]:
    """The trailing integer of one frame of each message (``"task 12"`` → 12)."""
    out = []
    for frames in frames_list:
        text = frames[index]
        digits = ""
        for ch in reversed(text):
            if not ch.isdigit():
                break
            digits = ch + digits
        out.append(int(digits))
    return out
