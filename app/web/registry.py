"""Every open websocket session and run of this process: admission (delegated to admission.py,
which counts every worker through the ledger), the counts for /api/debug, and SIGTERM (every
socket closes with 1001)."""

from __future__ import annotations

import os
import signal

import gevent


class Registry:
    """Every open session and run of this process: the per-client and total limits."""

    def __init__(self):
        self.sessions: set = set()
        self.handlers = 0  # websocket handlers not yet returned (they outlive their session)
        self.runs: dict = {}  # Run -> Session
        self.shutting_down = False
        self._signal_pid = None

    def admit_run(self, session, doc) -> str | None:
        """None when ``session`` may start a run of ``doc`` (app/web/admission.py: its cost
        against the server's budgets, over every worker; idle runs reclaimed first)."""
        from . import admission

        return admission.admit(session.app, self, session, doc)

    def describe(self) -> dict:
        """Counts for /api/debug/resources."""
        return {
            "runs": len(self.runs),
            "sessions": len(self.sessions),
            "handlers": self.handlers,
            "queued": sorted((len(s.outbox) for s in self.sessions), reverse=True)[:20],
            "queued_max": max((len(s.outbox) for s in self.sessions), default=0),
            "run_clocks": {run.id: run.observer.t0 for run in self.runs},
        }

    # -- SIGTERM -----------------------------------------------------------------------------
    def install_signal_handler(self) -> None:
        """Once per process (after gunicorn's fork): SIGTERM closes every socket with 1001."""
        if self._signal_pid == os.getpid():
            return
        self._signal_pid = os.getpid()
        previous = signal.getsignal(signal.SIGTERM)

        def on_sigterm(signum, frame):
            if callable(previous):
                previous(signum, frame)  # gunicorn: stop accepting, wait for handlers
            gevent.spawn(self.shutdown, previous)

        try:
            signal.signal(signal.SIGTERM, on_sigterm)
        except ValueError:  # not the main thread: nothing to install
            self._signal_pid = None

    def shutdown(self, previous=None) -> None:
        """Close every session with 1001 (their runs stop first); at most ~2 s."""
        if self.shutting_down:
            return
        self.shutting_down = True
        jobs = [gevent.spawn(s.shutdown) for s in list(self.sessions)]
        gevent.joinall(jobs, timeout=3)
        if previous in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)


registry = Registry()


def live_runs():
    """Runs open in this process (for limits and leak tests)."""
    return registry.runs
