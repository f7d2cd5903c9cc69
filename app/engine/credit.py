"""A run's send credit: how many more messages its nodes may send before the next grant.

The web layer's governor (app/web/limits.py RateGovernor) grants credit a few times a second at
the run's rate; the nodes spend it in :meth:`NodeRt.send` and :meth:`NodeRt.send_burst`. With no
limit (``grant(None)``) sending costs one attribute check.

Why not pause and resume the run: a resume woke every node of the run at once, and each flat-out
source sent a whole batch (256 messages) before the next check could pause it again; with 24
runs of 80 sources that was ~2 000 greenlets cycling on the hub, and every other page's events
waited a full round behind them. Here a node with no credit parks on its own waiter, and a grant
wakes one node; a node that leaves credit behind wakes the next. A throttled run costs the hub
about one wake-up per grant, whatever its number of nodes, and never sends beyond its grant.
"""

from __future__ import annotations

from collections import deque

from gevent.hub import Waiter, get_hub


class Credit:
    """Messages a run may still send (``None``: no limit)."""

    __slots__ = ("left", "_waiters", "_hub")

    def __init__(self):
        self.left: float | None = None
        self._waiters: deque = deque()
        self._hub = get_hub()

    def grant(self, n: float | None) -> None:
        """Set what may be sent from now on (``None``: no limit), and wake a waiting node."""
        self.left = n
        if n is None:
            self.wake_all()
        else:
            self._wake()

    def take(self, want: int) -> int:
        """Up to ``want`` messages to send now; parks the caller while there is no credit."""
        while True:
            left = self.left
            if left is None:
                return want
            if left >= 1:
                got = want if left >= want else int(left)
                self.left = left - got
                if self.left >= 1:
                    self._wake()  # enough for another node: pass the baton on
                return got
            self._park()

    def spent(self, n: int) -> None:
        """``n`` messages went out without asking (a send already under way when the limit
        came): they count against the next grant."""
        if self.left is not None:
            self.left -= n

    def _park(self) -> None:
        waiter = Waiter(self._hub)
        self._waiters.append(waiter)
        try:
            waiter.get()
        finally:
            try:
                self._waiters.remove(waiter)
            except ValueError:
                pass

    def _wake(self) -> None:
        """Wake the longest-waiting node, if any (it re-checks the credit when it runs)."""
        waiters = self._waiters
        if waiters and (self.left is None or self.left >= 1):
            waiter = waiters.popleft()
            self._hub.loop.run_callback(waiter.switch, None)

    def wake_all(self) -> None:
        """Every parked node re-checks (the run stops, or its limit is lifted)."""
        while self._waiters:
            self._hub.loop.run_callback(self._waiters.popleft().switch, None)
