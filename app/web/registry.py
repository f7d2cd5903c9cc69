"""Every open websocket session and run of this process: the per-client and total run limits,
the idle-run reclaiming, the counts for /api/debug, and SIGTERM (every socket closes with 1001)."""

from __future__ import annotations

import os
import signal
import time

import gevent


class Registry:
    """Every open session and run of this process: the per-client and total limits."""

    def __init__(self):
        self.sessions: set = set()
        self.runs: dict = {}  # Run -> Session
        self.shutting_down = False
        self._signal_pid = None

    def connections_of(self, client: str) -> int:
        """Open websockets from this client address."""
        return sum(1 for s in self.sessions if s.client == client)

    def admit_run(self, session) -> str | None:
        """None when ``session`` may start a run (after reclaiming an idle one if needed)."""
        cfg = session.config
        mine = [s for s in self.runs.values() if s.client == session.client and s is not session]
        per_client = cfg["MAX_RUNS_PER_CLIENT"]
        if len(mine) >= per_client:
            victim = self._most_idle(mine, cfg)
            if victim is None:
                return (
                    f"you already have {len(mine)} runs open, the most allowed per client "
                    f"(MAX_RUNS_PER_CLIENT = {per_client}); stop one or close a tab"
                )
            victim.reclaim(
                f"reclaimed: your new run needed its place (MAX_RUNS_PER_CLIENT = "
                f"{per_client}) and this one was idle"
            )
        if len(self.runs) >= cfg["MAX_RUNS"]:
            others = [s for s in self.runs.values() if s is not session]
            victim = self._most_idle(others, cfg)
            if victim is None:
                return (
                    f"the server is running its maximum of {cfg['MAX_RUNS']} runs "
                    "(MAX_RUNS); try again shortly"
                )
            victim.reclaim(
                f"reclaimed: the server needed room for another run (MAX_RUNS = "
                f"{cfg['MAX_RUNS']}) and this one was idle"
            )
        return None

    @staticmethod
    def _most_idle(sessions, cfg):
        """The session whose page has been quiet longest, if quiet for RUN_IDLE_SECONDS."""
        now = time.monotonic()
        idle = [s for s in sessions if now - s.last_command >= cfg["RUN_IDLE_SECONDS"]]
        return max(idle, key=lambda s: now - s.last_command, default=None)

    def describe(self) -> dict:
        """Counts for /api/debug/resources."""
        return {
            "runs": len(self.runs),
            "sessions": len(self.sessions),
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
