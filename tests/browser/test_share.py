"""Share links, embeds, the sample docs page, recordings, export/import, in real Chromium.

Embeds are checked the way a documentation site uses them: from another origin (a second
local HTTP server serving docs/examples/embedding.html), with page.on("websocket") proving
that nothing connects before the reader clicks.
"""

import http.server
import json
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FROZEN = json.loads((ROOT / "tests" / "share" / "fixtures" / "links.json").read_text())["links"]


def preset(name):
    return json.loads((ROOT / "app" / "presets" / f"{name}.json").read_text())["topology"]


def save(server, body):
    req = urllib.request.Request(
        server + "/api/topologies",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


class Watch:
    """A page in a fresh context that records websockets and fails on console errors."""

    def __init__(self, browser, size=(1280, 800)):
        self.ctx = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, accept_downloads=True
        )
        self.page = self.ctx.new_page()
        self.sockets = []
        self.problems = []
        self.page.on("websocket", lambda ws: self.sockets.append(ws.url))
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))

    def close(self):
        self.ctx.close()
        assert not self.problems, "the page reported errors:\n" + "\n".join(self.problems)


@pytest.fixture
def watch(browser):
    made = []

    def make(**kw):
        w = Watch(browser, **kw)
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()


@pytest.fixture(scope="module")
def docs_host(server):
    """docs/examples/embedding.html served from a second origin, pointed at the test server."""
    with socket_port() as port:
        pass
    text = (ROOT / "docs" / "examples" / "embedding.html").read_text()
    host = f"http://127.0.0.1:{port}"
    pages = {
        "/": text.replace("http://127.0.0.1:8000", server).replace("http://127.0.0.1:8080", host)
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = pages.get(self.path.split("?")[0])
            if self.path == "/favicon.ico":
                self.send_response(204)
                self.end_headers()
                return
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.pages = pages
    httpd.url = host
    yield httpd
    httpd.shutdown()
    httpd.server_close()


class socket_port:
    """A free port (context manager so the probe socket is closed before use)."""

    def __enter__(self):
        import socket

        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        return self.s.getsockname()[1]

    def __exit__(self, *exc):
        self.s.close()


def all_nodes_visible(page, root="[data-testid=canvas]"):
    """Every node lies inside the canvas's box (the topology is fitted to the view)."""
    return page.evaluate(
        """(root) => {
      const c = document.querySelector(root).getBoundingClientRect();
      const nodes = [...document.querySelectorAll('g.node')];
      return nodes.length > 0 && nodes.every((n) => { const b = n.getBoundingClientRect();
        return b.left >= c.left - 1 && b.right <= c.right + 1
          && b.top >= c.top - 1 && b.bottom <= c.bottom + 1; });
    }""",
        root,
    )


def counters(frame):
    return frame.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('g.badge')].map("
        "(g) => [g.dataset.link, Number(g.dataset.delivered || 0)]))"
    )


# --- short links -----------------------------------------------------------------------------


def test_share_dialog_short_link_opens_fitted_and_ready(page, ed, watch, server):
    ed.load_preset("pipeline")
    page.click(".toolbar [data-testid=share], [data-testid=share-button]")
    dialog = page.locator("[data-testid=share-dialog]")
    dialog.wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=share-short]').value.includes('/t/')"
    )
    short = page.input_value("[data-testid=share-short]")
    assert "/embed/" in page.input_value("[data-testid=share-iframe]")
    assert page.input_value("[data-testid=share-markdown]").startswith("[![")
    assert "/#v=1&t=" in page.input_value("[data-testid=share-full]")
    page.keyboard.press("Escape")
    # Same topology, same id: sharing again gives the same link.
    page.click(".toolbar [data-testid=share], [data-testid=share-button]")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=share-short]').value.includes('/t/')"
    )
    assert page.input_value("[data-testid=share-short]") == short

    reader = watch().page
    reader.goto(short)
    reader.wait_for_selector("body.ready")
    reader.wait_for_function("() => document.querySelectorAll('g.node').length === 5")
    time.sleep(0.6)  # the fit is immediate; give layout a moment anyway
    assert all_nodes_visible(reader)
    assert reader.locator('link[rel=alternate][type="application/json+oembed"]').count() == 1
    reader.wait_for_selector("[data-testid=run-status].st-idle", timeout=10000)
    reader.click("[data-testid=run]")
    reader.wait_for_function(
        "() => Number(document.querySelector('[data-testid=link-counter-l4]')"
        "?.dataset.delivered) > 0",
        timeout=20000,
    )


