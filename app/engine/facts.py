"""What the web layer needs to know of zmq, so that only the engine imports it: the errors a
start or an edit may end in, the library versions, and whether an object is a live zmq socket or
context (for the leak counts of /api/debug/resources)."""

from __future__ import annotations

import zmq

# a start or a live edit that libzmq or the OS refused (an address in use, too many files...)
RUN_ERRORS = (zmq.ZMQError, OSError)


def versions() -> dict:
    """libzmq's and pyzmq's versions, as the page's ``hello`` shows them."""
    return {"libzmq": zmq.zmq_version(), "pyzmq": zmq.__version__}


def live_zmq(obj) -> str | None:
    """``"socket"`` or ``"context"`` for an open zmq socket or context, else None."""
    if isinstance(obj, zmq.Socket):
        return None if obj.closed else "socket"
    if isinstance(obj, zmq.Context):
        return None if obj.closed else "context"
    return None
