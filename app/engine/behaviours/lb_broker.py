"""lb_broker: the load-balancing broker (zguide lbbroker), which is also the Simple Pirate queue.

Workers (REQ) connect to the backend ROUTER and say READY (``\\x01``); the broker keeps their
identities in a least-recently-used queue and reads the frontend only while a worker is free
(requests wait in libzmq's queues meanwhile). A request ``[client, "", body]`` goes to the worker
that has been idle longest as ``[worker, "", client, "", body]``; the worker's reply
``[worker, "", client, "", reply]`` goes back to the client as ``[client, "", reply]`` and puts
the worker at the back of the queue. It never checks whether a worker is still alive: a request
given to a dead worker is lost (that is what the Paranoid Pirate queue fixes).
"""

from __future__ import annotations

from collections import deque

import gevent.event

from .kit import Inbox

READY = (b"\x01", b"READY")  # spworker sends \x01, the lbbroker example "READY"


def run(node) -> None:
    b = node.behaviour
    front = node.socket(b["frontend"])
    back = node.socket(b["backend"])
    workers: deque[bytes] = deque()
    held: deque[list[bytes]] = deque()  # a request read just before the last worker went
    free = gevent.event.Event()
    inbox = Inbox(node)
    inbox.watch(back)
    inbox.watch(front, free)
    while True:
        s, frames = inbox.get()
        if s is back:
            if len(frames) < 3:
                node.state("invalid message", f"from a worker: {len(frames)} frames")
                continue
            worker, reply = frames[0], frames[2:]
            if worker not in workers:
                workers.append(worker)
            if not (len(reply) == 1 and reply[0] in READY):
                node.send(front, reply)
        else:
            held.append(frames)
        while held and workers:
            node.send(back, [workers.popleft(), b""] + held.popleft())
        if workers:
            free.set()
        else:
            free.clear()
