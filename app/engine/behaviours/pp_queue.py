"""pp_queue: the Paranoid Pirate queue (zguide ppqueue): a load-balancing broker with heartbeats.

Workers are DEALERs on the backend ROUTER. Any message from a worker (READY ``\\x01``, HEARTBEAT
``\\x02`` or a reply) puts it at the back of the ready queue with a fresh expiry of ``liveness`` x
``heartbeat_ms``. Every ``heartbeat_ms`` the queue sends HEARTBEAT to each idle worker and drops
the workers whose expiry has passed ("worker expired"), so requests no longer go to a worker
that died. Requests ``[client, "", body]`` go to the longest-idle worker as
``[worker, client, "", body]``; replies come back ``[worker, client, "", reply]`` and go to the
client as ``[client, "", reply]``.
"""

from __future__ import annotations

from collections import OrderedDict, deque

import gevent.event

from .frames_text import show_id
from .kit import Clock, Inbox

READY, HEARTBEAT = b"\x01", b"\x02"


def run(node) -> None:
    b = node.behaviour
    front = node.socket(b["frontend"])
    back = node.socket(b["backend"])
    hb, liveness = b["heartbeat_ms"], b["liveness"]
    clock = Clock(node)
    workers: OrderedDict[bytes, float] = OrderedDict()  # identity -> expiry, longest idle first
    held: deque[list[bytes]] = deque()
    free = gevent.event.Event()
    inbox = Inbox(node)
    inbox.watch(back)
    inbox.watch(front, free)
    heartbeat_at = clock.now() + hb
    while True:
        item = inbox.get(max(0.0, heartbeat_at - clock.now()))
        if item is not None:
            s, frames = item
            if s is back:
                worker, msg = frames[0], frames[1:]
                if msg == [READY]:
                    node.state("worker ready", show_id(worker))
                workers.pop(worker, None)
                workers[worker] = clock.now() + hb * liveness
                if len(msg) == 1:
                    if msg[0] not in (READY, HEARTBEAT):
                        node.state("invalid message", f"from worker {show_id(worker)}")
                elif msg:
                    node.send(front, msg)
            else:
                held.append(frames)
        now = clock.now()
        for worker in [w for w, expiry in workers.items() if expiry < now]:
            del workers[worker]
            node.state(
                "worker expired", f"{show_id(worker)}: no heartbeat for {liveness} x {hb} ms"
            )
        while held and workers:
            worker, _expiry = workers.popitem(last=False)
            node.send(back, [worker] + held.popleft())
        if now >= heartbeat_at:
            for worker in list(workers):
                node.send(back, [worker, HEARTBEAT])
            heartbeat_at = now + hb
        if workers:
            free.set()
        else:
            free.clear()
