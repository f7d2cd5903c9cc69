"""worker: receive on one socket, work for a while, pass the result on."""

from __future__ import annotations

from .common import reply_frames, split_envelope, transform


def run(node) -> None:
    """Receive on ``input``, sleep ``work_ms``, send the transformed message on ``output``."""
    b = node.behaviour
    src = node.socket(b["input"])
    out = node.socket(b["output"]) if b.get("output") else None
    while True:  # work_ms, transform and text are read per message (live edits)
        frames = node.recv(src)
        how, text = b["transform"], b["text"]
        node.sleep(b["work_ms"])
        _envelope, content = split_envelope(frames, src.type)
        if not content:
            content = [b""]
        if out is not None:
            node.send(out, content[:-1] + [transform(content[-1], how, text)])
        if src.type in ("REP", "ROUTER"):
            # a request socket on the input side expects its answer
            node.send(src, reply_frames(frames, src.type, how, text))
