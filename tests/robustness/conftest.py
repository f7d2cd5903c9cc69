"""Robustness tests: the real server (gunicorn + gevent worker) under abuse, leaks and shutdown.
Their helpers are in tests/support/robust.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.robust import serve  # noqa: E402


@pytest.fixture(scope="module")
def srv():
    """One relaxed server per module (high command rate, every message traced)."""
    with serve(
        WS_COMMANDS_PER_SECOND=100000,
        TRACE_RATE=1000000,
        MAX_RUNS_PER_CLIENT=100,
        WS_MAX_PER_CLIENT=1000,
    ) as s:
        yield s