def test_unknown_short_link_is_a_friendly_page(watch, server):
    w = watch()
    resp = w.page.goto(server + "/t/0000000000zz")
    assert resp.status == 404
    assert "isn't here" in w.page.inner_text("[data-testid=not-found]")
    w.problems.clear()  # the 404 response itself is logged as a failed resource


@pytest.mark.parametrize("link", FROZEN, ids=[f["name"] for f in FROZEN])
def test_frozen_full_links_open_in_editor_and_embed(link, watch, server):
    w = watch()
    w.page.goto(server + "/" + link["hash"])
    w.page.wait_for_selector("body.ready")
    assert w.page.evaluate("window.__playground.store.doc.nodes.map(n => n.id)") == [
        n["id"] for n in link["doc"]["nodes"]
    ]
    w.page.goto(server + "/embed" + link["hash"])
    w.page.wait_for_selector("body.ready")
    assert w.page.locator("g.node").count() == len(link["doc"]["nodes"])
    assert w.page.inner_text("[data-testid=embed-title]") == (
        link["doc"].get("title") or "ZeroMQ topology"
    )


# --- embeds ----------------------------------------------------------------------------------


def test_embed_is_click_to_load(watch, server):
    item = save(server, preset("pipeline"))
    w = watch(size=(800, 420))
    url = f"{server}/embed/{item['id']}?speed=0.5"
    w.page.goto(url)
    w.page.wait_for_selector("body.ready")
    time.sleep(1.5)
    assert w.sockets == [], "a websocket opened before the reader clicked"
    assert w.page.locator("[data-testid=embed-cover]").is_visible()
    assert all_nodes_visible(w.page, "svg.canvas")
    w.page.click("[data-testid=embed-load]")
    w.page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=link-counter-l4]')"
        "?.dataset.delivered) > 0",
        timeout=20000,
    )
    assert len(w.sockets) == 1 and w.sockets[0].endswith("/ws")
    assert w.page.url == url  # never rewrites its own URL
    assert w.page.evaluate("localStorage.length") == 0
    href = w.page.get_attribute("[data-testid=embed-open]", "href")
    assert href == f"/t/{item['id']}"


def test_embed_options_dark_readonly_hidden_parts_and_open_link(watch, server):
    doc = preset("reqrep-hello")
    from app.links import encode_state  # the same encoder as the page's

    w = watch(size=(640, 360))
    w.page.goto(f"{server}/embed?theme=dark&hide=speed,open&paused=1{encode_state(doc)}")
    w.page.wait_for_selector("body.ready")
    cls = w.page.evaluate("document.body.className")
    for c in ("theme-dark", "readonly", "hide-speed", "hide-open"):
        assert c in cls
    assert not w.page.locator("[data-testid=embed-open]").is_visible()
    bg = w.page.evaluate("getComputedStyle(document.querySelector('svg.canvas')).backgroundColor")
    assert bg == "rgb(15, 20, 32)"
    # Read-only: dragging a node does not move it.
    before = w.page.evaluate("window.__embed.store.doc.nodes[0].x")
    box = w.page.locator("g.node").first.bounding_box()
    w.page.mouse.move(box["x"] + 40, box["y"] + 10)
    w.page.mouse.down()
    w.page.mouse.move(box["x"] + 140, box["y"] + 60, steps=5)
    w.page.mouse.up()
    assert w.page.evaluate("window.__embed.store.doc.nodes[0].x") == before
    # start paused: the run comes up paused after the click
    w.page.click("[data-testid=embed-load]")
    w.page.wait_for_function("() => document.body.dataset.run === 'paused'", timeout=15000)


