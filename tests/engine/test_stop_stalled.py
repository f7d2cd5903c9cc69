"""Stopping a run whose readers are stalled while multipart messages are half written to the wire
must not abort the process. libzmq 4.3.5 asserts (session_base.cpp:233, libzmq#3442) when both
ends of such a connection close together; Run._teardown closes one side at a time. Before that,
every child below died within 20 stops."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    from gevent import monkey; monkey.patch_all()
    import sys
    import gevent
    from app.topology import prepare
    from app.engine.run import Run

    transport = sys.argv[1]
    frames = ["x" * 1000, "x" * 1000, "x" * 1000, "x" * 990 + "{n}"]
    nodes, links = [], []
    for i in range(3):
        nodes.append({"id": f"p{i}", "kind": "source",
                      "sockets": [{"name": "o", "type": "PUB", "mode": "bind"}],
                      "behaviour": {"socket": "o", "interval_ms": 0, "frames": frames}})
        nodes.append({"id": f"w{i}", "kind": "worker",
                      "sockets": [{"name": "i", "type": "SUB", "mode": "connect",
                                   "options": {"subscribe": [""]}},
                                  {"name": "o", "type": "PUSH", "mode": "bind"}],
                      "behaviour": {"input": "i", "output": "o", "work_ms": 600000}})
        links.append({"id": f"l{i}", "connect": {"node": f"w{i}", "socket": "i"},
                      "bind": {"node": f"p{i}", "socket": "o"}})
    doc, problems = prepare({"version": 1, "transport": transport, "nodes": nodes,
                             "links": links})
    assert not problems, problems
    for _ in range(20):
        run = Run(doc, trace_rate=0)
        run.start()
        gevent.sleep(0.3)  # the SUBs' queues and the TCP buffers fill; a message is cut
        run.stop()
        assert run.ctx is None and run.state == "stopped"
    print("stopped 20 times")
    """
)


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_stopping_stalled_multipart_links_never_aborts(transport):
    out = subprocess.run(
        [sys.executable, "-c", CHILD, transport],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert "stopped 20 times" in out.stdout
