"""Helpers shared by behaviours: message templates, body transforms and envelopes."""

from __future__ import annotations

import itertools


class Template:
    """Frames from templates with ``{n}`` (counter), ``{topic}`` (cycling) and ``{node}``.

    Frames without a placeholder are encoded once: a flat-out source stays cheap per message.
    """

    def __init__(self, frames: list[str], topics: list[str], node_id: str):
        self.frames = [f.replace("{node}", node_id) for f in (frames or ["msg {n}"])]
        self.topics = itertools.cycle(topics) if topics else None
        self._dynamic = any("{n}" in f or "{topic}" in f for f in self.frames)
        self._static = [f.encode() for f in self.frames]
        # the one constant frame of every message, when that is all there is (else None)
        self.single = self._static[0] if not self._dynamic and len(self._static) == 1 else None

    def render(self, n: int) -> list[bytes]:
        """The n-th message, each frame UTF-8 encoded."""
        if not self._dynamic:
            return list(self._static)
        topic = next(self.topics) if self.topics else ""
        values = {"n": str(n), "topic": topic}
        return [_fill(f, values).encode() for f in self.frames]


def _fill(text: str, values: dict) -> str:
    """Replace ``{name}`` placeholders we know; leave any other braces alone."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def transform(body: bytes, how: str, text: str) -> bytes:
    """A reply or result body made from ``body``: echo, upper, fixed text or a prefix."""
    if how == "upper":
        return body.upper()
    if how == "fixed":
        return text.encode()
    if how == "prefix":
        return text.encode() + body
    return body


def split_envelope(frames: list[bytes], sock_type: str) -> tuple[list[bytes], list[bytes]]:
    """(envelope, content) of a received message as the application sees it.

    ROUTER prepends the peer identity; a REQ (or a well-behaved DEALER) peer adds an empty
    delimiter. The envelope is everything up to and including the first empty frame, or just the
    identity frame when there is none.
    """
    if sock_type not in ("ROUTER", "DEALER"):
        return [], frames
    start = 1 if sock_type == "ROUTER" else 0
    for i in range(start, len(frames)):
        if frames[i] == b"":
            return frames[: i + 1], frames[i + 1 :]
    return frames[:start], frames[start:]


def reply_frames(frames: list[bytes], sock_type: str, how: str, text: str) -> list[bytes]:
    """The reply to a request received on a socket of ``sock_type``, keeping its envelope."""
    envelope, content = split_envelope(frames, sock_type)
    if not content:
        content = [b""]
    return envelope + content[:-1] + [transform(content[-1], how, text)]
