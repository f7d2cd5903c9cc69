"""Browser tests: the real server (gunicorn + gevent) driven by Debian's headless Chromium.

Fixtures:
- `server`  (session) starts `gunicorn -k gevent "app:create_app()"` on a free port, waits until
            it answers, and kills it by PID at teardown. PLAYGROUND_URL=http://... reuses a server
            that is already running instead.
- `page`    a fresh page on the editor; the test fails if the page logged a console error or
            threw an uncaught exception.
- `ed`      a small helper bound to that page (drag from the palette, wire ports, read counters).
- `fresh`   makes pages of their own (own context and localStorage, a chosen locale and size).
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.editor import Editor  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url, proc=None, timeout=40.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception as err:  # not up yet
            last = err
        time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}: {last}")


@pytest.fixture(scope="session")
def server():
    """Base URL of a running playground server."""
    if os.environ.get("PLAYGROUND_URL"):
        url = os.environ["PLAYGROUND_URL"].rstrip("/")
        _wait_http(url + "/")
        yield url
        return
    port = _free_port()
    log = tempfile.NamedTemporaryFile(
        "w+", prefix="playground-server-", suffix=".log", delete=False
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-k",
            "gevent",
            "--no-control-socket",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "app:create_app()",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            _wait_http(url + "/", proc)
        except RuntimeError:
            log.flush()
            log.seek(0)
            raise RuntimeError(
                "the server did not start; its output:\n" + log.read()[-4000:]
            ) from None
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()
        os.unlink(log.name)


@pytest.fixture(scope="session")
def browser():
    deadline = time.monotonic() + 300
    while not os.path.exists(CHROMIUM) and time.monotonic() < deadline:
        time.sleep(2)  # `apt-get install -y chromium` may still be running
    assert os.path.exists(CHROMIUM), "Debian's chromium is needed: apt-get install -y chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """The editor, loaded and ready; fails the test on any console error or page error."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = ctx.new_page()
    problems = []
    pg.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.base_url = server
    pg.goto(server + "/")
    pg.wait_for_selector("body.ready", timeout=15000)
    yield pg
    ctx.close()
    assert not problems, "the page reported errors:\n" + "\n".join(problems)


@pytest.fixture
def fresh(browser, server):
    """A page in its own context (own localStorage, chosen locale); fails on console errors."""
    made = []

    def make(path="/", locale="en-US", size=(1440, 900)):
        ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale=locale)
        pg = ctx.new_page()
        pg.problems = []
        pg.on("console", lambda m: m.type == "error" and pg.problems.append(f"console: {m.text}"))
        pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
        pg.goto(server + path)
        pg.wait_for_selector("body.ready", timeout=15000)
        made.append((ctx, pg))
        return pg

    yield make
    for ctx, pg in made:
        ctx.close()
        assert not pg.problems, "the page reported errors:\n" + "\n".join(pg.problems)


@pytest.fixture
def ed(page):
    return Editor(page)
