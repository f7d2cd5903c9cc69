"""Start the real app (gunicorn, gevent worker) on a free 127.0.0.1 port for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A port the kernel says is free on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(env: dict | None = None, timeout: float = 30.0, workers: int = 1):
    """Yield (base URL, process) of a running server; terminate it (by PID) afterwards."""
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="zpg-server-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-k",
            "gevent",
            "--no-control-socket",
            "-w",
            str(workers),
            "--graceful-timeout",
            "5",
            "-b",
            f"127.0.0.1:{port}",
            "app:create_app()",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError("server did not start:\n" + log.read()[-3000:])
            try:
                with urllib.request.urlopen(url + "/api/meta", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        proc.log_path = log.name
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
        os.unlink(log.name)
