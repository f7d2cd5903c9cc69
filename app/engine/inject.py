"""Inject: send one message now from any socket of a running topology (Node-RED's inject node).

The command is checked first (node, socket, frames, sizes, count), each problem naming its field;
then the engine sends on that node's real socket, exactly as its behaviour would, and the send is
observed like any other (``sent``, then ``delivered`` / ``filtered`` / ``dropped``).

Why sending from the command's greenlet is safe: every greenlet of a run lives on one thread (the
gevent hub), so the socket never leaves the thread that owns it; the send is non-blocking and a
multipart message goes to libzmq in one go with no yield between its frames, so it cannot be
interleaved with a message the node's behaviour is sending. A send libzmq refuses is reported as
an ``error`` event with libzmq's own name, never raised: EFSM (a REQ that already sent, a REP that
has not received), EAGAIN (at the HWM, or no peer to queue to: the inject never waits),
EHOSTUNREACH (a ROUTER with router_mandatory and no peer of that routing id; without the option
the message is booked as dropped, unroutable, as libzmq would have dropped it silently).
"""

from __future__ import annotations

import zmq

from .frames import errno_name
from .greensock import NOBLOCK

MAX_FRAMES = 32
MAX_COUNT = 100
RECEIVE_ONLY = frozenset(("SUB", "PULL"))
EHOSTUNREACH = int(zmq.EHOSTUNREACH)
EAGAIN = int(zmq.EAGAIN)


def parse_frames(frames, max_bytes: int) -> tuple[list[bytes] | None, str | None]:
    """The frames of an inject command as bytes: each a string (sent as UTF-8) or
    ``{"hex": "00ff"}``; 1 to MAX_FRAMES of them, ``max_bytes`` in all."""
    if not isinstance(frames, list) or not frames:
        return None, "frames: a list of 1 to 32 frames (strings, or {hex})"
    if len(frames) > MAX_FRAMES:
        return None, f"frames: at most {MAX_FRAMES} frames (got {len(frames)})"
    out, total = [], 0
    for i, f in enumerate(frames):
        if isinstance(f, str):
            b = f.encode("utf-8", "surrogatepass")
        elif isinstance(f, dict) and isinstance(f.get("hex"), str) and len(f) == 1:
            text = f["hex"].replace(" ", "")
            if len(text) > 2 * max_bytes:
                return None, f"frames[{i}]: larger than {max_bytes} bytes"
            try:
                b = bytes.fromhex(text)
            except ValueError:
                return None, f"frames[{i}].hex: not hexadecimal (pairs of 0-9, a-f)"
        else:
            return None, f'frames[{i}]: a string, or {{"hex": "..."}}'
        total += len(b)
        if total > max_bytes:
            return None, f"frames: the message is larger than {max_bytes} bytes (MAX_MESSAGE_BYTES)"
        out.append(b)
    return out, None


class InjectMixin:
    """The inject operation of a :class:`~app.engine.run.Run`."""

    def inject(self, node_id, socket, frames, count=1, max_bytes: int = 65536) -> dict:
        """Send ``frames`` ``count`` times from ``node_id.socket`` now.

        Returns ``{"problem": "..."}`` when the command is refused (nothing was sent), else
        ``{"sent": n, "msgs": [...], "error": name|None}``: ``n`` messages went to libzmq; a
        refusal by libzmq stops the series and is also an ``error`` event.
        """
        node = self.nodes.get(node_id) if isinstance(node_id, str) else None
        if node is None:
            return {"problem": f"node: no node called {node_id!r}"}
        s = node.sockets.get(socket) if isinstance(socket, str) else None
        if s is None:
            return {"problem": f"socket: {node.id} has no socket called {socket!r}"}
        where = f"{node.id}.{s.name}"
        if s.type in RECEIVE_ONLY:
            return {"problem": f"socket: {where} is a {s.type}: it cannot send (libzmq: ENOTSUP)"}
        if not node.alive or s.zsock is None:
            return {"problem": f"node: {node.id} is not running (killed): restart it first"}
        if count is None:
            count = 1
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
            return {"problem": f"count: a whole number from 1 to {MAX_COUNT}"}
        parts, problem = parse_frames(frames, max_bytes)
        if problem:
            return {"problem": problem}
        obs = self.observer
        sent, msgs = 0, []
        for _ in range(count):
            before = getattr(obs, "next_id", None)
            name = self._inject_one(s, parts)
            if name:
                return {"sent": sent, "msgs": msgs, "error": name}
            sent += 1
            after = getattr(obs, "next_id", None)
            if after is not None and after != before:
                msgs.append(after)
        return {"sent": sent, "msgs": msgs, "error": None}

    def _inject_one(self, s, frames: list[bytes]) -> str | None:
        """One non-blocking send, observed as NodeRt.send observes it; libzmq's refusal as an
        ``error`` event (its name returned)."""
        obs = self.observer
        try:
            s.g.send_multipart(frames, NOBLOCK)
        except zmq.ZMQError as err:
            name = errno_name(err)
            if s.type == "ROUTER" and err.errno in (EHOSTUNREACH, EAGAIN):
                # the engine always sets ROUTER_MANDATORY: libzmq named the drop (no peer with
                # that routing id, or that peer at its HWM); without the document's
                # router_mandatory it would have been silent: booked as dropped, not an error
                mandatory = bool(s.options.get("router_mandatory"))
                obs.router_refused(s, frames, name, mandatory)
                return name if mandatory else None
            why = {
                "EAGAIN": "not sent: the socket is at its HWM or has no peer to queue to "
                "(an inject never waits)",
                "EFSM": "not sent: the socket's state machine refuses a send now (a REQ "
                "waits for its reply, a REP must receive first)",
            }.get(name, str(err))
            obs.emit(
                {
                    "ev": "error",
                    "node": s.node,
                    "socket": s.name,
                    "error": name,
                    "message": f"inject: {why}",
                }
            )
            return name
        obs.sent(s, frames)
        return None
