"""The channel between a web worker and a run in a process of its own (RUN_ISOLATION=process).

One ZeroMQ PAIR socket per run over ipc in the run's private temp dir: the worker binds, the
child (app/engine/child.py) connects. Both ends use the engine's GreenSocket, so neither hub ever
blocks on it. Each message is one frame of JSON, a list whose first item names its kind:

worker → child
    ``["start", {doc, options, limits}]``   once, first
    ``["call", id, name, args]``            a run method (pause, kill_node, inject...), answered
    ``["edit", id, doc]``                   a live edit (the child plans it against its own doc)
    ``["grant", seq, n]``                   send credit (app/engine/credit.py), not answered
    ``["stop", id, reason]``                answered after every event up to ``stopped``

child → worker
    ``["started", info, t0]`` or ``["failed", message]``
    ``["ev", events, skipped, untraced, status]``   a batch of the run's events
    ``["reply", id, result, status]``
    ``["stopped", id, totals, status]``             the run's last message

``status`` is ``[sent, paused, speed, grant seq, credit left, heavy]``: what the worker's
governor and commands read (exact send counters, pacing, whether the run was found heavy and
demoted: app/engine/oslimits.py) without asking.
"""

from __future__ import annotations

import json

import zmq

from .greensock import GreenSocket

try:
    import orjson

    def encode(message) -> bytes:
        """One frame of JSON (json.dumps for what orjson refuses, e.g. lone surrogates)."""
        try:
            return orjson.dumps(message)
        except TypeError:
            return json.dumps(message, separators=(",", ":")).encode()

    decode = orjson.loads
except ImportError:  # pragma: no cover - orjson is in requirements.txt

    def encode(message) -> bytes:
        """One frame of JSON."""
        return json.dumps(message, separators=(",", ":")).encode()

    decode = json.loads

ENDPOINT_NAME = "channel"  # the ipc socket's file in the run's temp dir
HWM = 10000  # messages (batches) either way before the sender waits


class Channel:
    """One end of a run's channel: a PAIR socket with its own small context."""

    def __init__(self, endpoint: str, bind: bool):
        self.ctx = zmq.Context(io_threads=1)
        sock = self.ctx.socket(zmq.PAIR)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.SNDHWM, HWM)
        sock.setsockopt(zmq.RCVHWM, HWM)
        if bind:
            sock.bind(endpoint)
        else:
            sock.connect(endpoint)
        self.sock = GreenSocket(sock)

    def send(self, message) -> None:
        """Send one message (waits cooperatively while the peer is HWM messages behind)."""
        self.sock.send_multipart([encode(message)])

    def recv(self):
        """The next message (waits cooperatively)."""
        return decode(self.sock.recv_multipart()[0])

    def close(self, linger: int = 0) -> None:
        """Close the socket and the context; ``linger`` ms for what is still unsent."""
        self.sock.close(linger)
        self.ctx.term()


def endpoint_in(folder: str) -> str:
    """The channel's ipc endpoint in a run's temp dir."""
    return f"ipc://{folder}/{ENDPOINT_NAME}"
