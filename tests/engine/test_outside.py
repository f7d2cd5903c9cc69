"""A real ZeroMQ program in another process joins a run through an exposed socket."""

import json
import subprocess
import sys

import gevent
import gevent.subprocess
from topo import doc, node, of, sock

from app.engine.run import Run

CLIENT = r"""
import json, sys, zmq
ctx = zmq.Context()
s = ctx.socket(getattr(zmq, sys.argv[2]))
s.setsockopt(zmq.LINGER, 0)
s.setsockopt(zmq.RCVTIMEO, 5000)
if sys.argv[2] == "SUB":
    s.setsockopt(zmq.SUBSCRIBE, b"")
s.connect(sys.argv[1])
out = []
for i in range(3):
    if sys.argv[2] == "REQ":
        s.send(f"Hello {i}".encode())
    out.append([f.decode() for f in s.recv_multipart()])
print(json.dumps(out))
"""


def _outside(endpoint, socket_type):
    proc = gevent.subprocess.Popen(
        [sys.executable, "-c", CLIENT, endpoint, socket_type],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err.decode()
    return json.loads(out)


def test_outside_req_talks_to_an_exposed_rep():
    d = doc(
        [
            node(
                "server",
                "replier",
                [sock("rep", "REP", "bind", expose=True)],
                socket="rep",
                transform="fixed",
                text="World",
            )
        ],
        [],
    )
    run = Run(d, trace_rate=1e9)
    info = run.start()
    endpoint = info["exposed"]["server.rep"]
    assert endpoint.startswith("tcp://127.0.0.1:")
    replies = _outside(endpoint, "REQ")
    gevent.sleep(0.1)
    run.stop()
    events, _, _ = run.events.drain()
    assert replies == [["World"]] * 3  # exactly the frames the node sent
    arrived = [e for e in of(events, "delivered") if e["to"] == "server.rep"]
    assert [e["frames"] for e in arrived] == [[f"Hello {i}"] for i in range(3)]
    assert {e["link"] for e in arrived} == {"server.rep~outside"}
    assert run.links["server.rep~outside"].delivered == 3
    assert "connected" in [
        e["state"] for e in of(events, "link") if e["link"] == "server.rep~outside"
    ]


def test_outside_sub_receives_exact_multipart_frames():
    d = doc(
        [
            node(
                "pub",
                "source",
                [sock("out", "PUB", "bind", expose=True)],
                socket="out",
                interval_ms=20,
                frames=["weather", "reading {n}"],
            )
        ],
        [],
    )
    run = Run(d)
    info = run.start()
    got = _outside(info["exposed"]["pub.out"], "SUB")
    run.stop()
    assert all(f[0] == "weather" and f[1].startswith("reading ") and len(f) == 2 for f in got)
    nums = [int(f[1].split()[1]) for f in got]
    assert nums == list(range(nums[0], nums[0] + 3))
