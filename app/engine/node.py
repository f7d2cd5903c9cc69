"""A running node: the handle its behaviour uses to send, receive and wait.

Behaviours only touch sockets through :meth:`NodeRt.send` / :meth:`NodeRt.recv` so that every
message is observed, and only wait through :meth:`NodeRt.sleep` so speed, pause, step and an
injected delay apply.
"""

from __future__ import annotations

import gevent
import gevent.event
import zmq

from .frames import errno_name
from .greensock import NOBLOCK, raw_recv, raw_send
from .wiring import SockRt

_Again = zmq.Again
EHOSTUNREACH = int(zmq.EHOSTUNREACH)


class NodeRt:
    """One node of a run. Its behaviour runs in one greenlet; helpers it spawns belong to it."""

    def __init__(self, run, spec: dict, socks: dict[str, SockRt]):
        self.run = run
        self.id = spec["id"]
        self.kind = spec["kind"]
        self.behaviour = spec.get("behaviour") or {}
        self.sockets = {s["name"]: socks[f"{self.id}.{s['name']}"] for s in spec["sockets"]}
        self.greenlets: list[gevent.Greenlet] = []
        self.paused = False  # a fault: this node alone stops (a slow consumer)
        self.gate = gevent.event.Event()
        self.gate.set()
        self.delay_ms = 0  # a fault: added before every send
        self.alive = False

    # -- what behaviours use -------------------------------------------------------------------
    def socket(self, name: str) -> SockRt:
        """The runtime socket called ``name`` on this node."""
        return self.sockets[name]

    def send(self, s: SockRt, frames: list[bytes]) -> bool:
        """Send one message; every send is observed.

        Waits while the run or this node is paused and while the socket is at its HWM (reported
        as ``blocked``/``unblocked``). Returns False when libzmq refused the message as
        unroutable or (a ROUTER without router_mandatory) at its peer's HWM: libzmq reports
        both to the engine, which always sets ROUTER_MANDATORY, and the engine books the drop
        (and, with the document's router_mandatory, the error) instead of raising.
        """
        run = self.run
        if run.paused or self.paused:
            self._wait_to_send()
        if run.credit.left is not None:
            run.credit.take(1)
        if self.delay_ms:
            gevent.sleep(self.delay_ms / 1000.0 / run.speed)
        try:
            try:
                s.g.send_multipart(frames, NOBLOCK)
            except _Again:
                if s.type == "ROUTER" and not s.options.get("router_mandatory"):
                    # libzmq (ROUTER_MANDATORY, set by the engine) says the peer is at its HWM;
                    # without the option it would have dropped the message silently
                    run.observer.router_refused(s, frames, "EAGAIN", mandatory=False)
                    return False
                self._send_blocked(s, frames)
        except zmq.ZMQError as err:
            if err.errno == EHOSTUNREACH and s.type == "ROUTER":
                mandatory = bool(s.options.get("router_mandatory"))
                run.observer.router_refused(s, frames, "EHOSTUNREACH", mandatory)
                return False
            err.socket_name = s.name
            raise
        run.observer.sent(s, frames)
        return True

    def send_burst(self, s: SockRt, tpl, count: int) -> None:
        """Send ``count`` messages (0 = forever) from ``tpl`` as fast as libzmq takes them.

        The fast path sends untraced messages in a tight loop and books them in bulk; any
        message that must be traced, paused, delayed or that meets the HWM goes through
        :meth:`send`, so everything the page sees is the same as one send at a time.
        """
        run, obs = self.run, self.run.observer
        credit = run.credit
        # messages the observer must see one by one: fan-out, ROUTER routes, lossy pipes, REP
        # peers (which discard a request without a delimiter)
        careful = (
            s.fanout
            or s.type in ("ROUTER", "REP")
            or any(link.tracked is s or link.other(s).type == "REP" for link in s.links)
        )
        single = tpl.single
        n = 0
        while count == 0 or n < count:
            sock = s.zsock
            quick = not (run.paused or self.paused or self.delay_ms or careful or obs.trace_due())
            if quick:
                batch = 256 if count == 0 else min(256, count - n)
                if credit.left is not None:
                    got = credit.take(batch)  # waits for a grant while there is none
                    if run.paused or self.paused or s.zsock is not sock:  # changed meanwhile
                        credit.spent(-got)
                        continue
                    batch = got
                done = 0
                try:
                    if single is not None:  # one constant frame: nothing to render per message
                        for _ in range(batch):
                            raw_send(sock, single, NOBLOCK)
                            done += 1
                    else:
                        for _ in range(batch):
                            frames = tpl.render(n + done + 1)
                            if len(frames) == 1:
                                raw_send(sock, frames[0], NOBLOCK)
                            else:
                                s.g.send_multipart(frames, NOBLOCK)
                            done += 1
                except _Again:
                    if done < batch:
                        credit.spent(done - batch)  # what the HWM refused is not spent
                if done:
                    n += done
                    s.sent += done
                    obs.buffer.untraced += done
                    gevent.sleep(0)
                    continue
            n += 1
            self.send(s, tpl.render(n))  # traced, paused, or at the HWM: the careful way
            if n % 256 == 0:
                gevent.sleep(0)

    def count_forever(self, s: SockRt) -> None:
        """Receive and count for ever (a sink): untraced messages on a single plain link are
        drained in a tight loop and counted in bulk; everything else goes through recv()."""
        link = fast = src = None
        while True:
            if s.only_link is not link or fast is None:  # first time, or a live edit
                link = s.only_link
                src = link.other(s) if link is not None else None
                fast = (
                    src is not None
                    and link.tracked is None
                    and not src.fanout
                    and src.type not in ("OUTSIDE", "SUB")
                    and s.type not in ("ROUTER",)
                )
            # the tight loop counts receipts without events: only when some send was left
            # untraced (a receipt with no traced send may be one); else each gets its event
            if not fast or self.paused or src.pending_n or not self.run.observer.left_out:
                self.recv(s)
                continue
            sock, got = s.zsock, 0
            try:
                while got < 512 and not src.pending_n:
                    frame = raw_recv(sock, NOBLOCK, False)
                    while frame.more:  # a Frame says so; Socket.get(RCVMORE) costs an enum call
                        frame = raw_recv(sock, NOBLOCK, False)
                    got += 1
            except _Again:
                pass
            if got:
                s.received += got
                link.delivered += got
                link.rx[s.key] += got
                gevent.sleep(0)
            else:
                self.recv(s)  # nothing queued: wait cooperatively for the next one

    def _send_blocked(self, s: SockRt, frames: list[bytes]) -> None:
        """The socket is at its HWM: say so, wait for room, say so again."""
        obs = self.run.observer
        s.blocked = True
        obs.emit({"ev": "blocked", "node": self.id, "socket": s.name})
        try:
            s.g.send_multipart(frames)
        finally:
            s.blocked = False
            obs.emit({"ev": "unblocked", "node": self.id, "socket": s.name})

    def recv(self, s: SockRt, timeout_ms: float | None = None):
        """Receive one message (list of frames); None if ``timeout_ms`` (document time) passed."""
        if self.paused:
            self.gate.wait()
        if timeout_ms is None:
            return self._recv(s)
        with gevent.Timeout(timeout_ms / 1000.0 / self.run.speed, False):
            return self._recv(s)
        return None

    def _recv(self, s: SockRt) -> list[bytes]:
        """Receive one message and book it on the connection it came over: over ipc/tcp the
        connection's metadata names the sender (checked against its secret by the observer);
        no Peer-Address means inproc, which names nobody."""
        try:
            if s.only_link is not None:
                frames = s.g.recv_multipart()
                origin = None
            else:
                parts = s.g.recv_multipart(copy=False)
                first = parts[0]
                try:
                    first.get("Peer-Address")
                except zmq.ZMQError:
                    origin = None  # inproc
                else:
                    try:
                        origin = first.get("X-Node")
                    except zmq.ZMQError:
                        origin = ""  # a peer that sent no metadata: not one of ours
                frames = [p.bytes for p in parts]
        except zmq.ZMQError as err:
            err.socket_name = s.name
            raise
        self.run.observer.received(s, frames, origin)
        if self.paused:
            self.gate.wait()
        return frames

    def sleep(self, ms: float) -> None:
        """Wait ``ms`` of document time: scaled by the run's speed, stretched by pauses."""
        if ms > 0:
            gevent.sleep(ms / 1000.0 / self.run.speed)
        if self.paused:
            self.gate.wait()  # a run-level pause holds the next send, not the timers

    def now_ms(self) -> float:
        """Milliseconds since the run started (wall clock, not scaled)."""
        return self.run.observer.now()

    def state(self, state: str, detail: str = "") -> None:
        """Report a behaviour's own state on the canvas (``retrying``, ``failover`` ...)."""
        ev = {"ev": "node", "node": self.id, "state": state}
        if detail:
            ev["detail"] = detail
        self.run.observer.emit(ev)

    def spawn(self, fn, *args) -> gevent.Greenlet:
        """Start a helper greenlet that belongs to this node (killed with it)."""
        g = gevent.spawn(self._guard, fn, *args)
        self.greenlets.append(g)
        return g

    def reopen(self, s: SockRt) -> None:
        """Close ``s`` and open a fresh socket with the same options and links (Lazy Pirate's
        reconnect). Call it from the greenlet that uses ``s``; kill other users of ``s`` first."""
        self.run.reopen_socket(s)

    # -- pacing ------------------------------------------------------------------------------
    def _wait_to_send(self) -> None:
        """Block while the run or this node is paused; a run-level step lets one send through."""
        run = self.run
        while True:
            if self.paused:
                self.gate.wait()
                continue
            if not run.paused:
                return
            if run.take_step():
                return
            run.gate.wait()

    def _guard(self, fn, *args) -> None:
        """Run a behaviour; report a zmq error or a crash as events instead of dying silently."""
        obs = self.run.observer
        try:
            fn(*args)
            if fn is not self.run.behaviour_of(self):
                return
            obs.emit({"ev": "node", "node": self.id, "state": "finished"})
        except zmq.ZMQError as err:
            if err.errno == zmq.ETERM or self.run.state != "running":
                return
            obs.emit(
                {
                    "ev": "error",
                    "node": self.id,
                    "socket": getattr(err, "socket_name", None),
                    "error": errno_name(err),
                    "message": str(err),
                }
            )
            obs.emit(
                {
                    "ev": "node",
                    "node": self.id,
                    "state": "crashed",
                    "detail": f"{errno_name(err)}: {err}",
                }
            )
        except gevent.GreenletExit:
            raise
        except Exception as err:  # a behaviour bug must not take the run down
            obs.emit(
                {
                    "ev": "node",
                    "node": self.id,
                    "state": "crashed",
                    "detail": f"{type(err).__name__}: {err}",
                }
            )
