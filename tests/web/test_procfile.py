"""The Procfile's ``web:`` command, as a Procfile platform runs it: through a shell, with PORT set,
from the project's virtualenv (the gunicorn installed from requirements.txt, nothing else of the
machine's Python). It serves the editor page, its assets, and a websocket run.

The one change to the line: it binds 127.0.0.1 instead of 0.0.0.0 (tests touch no other
interface)."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from wsclient import WsClient

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent  # tests run from the venv (scripts/test.sh)


def web_command() -> str:
    """The ``web:`` line of the Procfile."""
    lines = (ROOT / "Procfile").read_text().splitlines()
    (web,) = [line.split(":", 1)[1].strip() for line in lines if line.startswith("web:")]
    return web


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def procfile_server():
    assert sys.prefix != sys.base_prefix, "run the tests from the project virtualenv"
    gunicorn = shutil.which("gunicorn", path=str(VENV_BIN))
    assert gunicorn and Path(gunicorn).parent == VENV_BIN
    command = web_command()
    assert "$PORT" in command and "0.0.0.0:" in command
    command = command.replace("0.0.0.0:", "127.0.0.1:")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("WEB_CONCURRENCY", "PYTHONPATH")}
    # The venv first on PATH and nothing else of Python's: what `source .venv/bin/activate` gives.
    env.update(PORT=str(port), PATH=f"{VENV_BIN}:/usr/bin:/bin", VIRTUAL_ENV=sys.prefix)
    log = tempfile.NamedTemporaryFile("w+", prefix="zpg-procfile-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        ["/bin/sh", "-c", "exec " + command],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"the Procfile's web command did not start:\n{log.read()[-3000:]}")
            try:
                with urllib.request.urlopen(url + "/", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        yield url, proc, log
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.unlink(log.name)


def test_the_web_line_serves_the_editor_and_its_assets(procfile_server):
    url, proc, _log = procfile_server
    with urllib.request.urlopen(url + "/", timeout=10) as r:
        assert r.status == 200
        page = r.read().decode()
    script = re.search(r'<script type="module" src="([^"]+)"', page).group(1)
    req = urllib.request.Request(url + script, headers={"Accept-Encoding": "br"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200 and r.headers["Content-Encoding"] == "br"
    assert proc.poll() is None


def test_the_web_line_runs_a_topology_over_the_websocket(procfile_server):
    url, _proc, log = procfile_server
    ws = WsClient(url)
    assert ws.recv()["type"] == "hello"
    with urllib.request.urlopen(url + "/api/presets/pipeline", timeout=10) as r:
        doc = json.load(r)["topology"]
    ws.send({"op": "start", "topology": doc})
    ws.recv_until(lambda m: m["type"] == "started", timeout=20)
    _, msg = ws.recv_until(
        lambda m: m["type"] == "events" and any(e["ev"] == "delivered" for e in m["events"]),
        timeout=20,
    )
    assert msg["events"]
    ws.send({"op": "stop"})
    ws.recv_until(lambda m: m["type"] == "stopped", timeout=20)
    ws.close()
    log.seek(0)
    text = log.read()
    # the gevent worker the line asks for booted (its import failed in a fresh venv before
    # packaging was pinned) and nothing failed since
    assert "Using worker: gevent" in text and "Booting worker" in text
    assert "Traceback" not in text and "Error" not in text