def test_editable_embed_open_in_playground_carries_the_edit(watch, server):
    item = save(server, preset("reqrep-hello"))
    w = watch(size=(900, 420))
    w.page.goto(f"{server}/embed/{item['id']}?editable=1")
    w.page.wait_for_selector("body.ready")
    box = w.page.locator("g.node").first.bounding_box()
    w.page.mouse.move(box["x"] + 60, box["y"] + 12)
    w.page.mouse.down()
    w.page.mouse.move(box["x"] + 60, box["y"] + 112, steps=6)
    w.page.mouse.up()
    moved = w.page.evaluate("window.__embed.store.doc.nodes[0].y")
    href = w.page.get_attribute("[data-testid=embed-open]", "href")
    assert href.startswith("/#v=1&t=")
    editor = watch().page
    editor.goto(server + href)
    editor.wait_for_selector("body.ready")
    assert editor.evaluate("window.__playground.store.doc.nodes[0].y") == moved


def test_docs_page_two_independent_embeds_and_postmessage(watch, docs_host, server):
    w = watch(size=(1100, 900))
    w.page.goto(docs_host.url + "/")
    host_url = w.page.url
    pipeline = w.page.frame_locator("[data-testid=demo-pipeline]")
    weather = w.page.frame_locator("[data-testid=demo-weather]")
    pipeline.locator("body.ready").wait_for()
    weather.locator("body.ready").wait_for()
    w.page.wait_for_function(
        "() => document.querySelector('[data-testid=host-state]').textContent === 'ready'"
    )
    time.sleep(1.0)
    assert w.sockets == [], "an embed connected before anyone clicked"
    # The host page drives the weather demo through postMessage; the pipeline stays idle.
    w.page.click("[data-testid=host-start]")
    w.page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=host-counts]').textContent) > 0",
        timeout=20000,
    )
    assert len(w.sockets) == 1
    assert pipeline.locator("[data-testid=embed-cover]").is_visible()
    # The reader clicks the pipeline demo: its own websocket, its own run.
    pipeline.locator("[data-testid=embed-load]").click()
    pipeline.locator(
        "[data-testid=link-counter-l4][data-delivered]:not([data-delivered='0'])"
    ).wait_for(timeout=20000)
    assert len(w.sockets) == 2
    w.page.click("[data-testid=host-stop]")
    w.page.wait_for_function(
        "() => document.querySelector('[data-testid=host-state]').textContent === 'stopped'",
        timeout=10000,
    )
    assert pipeline.locator("body").get_attribute("data-run") == "running"  # independent
    assert w.page.url == host_url  # the embeds never touched the host's URL
    assert w.page.evaluate("localStorage.length") == 0


def test_postmessage_from_a_wrong_origin_is_ignored(watch, docs_host, server):
    from app.links import encode_state

    src = f"{server}/embed?origin=https://docs.example.com{encode_state(preset('pipeline'))}"
    docs_host.pages["/wrong"] = (
        f'<!doctype html><iframe id="f" src="{src}" width="600" height="300"></iframe>'
        '<script>document.getElementById("f").onload = () => setTimeout(() => '
        'document.getElementById("f").contentWindow.postMessage('
        f'{{zpg: 1, op: "start"}}, "{server}"), 300);'
        "</script>"
    )
    w = watch()
    w.page.goto(docs_host.url + "/wrong")
    frame = w.page.frame_locator("#f")
    frame.locator("body[data-ignored-messages='1']").wait_for(timeout=10000)
    time.sleep(1.0)
    assert w.sockets == []
    assert frame.locator("[data-testid=embed-cover]").is_visible()


# --- recorded runs ---------------------------------------------------------------------------


