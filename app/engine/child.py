"""A run in a process of its own (RUN_ISOLATION=process): ``python -m app.engine.child ENDPOINT
PARENT_PID NICE``, started by a web worker (app/web/remote.py), which it serves over one channel
(app/engine/channel.py: the messages, their order).

The process owns one run (the same :class:`app.engine.run.Run` as in the worker) and lives as
long as it: it applies the operating system's limits the worker computed (app/engine/oslimits.py)
before the run opens anything, relays the run's events in batches, answers commands, and exits
after the run's last message. File descriptor 3 is the write end of a pipe the worker reads: when
this process ends, however it ends, the worker sees it at once.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import sys
import time

import gevent
import gevent.event
import gevent.lock
import zmq

from .channel import Channel
from .edits import apply_plan
from .oslimits import (
    EXIT_MEMORY,
    apply,
    cpu_reason,
    demote,
    die_with_parent,
    lower_priority,
    memory_reason,
)
from .run import Run

BATCH_WINDOW = 0.002  # s: events of the next few ms travel in one message
BATCH_MAX = 2000  # events per message
HEAVY_EVERY = (
    0.1  # s between two looks at how much CPU the run uses (a flat-out start: caught soon)
)
LINGER_MS = 5000  # at exit: how long the last messages may wait for the worker to take them
# run methods the worker may call (docs/protocol.md's commands); anything else is refused
CALLS = frozenset(
    (
        "pause",
        "resume",
        "step",
        "set_speed",
        "kill_node",
        "restart_node",
        "pause_node",
        "delay_node",
        "cut_link",
        "subscribe",
        "inject",
    )
)


class Child:
    """The run's side of the channel."""

    def __init__(self, channel: Channel):
        self.channel = channel
        self.run: Run | None = None
        self.grant_seq = 0
        self.heavy = False  # demoted (watch_cpu)
        self.lock = gevent.lock.Semaphore()  # one whole message at a time, in order
        self.finished = gevent.event.Event()

    def status(self) -> list:
        """[sent, paused, speed, grant seq, credit left, heavy] (the channel's module doc)."""
        run = self.run
        sent = sum(s.sent for s in run.socks.values())
        return [sent, run.paused, run.speed, self.grant_seq, run.credit.left, self.heavy]

    def serve(self) -> int:
        """Start the run the first message describes, then answer commands until it ends; the
        process's exit status (EXIT_MEMORY says the memory limit even if the message is lost:
        libzmq short of memory may not deliver it)."""
        kind, spec = self.channel.recv()
        assert kind == "start", kind
        apply(spec["limits"])
        try:
            self.run = Run(spec["doc"], **spec["options"])
            info = self.run.start()
        except MemoryError:
            self.send(["failed", memory_reason(spec["limits"])])
            return EXIT_MEMORY
        except (zmq.ZMQError, OSError) as err:
            if err.errno == errno.ENOMEM:  # under RLIMIT_DATA (a thread, a socket's buffers)
                self.send(["failed", memory_reason(spec["limits"])])
                return EXIT_MEMORY
            self.send(["failed", f"could not start the run: {err}"])
            return 0
        self.send(["started", info, self.run.observer.t0])
        gevent.signal_handler(signal.SIGXCPU, self.on_cpu_limit, spec["limits"]["cpu"])
        jobs = [gevent.spawn(self.pump), gevent.spawn(self.commands)]
        limits = spec["limits"]
        heavy = [limits.get(k, 0) for k in ("heavy_cpu", "heavy_rate", "heavy_trace_rate")]
        jobs.append(gevent.spawn(self.watch_cpu, *heavy))
        self.finished.wait()
        gevent.killall(jobs, block=True, timeout=1)
        return 0

    def watch_cpu(self, heavy: float, heavy_rate: float, trace_rate: float) -> None:
        """A run that uses more than ``heavy`` of a core, or sends more than ``heavy_rate``
        messages a second, gets only the CPU nobody else wants (app/engine/oslimits.py demote),
        and at most ``trace_rate`` of its messages a second are traced: relaying them is the
        worker's work (at TRACE_RATE, 24 flat-out runs sent it ~20 000 events a second).
        The rate too: on a saturated machine a flat-out run gets far less than ``heavy`` (24 of
        them on 2 cores: ~8 % each) but still sends thousands a second. (How long it waits for
        the CPU is no measure: under such a load a quiet run's threads wait too.)"""
        if heavy <= 0 and heavy_rate <= 0:
            return
        cpu, sent, at = _cpu(), self.status()[0], time.monotonic()
        while True:
            gevent.sleep(HEAVY_EVERY)
            now_cpu, now_sent, now = _cpu(), self.status()[0], time.monotonic()
            elapsed = now - at
            if (heavy > 0 and now_cpu - cpu > heavy * elapsed) or (
                heavy_rate > 0 and now_sent - sent > heavy_rate * elapsed
            ):
                demote()
                observer = self.run.observer
                if trace_rate and observer.trace_rate:
                    observer.set_trace_rate(min(observer.trace_rate, trace_rate))
                self.heavy = True
                return
            cpu, sent, at = now_cpu, now_sent, now

    def send(self, message) -> None:
        with self.lock:
            self.channel.send(message)

    # -- events --------------------------------------------------------------------------------
    def pump(self) -> None:
        """Relay the run's events as they come, in batches."""
        ready = self.run.events.ready
        while not self.finished.is_set():
            ready.wait()
            gevent.sleep(BATCH_WINDOW)
            self.flush(None)

    def flush(self, stop_id) -> None:
        """Send every waiting event; after the run's ``stopped``, its final totals (answering
        the ``stop`` with id ``stop_id``, if it asked), and end."""
        with self.lock:
            if self.finished.is_set():
                return
            run = self.run
            while True:
                batch, skipped, untraced = run.events.drain(BATCH_MAX)
                if batch or skipped or untraced:
                    self.channel.send(["ev", batch, skipped, untraced, self.status()])
                if not batch:
                    break
                if batch[-1]["ev"] == "stopped":
                    self.channel.send(["stopped", stop_id, run.totals(), self.status()])
                    self.finished.set()
                    return
                if len(batch) < BATCH_MAX:
                    break

    # -- commands ------------------------------------------------------------------------------
    def commands(self) -> None:
        """Answer the worker's commands in order."""
        while True:
            msg = self.channel.recv()
            kind = msg[0]
            if kind == "grant":
                self.grant_seq = msg[1]
                self.run.credit.grant(msg[2])
            elif kind == "call":
                self.send(["reply", msg[1], self.call(msg[2], msg[3]), self.status()])
            elif kind == "edit":
                self.send(["reply", msg[1], self.edit(msg[2]), self.status()])
            elif kind == "stop":
                self.stop(msg[2], msg[1])
                return

    def call(self, name: str, args: list):
        if name not in CALLS:
            return f"unknown command {name!r}"
        return getattr(self.run, name)(*args)

    def edit(self, doc: dict) -> dict:
        """A live edit the worker has validated and planned: planned again here, against the
        run's own document (the same inputs give the same plan), and applied."""
        from ..topology.diff import is_empty, plan

        changes = plan(self.run.doc, doc)
        if changes["refused"]:
            return {"refused": changes["refused"]}
        if is_empty(changes):
            self.run.doc = doc
            return {"applied": []}
        try:
            return {"applied": apply_plan(self.run, doc, changes)}
        except (zmq.ZMQError, OSError) as err:
            return {"error": str(err)}

    def stop(self, reason: str, stop_id=None) -> None:
        self.run.stop(reason)
        self.flush(stop_id)

    def on_cpu_limit(self, seconds) -> None:
        """SIGXCPU: the run used its CPU time (RLIMIT_CPU's soft limit); SIGKILL comes soon."""
        gevent.spawn(self.stop, cpu_reason(seconds))


def _cpu() -> float:
    """CPU seconds this process has used (every thread)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> int:
    endpoint, parent, nice = argv[0], int(argv[1]), int(argv[2])
    die_with_parent(parent)
    lower_priority(nice)
    hub = gevent.get_hub()
    # a MemoryError in any greenlet (RLIMIT_DATA) ends the process with a status that names it
    hub.SYSTEM_ERROR = tuple(hub.SYSTEM_ERROR) + (MemoryError,)
    channel = Channel(endpoint, bind=False)
    try:
        status = Child(channel).serve()
    except MemoryError:
        os._exit(EXIT_MEMORY)
    channel.close(linger=LINGER_MS)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
