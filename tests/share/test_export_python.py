"""Runnable Python export (app/export/python.py): scripts compile, run as separate processes and
interoperate, reproducing the playground's outcome."""

import os
import re
import subprocess
import sys
import time

import pytest
from share_helpers import preset_topology
from support.server import free_port

from app.export import NOT_EXPORTABLE, python_script


def write(tmp_path, doc, name="topology.py"):
    path = tmp_path / name
    path.write_text(python_script(doc))
    return path


def base_port(n=8):
    """A base port with n free ports after it (checked, not guaranteed: tests retry rarely)."""
    for _ in range(50):
        start = free_port()
        if start + n < 65000 and all(_free(start + i) for i in range(n)):
            return start
    raise RuntimeError("no run of free ports")


def _free(port):
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def fast_pipeline(count=20):
    doc = preset_topology("pipeline")
    doc["nodes"][0]["behaviour"].update(count=count, interval_ms=20)
    for node in doc["nodes"][1:4]:
        node["behaviour"]["work_ms"] = 10
    return doc


def wait_for_lines(proc, pattern, count, timeout=30.0):
    """Read proc's stdout until `count` lines match `pattern`; returns every line read."""
    lines, found = [], 0
    deadline = time.monotonic() + timeout
    os.set_blocking(proc.stdout.fileno(), False)
    buf = b""
    while time.monotonic() < deadline and found < count:
        chunk = proc.stdout.read()
        if chunk:
            buf += chunk
            *done, buf = buf.split(b"\n")
            for raw in done:
                line = raw.decode(errors="replace")
                lines.append(line)
                found += bool(re.search(pattern, line))
        else:
            time.sleep(0.05)
    return lines


@pytest.mark.parametrize("preset", ["reqrep-hello", "pubsub-weather", "pipeline"])
def test_every_preset_exports_to_valid_python(preset, tmp_path):
    path = write(tmp_path, preset_topology(preset))
    compile(path.read_text(), str(path), "exec")
    out = subprocess.run(
        [sys.executable, str(path), "--list", "--base-port", "7000"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 0 and "tcp://127.0.0.1:7000" in out.stdout


def test_pipeline_runs_as_separate_processes_and_the_sink_gets_every_task(tmp_path):
    """One process per node, started separately (as a reader would, one per terminal)."""
    path = write(tmp_path, fast_pipeline(20))
    port = base_port()
    procs = {}
    try:
        # Start the sink last and the workers first: order must not matter over tcp.
        for node in ("w1", "w2", "w3", "sink", "ventilator"):
            procs[node] = subprocess.Popen(
                [sys.executable, str(path), node, "--base-port", str(port), "--seconds", "40"],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
        lines = wait_for_lines(procs["sink"], r"^\[sink\] received #", 20, timeout=30)
        received = sorted(
            int(m.group(1)) for ln in lines if (m := re.search(r"received #\d+: task (\d+)", ln))
        )
        assert received == list(range(1, 21)), lines[-10:]
        pids = {p.pid for p in procs.values()}
        assert len(pids) == 5  # really five processes
    finally:
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            p.wait(timeout=10)


def test_launcher_starts_a_process_per_node(tmp_path):
    path = write(tmp_path, fast_pipeline(10))
    proc = subprocess.Popen(
        [sys.executable, str(path), "--base-port", str(base_port()), "--seconds", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        lines = wait_for_lines(proc, r"^\[sink\] received #", 10, timeout=25)
        worked = {m.group(1) for ln in lines if (m := re.match(r"\[(w\d)\] worked on", ln))}
        assert sum(ln.startswith("[sink] received #") for ln in lines) == 10
        assert worked == {"w1", "w2", "w3"}  # PUSH dealt the tasks round robin
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_reqrep_exported_client_gets_every_reply(tmp_path):
    doc = preset_topology("reqrep-hello")
    src = next(n for n in doc["nodes"] if n["kind"] == "source")
    src["behaviour"].update(count=5, interval_ms=10)
    path = write(tmp_path, doc)
    proc = subprocess.Popen(
        [sys.executable, str(path), "--base-port", str(base_port()), "--seconds", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        lines = wait_for_lines(proc, r"got reply", 5, timeout=25)
        assert sum("got reply" in ln for ln in lines) == 5
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_transforms_and_envelopes_match_the_engine(tmp_path):
    """Load the generated helpers and compare them with the engine's on the same inputs."""
    from app.engine.behaviours import common

    ns = {}
    exec(compile(write(tmp_path, preset_topology("pipeline")).read_text(), "x.py", "exec"), ns)
    cases = [
        ([b"id", b"", b"hi"], "ROUTER"),
        ([b"", b"hi"], "DEALER"),
        ([b"hi"], "REP"),
        ([b"id", b"hi"], "ROUTER"),
    ]
    for frames, sock in cases:
        for how in ("echo", "upper", "fixed", "prefix"):
            assert ns["reply_frames"](frames, sock, how, "T") == common.reply_frames(
                frames, sock, how, "T"
            )


def test_unknown_kinds_say_not_exportable_yet(tmp_path):
    """A kind with no exporter (a new gallery kind) still gets its sockets, and says so."""
    doc = preset_topology("pipeline")
    doc["nodes"][1]["kind"] = "broker"  # python_script trusts its caller to have validated
    doc["nodes"][1]["behaviour"] = {"mystery": 1}
    source = python_script(doc)
    compile(source, "x.py", "exec")
    assert f"kind 'broker' is {NOT_EXPORTABLE}" in source
    assert "Worker 1 (broker) — not exportable yet." in source
    assert "kind 'worker'" not in source
