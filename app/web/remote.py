"""A run in a process of its own, seen from the web worker (RUN_ISOLATION=process).

:class:`RemoteRun` has what the web layer uses of :class:`app.engine.run.Run` (state, doc,
events, credit, observer.t0, start, stop, pause..., faults, inject, totals, forget) and passes it
over the run's channel (app/engine/channel.py) to ``python -m app.engine.child``, which owns the
run under the operating system's limits (app/engine/oslimits.py). The child is niced below the
worker, so the kernel gives the worker (every page's events) the CPU first.

The child's process and its temp dir: both live in a private dir named after this worker
(``zpg-<pid>-…``, app/engine/tmpdirs.py: swept if the worker dies by kill -9); the child is
told to die with the worker (PR_SET_PDEATHSIG). A pipe tells the worker at once when the child
ends; if that was not the end of its run (a limit, a crash, kill -9), the run stops with a reason
naming what ended it: the page is never left waiting.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import sys
from pathlib import Path
from types import SimpleNamespace

import gevent
import gevent.event
import gevent.lock
from gevent.hub import get_hub
from gevent.socket import wait_read

from ..engine.channel import Channel, endpoint_in
from ..engine.events import EventBuffer
from ..engine.oslimits import cpu_of, why_ended
from ..engine.tmpdirs import run_tmpdir

ROOT = str(Path(__file__).resolve().parents[2])
CHILD_FD = 3  # the child's end of the pipe that says it ended
START_SLACK = 15.0  # s beyond the run's own ready timeout: the interpreter's start, imports
CALL_TIMEOUT = 10.0  # s a command may take before the child is taken for hung
STOP_TIMEOUT = 5.0  # s a stop may take (the run's own teardown takes at most ~1.5 s)
REAP_WAIT = 2.0  # s between the child's last message and its exit, else SIGKILL
REAP_STATUS_WAIT = 30.0  # s for the loop's child watcher to pass on a reaped child's status
_ids = itertools.count(1)  # command ids
_run_ids = itertools.count(1)
_GONE = object()


class RemoteCredit:
    """The run's send credit as the governor sees it (app/engine/credit.py's interface): a grant
    is passed on to the child; ``left`` is what the child last said it had of the newest grant."""

    __slots__ = ("run", "seq", "left")

    def __init__(self, run):
        self.run = run
        self.seq = 0
        self.left: float | None = None

    def grant(self, n: float | None) -> None:
        self.seq += 1
        self.left = n
        self.run.send(["grant", self.seq, n])


class RemoteRun:
    """One run in a child process. Use it from greenlets of one hub, as a Run."""

    def __init__(self, doc: dict, options: dict, limits: dict):
        self.doc = doc
        self.id = f"r{next(_run_ids)}"  # the child's run is its only one: always its r1
        self.transport = doc.get("transport", "ipc")
        self.options = options
        self.limits = limits
        self.events = EventBuffer(
            options.get("buffer_cap", 20000), options.get("buffer_bytes", 10 * 1024 * 1024)
        )
        self.observer = SimpleNamespace(t0=0.0)  # the child's run clock (CLOCK_MONOTONIC)
        self.credit = RemoteCredit(self)
        self.paused = False
        self.speed = float(options.get("speed", 1.0))
        self.sent = 0
        self.heavy = False  # its process was found heavy and demoted (app/engine/oslimits.py)
        self.state = "new"
        self.pid: int | None = None
        self.done = gevent.event.Event()
        self._dir: str | None = None
        self._channel: Channel | None = None
        self._lock = gevent.lock.Semaphore()
        self._calls: dict = {}
        self._started = gevent.event.AsyncResult()
        self._totals = {"links": {}, "sockets": {}}
        self._last_stats: dict | None = None
        self._held_stop: dict | None = None  # the ``stopped`` event, until the totals come
        self._stop_reason: str | None = None
        self._greenlets: list = []
        self._exit = gevent.event.AsyncResult()  # the child watcher, once the child has ended
        self._child_watcher = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> dict:
        """Start the child and its run; the run's info, or OSError saying why it could not."""
        self.state = "starting"
        self._dir = run_tmpdir()
        endpoint = endpoint_in(self._dir)
        try:
            self._channel = Channel(endpoint, bind=True)
            life = self._spawn(endpoint)
        except BaseException:
            self._cleanup()
            self.state = "stopped"
            raise
        self._greenlets = [gevent.spawn(self._read), gevent.spawn(self._watch, life)]
        self.send(["start", {"doc": self.doc, "options": self.options, "limits": self.limits}])
        timeout = float(self.options.get("ready_timeout", 3.0)) + START_SLACK
        self._started.wait(timeout)
        msg = self._started.get() if self._started.ready() else None
        if msg is None or msg[0] != "started":
            why = msg[1] if msg else f"its process did not start within {timeout:g} s"
            self._kill()
            self.done.wait(REAP_WAIT + 1)
            self.state = "stopped"
            raise OSError(why.removeprefix("could not start the run: "))  # the session says it
        self.state = "running"
        self.observer.t0 = msg[2]
        return {**msg[1], "run": self.id}

    def _spawn(self, endpoint: str) -> int:
        """Start ``python -m app.engine.child``; the read end of its life pipe."""
        life, theirs = os.pipe()
        path = os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH")) if p)
        # the run's own ipc dir goes inside ours
        env = {**os.environ, "TMPDIR": self._dir, "PYTHONPATH": path}
        actions = [
            (os.POSIX_SPAWN_DUP2, theirs, CHILD_FD),
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        ]
        nice = str(self.limits.get("nice", 0))
        argv = [sys.executable, "-m", "app.engine.child", endpoint, str(os.getpid()), nice]
        try:
            # posix_spawn, not subprocess: gevent's patched subprocess would reap the child
            # itself, and its exit status (which limit ended it) would be lost
            self.pid = os.posix_spawn(sys.executable, argv, env, file_actions=actions, setsid=True)
        except BaseException:
            os.close(life)
            raise
        finally:
            os.close(theirs)
        # the hub's loop reaps any child on SIGCHLD (libev): a child watcher is how its exit
        # status reaches us then (a plain wait4 found it already reaped, now and then)
        loop = get_hub().loop
        if hasattr(loop, "install_sigchld"):
            loop.install_sigchld()
        watcher = loop.child(self.pid, False)
        watcher.start(self._exit.set, watcher)
        self._child_watcher = watcher
        return life

    def stop(self, reason: str = "user") -> None:
        """Stop the run; when this returns, its last events (``stopped`` last) are in
        ``events`` and :meth:`totals` is final."""
        if self.state in ("stopped", "stopping", "new"):
            return
        self.state = "stopping"
        self._stop_reason = reason
        with gevent.Timeout(STOP_TIMEOUT, False):
            self.send(["stop", 0, reason])
        if not self.done.wait(STOP_TIMEOUT):
            self._stop_reason = (
                f"{reason} (the run's process did not stop within {STOP_TIMEOUT:g} s and was "
                "killed)"
            )
            self._kill()
            self.done.wait(REAP_WAIT + 1)

    def forget(self) -> None:
        """Nothing to drop here: the child's memory goes with it."""

    def totals(self) -> dict:
        """The counters: final once stopped (the child's), else the newest ``stats``."""
        return self._totals

    # -- commands ------------------------------------------------------------------------------
    def send(self, message) -> None:
        """One message to the child, whole and in order (never once it has ended)."""
        if self._channel is None or self.done.is_set():
            return
        with self._lock:
            self._channel.send(message)

    def _request(self, message: list):
        """Send a command and wait for its answer; _GONE when the child cannot answer."""
        if self.state != "running":
            return _GONE
        key = next(_ids)
        message[1] = key
        answer = self._calls[key] = gevent.event.AsyncResult()
        self.send(message)
        answer.wait(CALL_TIMEOUT)  # (returns the answer, which may be None)
        if not answer.ready():
            self._calls.pop(key, None)
            self._stop_reason = (
                f"the run's process did not answer a command within {CALL_TIMEOUT:g} s "
                "and was killed"
            )
            self._kill()
            return _GONE
        return answer.get()

    def _call(self, name: str, *args):
        result = self._request(["call", 0, name, list(args)])
        return "the run has ended" if result is _GONE else result

    def pause(self):
        self._call("pause")

    def resume(self):
        self._call("resume")

    def step(self):
        self._call("step")

    def set_speed(self, value):
        self._call("set_speed", value)

    def kill_node(self, node):
        return self._call("kill_node", node)

    def restart_node(self, node):
        return self._call("restart_node", node)

    def pause_node(self, node, on):
        return self._call("pause_node", node, on)

    def delay_node(self, node, ms):
        return self._call("delay_node", node, ms)

    def cut_link(self, link, on):
        return self._call("cut_link", link, on)

    def subscribe(self, node, socket, topic, on):
        return self._call("subscribe", node, socket, topic, on)

    def inject(self, node, socket, frames, count, max_bytes):
        result = self._call("inject", node, socket, frames, count, max_bytes)
        return {"problem": result} if isinstance(result, str) else result

    def apply_edit(self, doc: dict) -> list[dict]:
        """A live edit, planned and applied by the child; what was done, or OSError."""
        result = self._request(["edit", 0, doc])
        if result is _GONE:
            raise OSError("the run has ended")
        if "applied" not in result:
            raise OSError(result.get("error") or f"refused: {result.get('refused')}")
        self.doc = doc
        return result["applied"]

    def sent_total(self) -> int:
        """Messages every socket has sent (as the child last said)."""
        return self.sent

    # -- what the child says -------------------------------------------------------------------
    def _status(self, status: list) -> None:
        self.sent, self.paused, self.speed, self.heavy = status[0], status[1], status[2], status[5]
        if status[3] == self.credit.seq:
            self.credit.left = status[4]

    def _read(self) -> None:
        """Every message of the child, in order."""
        channel = self._channel
        while True:
            msg = channel.recv()
            kind = msg[0]
            if kind == "ev":
                self._events(msg[1], msg[2], msg[3])
                self._status(msg[4])
            elif kind == "reply":
                self._status(msg[3])
                answer = self._calls.pop(msg[1], None)
                if answer is not None:
                    answer.set(msg[2])
            elif kind == "stopped":
                self._status(msg[3])
                self._totals = msg[2]
                self._end(None)
            elif kind in ("started", "failed"):
                self._started.set(msg)

    def _events(self, batch: list, skipped: int, untraced: int) -> None:
        buf = self.events
        if batch and batch[-1]["ev"] == "stopped":
            self._held_stop = batch.pop()  # put once the final totals are here
        for event in batch:
            if event["ev"] == "stats":
                self._last_stats = event
            buf.put(event)
        buf.skipped += skipped
        buf.untraced += untraced

    def _end(self, reason: str | None) -> None:
        """The run is over: its ``stopped`` event goes last, after the totals are known."""
        if self.state == "stopped":
            return
        stopped = self._held_stop
        if stopped is None or reason is not None:
            stopped = {"ev": "stopped", "reason": reason or self._stop_reason or "ended"}
            if self._last_stats is not None:
                last = self._last_stats
                self._totals = {"links": last["links"], "sockets": last["sockets"]}
        self.state = "stopped"
        self.events.put(stopped)
        for answer in self._calls.values():
            answer.set(_GONE)
        self._calls.clear()
        self.done.set()

    def _watch(self, life: int) -> None:
        """Wait for the child to end (its pipe closes), learn how, and clean up after it."""
        try:
            while True:
                wait_read(life)
                if not os.read(life, 64):
                    break
        finally:
            os.close(life)
        status, cpu = self._reap()
        if status == 0:
            # it ended of its own accord, after its last message (a refused start, the end of
            # its run): let the reader take what is still on its way before judging
            with gevent.Timeout(REAP_WAIT, False):
                while not self._said_all():
                    gevent.sleep(0.01)
        if not self._started.ready():
            self._started.set(["failed", why_ended(status, cpu, self.limits)])
        if self.state != "stopped":
            reason = self._stop_reason if self._killed else None
            self._end(reason or why_ended(status, cpu, self.limits))
        self._cleanup()

    _killed = False

    def _said_all(self) -> bool:
        """The child's last message has been read: its refusal, or its run's end."""
        if not self._started.ready():
            return False
        return self._started.get()[0] != "started" or self.done.is_set()

    def _kill(self) -> None:
        if self.pid is not None and not self._killed:
            self._killed = True
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _reap(self) -> tuple[int | None, float]:
        """(exit status as os.waitstatus_to_exitcode gives it, CPU seconds used; the status is
        None when nobody could tell)."""
        cpu = cpu_of(self.pid)  # a zombie still shows it, until reaped
        waited = 0.0
        while True:
            if self._exit.ready():
                return os.waitstatus_to_exitcode(self._exit.get().rstatus), cpu
            try:
                pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            except ChildProcessError:  # the loop's SIGCHLD handler took it: its watcher tells
                # (in the same turn of the loop; bounded only against a loop that never turns,
                # as a starved worker's may not for seconds: not REAP_WAIT, or why it ended is lost)
                self._exit.wait(REAP_STATUS_WAIT)
                if self._exit.ready():
                    continue
                return None, cpu
            if pid:
                return os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime
            if waited > REAP_WAIT:  # its pipe closed but it lingers: end it
                self._kill()
            gevent.sleep(0.01)
            waited += 0.01

    def _cleanup(self) -> None:
        if self._child_watcher is not None:
            self._child_watcher.stop()
            self._child_watcher = None
        current = gevent.getcurrent()
        for g in self._greenlets:
            if g is not current:
                g.kill(block=True, timeout=1)
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
