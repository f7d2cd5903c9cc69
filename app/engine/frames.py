"""Turning frames and zmq errors into JSON-safe previews for the event stream."""

from __future__ import annotations

import errno as _errno

import zmq

PREVIEW_BYTES = 256
MAX_PREVIEW_FRAMES = 16

_ZMQ_ERRNO_NAMES = {
    int(zmq.EFSM): "EFSM",
    int(zmq.ENOTSUP): "ENOTSUP",
    int(zmq.EHOSTUNREACH): "EHOSTUNREACH",
    int(zmq.EAGAIN): "EAGAIN",
    int(zmq.ETERM): "ETERM",
    int(zmq.ENOTSOCK): "ENOTSOCK",
    int(zmq.EPROTONOSUPPORT): "EPROTONOSUPPORT",
    int(zmq.EMTHREAD): "EMTHREAD",
}


def errno_name(err: BaseException) -> str:
    """libzmq's own name for the errno of a ZMQError (``EFSM``, ``EHOSTUNREACH`` ...)."""
    num = getattr(err, "errno", None)
    if num is None:
        return type(err).__name__
    return _ZMQ_ERRNO_NAMES.get(num) or _errno.errorcode.get(num, str(num))


def frame_json(frame: bytes):
    """A frame as a JSON string when it is valid UTF-8, else ``{"hex": ...}``."""
    part = frame[:PREVIEW_BYTES]
    try:
        return part.decode("utf-8")
    except UnicodeDecodeError:
        return {"hex": part.hex()}


def preview(frames) -> tuple[list, bool, int]:
    """(frames as JSON values, whether anything was cut, total size in bytes)."""
    size = 0
    cut = len(frames) > MAX_PREVIEW_FRAMES
    for f in frames:
        n = len(f)
        size += n
        if n > PREVIEW_BYTES:
            cut = True
    return [frame_json(f) for f in frames[:MAX_PREVIEW_FRAMES]], cut, size
