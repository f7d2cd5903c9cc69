"""Browser tests: the real server (gunicorn + gevent) driven by Debian's headless Chromium.

Fixtures:
- `server`  (session) starts `gunicorn -k gevent "app:create_app()"` on a free port, waits until
            it answers, and kills it by PID at teardown. PLAYGROUND_URL=http://... reuses a server
            that is already running instead.
- `page`    a fresh page on the editor; the test fails if the page logged a console error or
            threw an uncaught exception.
- `ed`      a small helper bound to that page (drag from the palette, wire ports, read counters).
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


class Editor:
    """Gestures and reads on the editor page, in the user's terms."""

    def __init__(self, page):
        self.page = page

    def wait(self, expression, arg=None, timeout=15000):
        """Poll a JS expression (or function of `arg`) until it is truthy.

        Playwright's wait_for_function evaluates strings with eval(), which the page's
        Content-Security-Policy rightly forbids; page.evaluate is not subject to it.
        """
        deadline = time.monotonic() + timeout / 1000
        while True:
            if self.page.evaluate(expression, arg):
                return
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout} ms waiting for: {expression}\n"
                    f"the page then: {self.snapshot()}"
                )
            time.sleep(0.05)

    def snapshot(self):
        """What a failed wait reports: the run's status, the last toast, the inspector's text."""
        return self.page.evaluate(
            """() => ({
              status: document.querySelector('[data-testid=run-status]')?.dataset.status,
              toast: document.querySelector('[data-testid=toast-text]')?.textContent,
              inspector: (document.querySelector('.sidebar')?.innerText || '').slice(0, 1500),
            })"""
        )

    def center_of(self, selector):
        box = self.page.locator(selector).first.bounding_box()
        assert box, f"{selector} is not visible"
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def drag(self, start, end, steps=12):
        m = self.page.mouse
        m.move(*start)
        m.down()
        m.move(start[0] + 6, start[1] + 6, steps=2)
        m.move(*end, steps=steps)
        m.up()

    def canvas_point(self, fx, fy):
        box = self.page.locator("[data-testid=canvas]").bounding_box()
        return box["x"] + box["width"] * fx, box["y"] + box["height"] * fy

    def drop_kind(self, kind, fx, fy):
        """Drag a node kind from the palette onto the canvas; returns the new node's id."""
        before = set(self.node_ids())
        self.drag(self.center_of(f"[data-testid=palette-kind-{kind}]"), self.canvas_point(fx, fy))
        self.wait(f"window.__playground.store.doc.nodes.length === {len(before) + 1}")
        (new,) = set(self.node_ids()) - before
        return new

    def wire(self, node_a, sock_a, node_b, sock_b):
        self.drag(
            self.center_of(f"[data-testid=port-{node_a}-{sock_a}]"),
            self.center_of(f"[data-testid=port-{node_b}-{sock_b}]"),
        )

    def node_ids(self):
        return self.page.evaluate("window.__playground.store.doc.nodes.map(n => n.id)")

    def links(self):
        return self.page.evaluate("window.__playground.store.doc.links")

    def load_preset(self, pid):
        # The preset arrives by fetch: wait for the store to hold a new document (the one on the
        # canvas may already be this preset, which rendered nodes alone would not tell apart).
        self.page.evaluate("window.__presetBefore = window.__playground.store.doc")
        self.page.click("[data-testid=presets-button]")
        self.page.click(f"[data-testid=preset-{pid}]")
        self.wait(
            "(n) => window.__playground.store.doc !== window.__presetBefore && "
            "window.__playground.store.doc.nodes.length > 0 && "
            "document.querySelectorAll('g.node').length ==="
            " window.__playground.store.doc.nodes.length",
            arg=None,
        )

    def run(self):
        self.page.click("[data-testid=run]")
        self.page.wait_for_selector("[data-testid=run-status].st-running", timeout=15000)

    def counter(self, link_id, what="delivered"):
        v = self.page.get_attribute(f"[data-testid=link-counter-{link_id}]", f"data-{what}")
        return int(v or 0)

    def wait_counter(self, link_id, what="delivered", above=0, timeout=20000):
        self.wait(
            "([id, what, above]) => { const g ="
            " document.querySelector(`[data-testid=link-counter-${id}]`);"
            " return g && Number(g.getAttribute('data-' + what)) > above; }",
            arg=[link_id, what, above],
            timeout=timeout,
        )

    def tokens(self):
        """The tokens drawn on the token canvas right now (tokens.snapshot(): msg, link, ev, kind,
        x, y in client coordinates), each with `alpha`: the opacity of the canvas pixel at its
        centre, read in the same task, so a listed token is one really painted there."""
        return self.page.evaluate("""() => {
          const snap = window.__playground.tokens.snapshot();
          const c = document.querySelector('canvas.token-canvas');
          const r = c.getBoundingClientRect(), g = c.getContext('2d'), d = c.width / r.width;
          return snap.map((t) => ({...t, alpha: t.kind === 'pulse' ? null
            : g.getImageData(Math.floor((t.x - r.left) * d), Math.floor((t.y - r.top) * d), 1, 1)
                .data[3]}));
        }""")

    def link_between(self, connect_node):
        for link in self.links():
            if link["connect"]["node"] == connect_node:
                return link["id"]
        raise AssertionError(f"no link connects {connect_node}")


@pytest.fixture
def ed(page):
    return Editor(page)
