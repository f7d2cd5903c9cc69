"""task_worker: a pipeline worker that also reports and obeys.

It receives a task on ``input``, announces ``[started_topic, task]`` on ``events`` (if any),
works ``work_ms``, sends the transformed result on ``output`` (if any) and announces
``[completed_topic, task]``. A message on ``control`` (the zguide's taskwork2: a SUB on the
sink's PUB) is a kill signal: the worker stops at once."""

from __future__ import annotations

from .common import transform
from .frames_text import show_text
from .kit import Inbox


def run(node) -> None:
    b = node.behaviour
    src = node.socket(b["input"])
    out = node.socket(b["output"]) if b.get("output") else None
    events = node.socket(b["events"]) if b.get("events") else None
    control = node.socket(b["control"]) if b.get("control") else None
    started, completed = b["started_topic"].encode(), b["completed_topic"].encode()
    inbox = Inbox(node)
    inbox.watch(src)
    if control is not None:
        inbox.watch(control)
    done = 0
    while True:
        s, frames = inbox.get()
        if s is control:
            node.state("killed by signal", f"{show_text(frames[-1])} after {done} tasks")
            inbox.close()
            return
        task = frames or [b""]
        if events is not None:
            node.send(events, [started] + task)
        node.sleep(b["work_ms"])
        if out is not None:
            node.send(out, task[:-1] + [transform(task[-1], b["transform"], b["text"])])
        done += 1
        if events is not None:
            node.send(events, [completed] + task)
