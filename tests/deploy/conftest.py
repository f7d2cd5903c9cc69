"""The deployment of docs/deploying.md (tests/support/stack.py), started once for every test."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "web"))

from deploy_helpers import LIMITS, STEPS  # noqa: E402
from support.stack import deployment  # noqa: E402


@pytest.fixture(scope="session")
def stack():
    """PostgreSQL, two app servers, nginx with TLS: as the page says."""
    t0 = time.monotonic()
    # every request of these tests comes from one client (127.0.0.1): the rolling restart's
    # saver saves far more than a person would (SAVES_PER_MINUTE has tests of its own)
    # the per-client limits test_shared_limits.py counts (written out: the defaults may change)
    with deployment(extra_env={"SAVES_PER_MINUTE": "0", **LIMITS}) as st:
        STEPS.append(("start PostgreSQL, 2 app servers, nginx (TLS)", time.monotonic() - t0))
        yield st
    for step, seconds in STEPS:
        print(f"\n  {seconds:6.1f} s  {step}", end="")


@pytest.fixture(autouse=True)
def _timed(request):
    t0 = time.monotonic()
    yield
    STEPS.append((request.node.name, time.monotonic() - t0))