def test_recording_replays_the_live_counts_with_no_backend(page, ed, watch, server):
    ed.load_preset("pipeline")
    ed.run()
    ed.wait_counter("l4", "delivered", above=2, timeout=20000)
    page.click("[data-testid=stop]")
    page.wait_for_selector("[data-testid=run-status].st-stopped", timeout=10000)
    page.wait_for_function("() => !document.querySelector('[data-testid=replay-open]').hidden")
    live = counters(page)
    assert live["l4"] > 0
    # Replay in the page: same final counts.
    page.click("[data-testid=replay-open]")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=replay-bar]').dataset.state === 'ended'",
        timeout=30000,
    )
    assert counters(page) == live
    assert "libzmq" in page.inner_text("[data-testid=replay-versions]")
    # Save it with the topology and replay it in an embed: no websocket at all.
    page.click("[data-testid=replay-close]")
    page.click(".toolbar [data-testid=share], [data-testid=share-button]")
    page.locator("[data-testid=share-include-recording]").wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=share-short]').value.includes('/t/')"
    )
    item_id = page.input_value("[data-testid=share-short]").rsplit("/", 1)[1]
    saved = json.loads(urllib.request.urlopen(f"{server}/api/topologies/{item_id}").read())
    assert saved["recording"]["libzmq"] and saved["recording"]["pyzmq"]
    w = watch(size=(900, 450))
    w.page.goto(f"{server}/embed/{item_id}")
    w.page.wait_for_selector("body.ready")
    assert "recorded run" in w.page.inner_text("[data-testid=embed-load]")
    w.page.click("[data-testid=embed-load]")
    w.page.evaluate("window.__embed.replay.setRate(8)")
    w.page.wait_for_function("() => window.__embed.replay.ended", timeout=30000)
    assert counters(w.page) == live
    # Scrub back to the middle, then step: counters move, still no backend.
    w.page.evaluate("window.__embed.replay.seek(window.__embed.replay.duration / 2)")
    mid = counters(w.page)
    assert sum(mid.values()) <= sum(live.values())
    w.page.click("[data-testid=replay-step]")
    assert w.sockets == [], "a replay must not need the server"


# --- export and import -----------------------------------------------------------------------


def test_export_json_svg_png_python_and_import_with_errors(page, ed, tmp_path):
    ed.load_preset("pipeline")
    outputs = {}
    for what in ("json", "svg", "png", "python"):
        page.click("[data-testid=export-button]")
        with page.expect_download() as dl:
            page.click(f"[data-testid=export-{what}]")
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        outputs[what] = path
    doc = json.loads(outputs["json"].read_text())
    assert [n["id"] for n in doc["nodes"]] == ["ventilator", "w1", "w2", "w3", "sink"]
    svg = outputs["svg"].read_text()
    assert svg.startswith("<svg") and "Ventilator" in svg and "<style>" in svg
    assert (
        outputs["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        and outputs["png"].stat().st_size > 5000
    )
    assert (
        outputs["python"].name.endswith(".py")
        and "def ventilator(base_port)" in outputs["python"].read_text()
    )

    # Import: a document with a mistake loads, and its problems show in the page.
    doc["nodes"][0]["sockets"][0]["options"] = {"sndhwm": -5}
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(doc))
    page.click("[data-testid=new]")
    page.set_input_files("[data-testid=import-file]", str(bad))
    page.wait_for_function("() => window.__playground.store.doc.nodes.length === 5")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=problems]').innerText.includes('sndhwm')"
    )
    assert "problem" in page.inner_text("[data-testid=toast-text]")
    # Not JSON at all: nothing is replaced, the reason is shown.
    junk = tmp_path / "junk.json"
    junk.write_text("{ not json")
    page.set_input_files("[data-testid=import-file]", str(junk))
    page.wait_for_function(
        "() => document.querySelector('[data-testid=toast-text]')"
        ".innerText.includes('Could not import')"
    )
    assert page.evaluate("window.__playground.store.doc.nodes.length") == 5


def _speed_commands(w):
    """Record every `speed` command the page sends over its websockets."""
    sent = []

    def on_ws(ws):
        ws.on(
            "framesent",
            lambda payload: '"op":"speed"' in str(payload).replace(" ", "") and sent.append(1),
        )

    w.page.on("websocket", on_ws)
    return sent


def test_one_speed_change_in_an_embed_sends_one_command(watch, server):
    w = watch(size=(900, 420))
    sent = _speed_commands(w)
    item = save(server, preset("pipeline"))
    w.page.goto(f"{server}/embed/{item['id']}")
    w.page.click("[data-testid=embed-load]")
    w.page.wait_for_function("() => document.body.dataset.run === 'running'", timeout=15000)
    w.page.select_option("[data-testid=embed-speed]", "0.25")
    # the acknowledgement comes back at once; nothing may follow it (waiting through Playwright
    # so the frames sent meanwhile are reported)
    w.page.wait_for_timeout(2000)
    assert len(sent) == 1
    assert w.page.input_value("[data-testid=embed-speed]") == "0.25"


