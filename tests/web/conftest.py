import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.server import live_server  # noqa: E402

from app import create_app  # noqa: E402


@pytest.fixture
def client():
    """Flask test client (no network)."""
    return create_app({"TESTING": True}).test_client()


@pytest.fixture(scope="module", params=["inline", "process"])
def server(request):
    """A real gunicorn+gevent server; every message is traced so tests see them all. Twice:
    runs on the worker's hub, and each in a process of its own (RUN_ISOLATION)."""
    env = {"TRACE_RATE": "1000000", "RUN_ISOLATION": request.param}
    with live_server(env) as (url, _proc):
        yield url
