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


@pytest.fixture(scope="module")
def server():
    """A real gunicorn+gevent server; every message is traced so tests see them all."""
    with live_server({"TRACE_RATE": "1000000"}) as (url, _proc):
        yield url