def test_one_speed_command_from_the_host_page_sends_one_command(watch, docs_host, server):
    from app.links import encode_state

    src = f"{server}/embed?origin=*{encode_state(preset('pipeline'))}"
    docs_host.pages["/speed"] = (
        f'<!doctype html><iframe id="f" src="{src}" width="700" height="320"></iframe>'
        "<script>const f = document.getElementById('f');"
        "window.send = (m) => f.contentWindow.postMessage(Object.assign({zpg: 1}, m), '*');"
        "</script>"
    )
    w = watch()
    sent = _speed_commands(w)
    w.page.goto(docs_host.url + "/speed")
    frame = w.page.frame_locator("#f")
    frame.locator("body.ready").wait_for()
    w.page.evaluate("window.send({op: 'start'})")
    frame.locator("[data-testid=embed-run]").wait_for()
    w.page.evaluate("window.send({op: 'start'})")
    frame.locator("body[data-run=running]").wait_for(timeout=15000)
    w.page.evaluate("window.send({op: 'speed', value: 0.5})")
    w.page.wait_for_timeout(2000)
    assert len(sent) == 1


def test_embed_draws_the_documents_comments_read_only(watch, server):
    """view.comments drawn in the embed as notes, before and during a run, none editable."""
    doc = preset("reqrep-hello")
    text = "The REQ waits for each reply\nbefore it sends again."
    # beside the server, past the nodes: the embed's fit takes the note in
    doc["view"] = {
        "x": 0,
        "y": 0,
        "k": 1,
        "comments": [{"id": "c1", "x": 1010, "y": 200, "text": text}],
    }
    item = save(server, doc)
    w = watch(size=(800, 420))
    w.page.goto(f"{server}/embed/{item['id']}")
    w.page.wait_for_selector("body.ready")
    note = w.page.locator("[data-testid=comment-c1]")
    note.wait_for()
    assert note.inner_text() == text
    assert note.get_attribute("role") == "note"
    assert note.get_attribute("aria-label") == f"Comment: {text}"  # nothing about editing it
    box, stage = note.bounding_box(), w.page.locator("svg.canvas").bounding_box()
    assert box["width"] > 50 and box["height"] > 20
    assert stage["x"] <= box["x"] and box["x"] + box["width"] <= stage["x"] + stage["width"]
    assert stage["y"] <= box["y"] and box["y"] + box["height"] <= stage["y"] + stage["height"]
    # read-only: no editor on a double-click, no delete button, not a stop for the Tab key, and a
    # drag across it pans the canvas without moving it in the document
    assert note.locator("textarea, button").count() == 0
    assert note.get_attribute("tabindex") is None
    w.page.mouse.dblclick(box["x"] + 60, box["y"] + 15)
    assert w.page.locator("[data-testid=comment-text]").count() == 0
    w.page.mouse.move(box["x"] + 60, box["y"] + 15)
    w.page.mouse.down()
    w.page.mouse.move(box["x"] - 40, box["y"] + 45, steps=5)
    w.page.mouse.up()
    assert w.page.evaluate("window.__embed.store.doc.view.comments") == doc["view"]["comments"]
    moved = note.bounding_box()
    assert (round(moved["x"] - box["x"]), round(moved["y"] - box["y"])) == (-100, 30)
    # still drawn while the document runs
    w.page.click("[data-testid=embed-load]")
    w.page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=link-counter-l1]')"
        "?.dataset.delivered) > 0",
        timeout=20000,
    )
    assert note.inner_text() == text

    # the same from a full link (the document in the fragment), in the dark theme
    from app.links import encode_state

    d = watch(size=(800, 420))
    d.page.goto(f"{server}/embed?theme=dark{encode_state(doc)}")
    d.page.wait_for_selector("body.ready")
    dark = d.page.locator("[data-testid=comment-c1]")
    dark.wait_for()
    assert dark.inner_text() == text
    assert (
        d.page.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=comment-c1]')).backgroundColor"
        )
        == "rgb(58, 52, 24)"
    )
