"""Short human-readable renderings of identities and frames for node state details."""

from __future__ import annotations


def show_id(frame: bytes) -> str:
    """A routing id as text when printable, else hex (libzmq's own ids start with a zero byte)."""
    try:
        text = frame.decode("utf-8")
    except UnicodeDecodeError:
        return frame.hex()
    if text.isprintable():
        return text
    return frame.hex()


def show_text(frame: bytes, limit: int = 40) -> str:
    """A frame as quoted text for a state detail, cut to ``limit`` characters."""
    text = frame.decode("utf-8", errors="replace")
    return repr(text if len(text) <= limit else text[:limit] + "…")
