"""producer: the task producer of the seed's task distribution system: every ``interval_ms`` it
sends a task on ``tasks`` (usually PUSH, dealt round robin to the workers) and, if it has an
``events`` socket (usually PUB), announces it there as ``[event_topic, task]``."""

from __future__ import annotations

from .common import Template


def run(node) -> None:
    b = node.behaviour
    tasks = node.socket(b["tasks"])
    events = node.socket(b["events"]) if b.get("events") else None
    topic = b["event_topic"].encode()
    tpl = Template(b["frames"], [], node.id)
    node.sleep(b["start_delay_ms"])
    n = 0
    while b["count"] == 0 or n < b["count"]:
        n += 1
        task = tpl.render(n)
        node.send(tasks, task)
        if events is not None:
            node.send(events, [topic] + task)
        node.sleep(b["interval_ms"])
