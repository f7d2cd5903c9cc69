"""A real ZeroMQ program in another process, connecting to an exposed socket (plain pyzmq).

``python outside.py ENDPOINT ROLE [options as JSON]``. It prints ``ready`` once its ZMTP
handshake with the run's socket has completed, then what it did as one JSON line:
- ``dealer``: routing id ``rid``; receives until nothing came for ``idle`` s; prints the frames.
- ``req``: sends ``n`` requests ``Hello {i}``, waits for each reply; prints the replies.
- ``push``: ``metadata`` (e.g. ``X-Node:a.out``) set before connecting, sends ``n`` messages
  ``spoof {i}``; prints how many.
"""

from __future__ import annotations

import json
import subprocess
import sys

PROGRAM = r"""
import json, sys, time, zmq
from zmq.utils.monitor import recv_monitor_message
endpoint, role, opts = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
ctx = zmq.Context()
s = ctx.socket({"dealer": zmq.DEALER, "req": zmq.REQ, "push": zmq.PUSH}[role])
s.setsockopt(zmq.LINGER, 2000)
if opts.get("rid"):
    s.setsockopt(zmq.ROUTING_ID, opts["rid"].encode())
if opts.get("metadata"):
    s.setsockopt(zmq.METADATA, opts["metadata"].encode())
mon = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
s.connect(endpoint)
if not mon.poll(10000):
    print("no handshake", flush=True); sys.exit(3)
recv_monitor_message(mon)
s.disable_monitor(); mon.close()
print("ready", flush=True)
out = []
if role == "dealer":
    while s.poll(int(opts.get("idle", 1.0) * 1000)):
        out.append([f.decode() for f in s.recv_multipart()])
elif role == "req":
    for i in range(opts.get("n", 10)):
        s.send(f"Hello {i}".encode())
        if not s.poll(10000):
            break
        out.append([f.decode() for f in s.recv_multipart()])
elif role == "push":
    for i in range(opts.get("n", 5)):
        s.send(f"spoof {i}".encode())
    out = opts.get("n", 5)
print(json.dumps(out), flush=True)
s.close(); ctx.term()
"""


class Outside:
    """The program running; ``ready()`` waits for its handshake, ``result()`` for its report."""

    def __init__(self, endpoint: str, role: str, **opts):
        import gevent.subprocess  # cooperative pipes: the run goes on while we wait

        self.proc = gevent.subprocess.Popen(
            [sys.executable, "-c", PROGRAM, endpoint, role, json.dumps(opts)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def ready(self) -> None:
        line = self.proc.stdout.readline().strip()
        assert line == "ready", f"outside program: {line!r} {self.proc.stderr.read()}"

    def result(self):
        out, err = self.proc.communicate(timeout=30)
        assert self.proc.returncode == 0, err
        return json.loads(out.strip().splitlines()[-1])
