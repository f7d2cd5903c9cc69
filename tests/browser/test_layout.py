"""Every preset is readable at 1440×900 and 1024×700: no two node boxes overlap, no link runs
behind a node that is not one of its ends, no counter pill covers a node, and a socket with peers
on both sides attaches each link on the side of its peer (measured on the drawn page)."""

import json
import os
import time
import urllib.request

import pytest

SIZES = [(1440, 900), (1024, 700)]
MARGIN = 2  # px: boxes that merely touch are not overlapping


def _presets(server):
    with urllib.request.urlopen(f"{server}/api/presets") as r:
        return [p["id"] for p in json.load(r)]


MEASURE = """() => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; };
  const nodes = [...document.querySelectorAll('g.node[data-node]')].map((g) =>
    ({id: g.getAttribute('data-node'), ...box(g.querySelector('.node-body'))}));
  const doc = window.__playground.store.doc;
  const links = [...document.querySelectorAll('g.link[data-link]')].map((g) => {
    const id = g.getAttribute('data-link');
    const l = doc.links.find((x) => x.id === id);
    const path = g.querySelector('.link-line');
    const m = path.getScreenCTM(), len = path.getTotalLength(), pts = [];
    for (let i = 0; i <= 60; i++) {
      const p = path.getPointAtLength((len * i) / 60);
      pts.push([m.a * p.x + m.c * p.y + m.e, m.b * p.x + m.d * p.y + m.f]);
    }
    return {id, ends: [l.connect.node, l.bind.node], pts};
  });
  const pills = [...document.querySelectorAll('[data-testid^=link-counter-]')]
    .filter((g) => g.getBoundingClientRect().width > 0)
    .map((g) => ({id: g.getAttribute('data-link'), ...box(g)}));
  return {nodes, links, pills};
}"""


class _Page:
    """The few gestures these tests need (the browser conftest's Editor, on a page of another
    size; imported by name it would clash with the engine tests' conftest)."""

    def __init__(self, page):
        self.page = page

    def wait(self, expression, arg=None, timeout=15000):
        deadline = time.monotonic() + timeout / 1000
        while not self.page.evaluate(expression, arg):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} ms waiting for: {expression}")
            time.sleep(0.05)

    def load_preset(self, pid):
        """Open a preset and wait until it is drawn (its title differs from the previous one's,
        so a preset with as many nodes as the last is not mistaken for it)."""
        before = self.page.evaluate("window.__playground.store.doc.title || ''")
        self.page.click("[data-testid=presets-button]")
        self.page.click(f"[data-testid=preset-{pid}]")
        self.wait(
            "(before) => { const d = window.__playground.store.doc; return d.title !== before"
            " && d.nodes.length > 0 && document.querySelectorAll('g.node').length ==="
            " d.nodes.length; }",
            arg=before,
        )

    def wait_counter(self, link_id, what="delivered", above=0):
        self.wait(
            "([id, what, above]) => { const g ="
            " document.querySelector(`[data-testid=link-counter-${id}]`);"
            " return g && Number(g.getAttribute('data-' + what)) > above; }",
            arg=[link_id, what, above],
            timeout=20000,
        )


def _overlap(a, b, m=MARGIN):
    return (
        a["x0"] + m < b["x1"]
        and b["x0"] + m < a["x1"]
        and a["y0"] + m < b["y1"]
        and b["y0"] + m < a["y1"]
    )


def _inside(p, b, m=4):
    return b["x0"] + m < p[0] < b["x1"] - m and b["y0"] + m < p[1] < b["y1"] - m


def _problems(seen):
    out = []
    nodes = seen["nodes"]
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            if _overlap(a, b):
                out.append(f"nodes {a['id']} and {b['id']} overlap")
    for link in seen["links"]:
        for n in nodes:
            if n["id"] in link["ends"]:
                continue
            if any(_inside(p, n) for p in link["pts"]):
                out.append(f"link {link['id']} runs behind node {n['id']}")
    for pill in seen["pills"]:
        for n in nodes:
            if _overlap(pill, n, 0):
                out.append(f"the counter of {pill['id']} covers node {n['id']}")
    return out


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_preset_overlaps_at_this_size(browser, server, size):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = ctx.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(server + "/")
    page.wait_for_selector("body.ready", timeout=15000)
    found = {}
    for pid in _presets(server):
        ed = _Page(page)
        ed.load_preset(pid)
        ed.wait("() => !document.querySelector('svg[data-fitting]')")  # the fit's glide ended
        # run it: the counter pills (and gauges) appear on the links
        page.click("[data-testid=run]")
        page.wait_for_selector("[data-testid=run-status].st-running", timeout=15000)
        ed.wait(
            "() => document.querySelectorAll('[data-testid^=link-counter-]').length >="
            " window.__playground.store.doc.links.length",
            timeout=10000,
        )
        ed.wait("() => !document.querySelector('svg[data-fitting]')")
        seen = page.evaluate(MEASURE)
        assert len(seen["pills"]) == len(seen["links"]) > 0, pid  # every pill was measured
        problems = _problems(seen)
        page.click("[data-testid=stop]")
        page.wait_for_selector("[data-testid=run-status]:not(.st-running)", timeout=10000)
        if problems:
            found[pid] = problems
    ctx.close()
    assert not errors, errors
    assert not found, json.dumps(found, indent=1)


@pytest.mark.parametrize("pid", ["majordomo", "microservices"])
def test_links_attach_on_the_side_of_their_peer_at_1024x700(browser, server, pid, tmp_path):
    ctx = browser.new_context(viewport={"width": 1024, "height": 700})
    page = ctx.new_page()
    page.goto(server + "/")
    page.wait_for_selector("body.ready", timeout=15000)
    ed = _Page(page)
    ed.load_preset(pid)
    hub, sock = ("broker", "router") if pid == "majordomo" else ("gateway", "router")
    if pid == "majordomo":  # peers on both sides of the broker's ROUTER: a port on each side
        page.wait_for_selector(f"[data-testid=port-alt-{hub}-{sock}]")
    seen = page.evaluate(MEASURE)
    box = next(n for n in seen["nodes"] if n["id"] == hub)
    for link in seen["links"]:
        if hub not in link["ends"]:
            continue
        peer = next(
            n for n in seen["nodes"] if n["id"] == next(e for e in link["ends"] if e != hub)
        )
        x0 = link["pts"][0][0]  # a link is drawn from its bind end: the hub's ROUTER
        # the side of the peer; straight above or below (the client app over the gateway): the
        # ROUTER's own side, right, where its services are
        edge = box["x0"] if peer["x1"] <= box["x0"] else box["x1"]
        assert abs(x0 - edge) < 2, (link["id"], x0, box)
    page.click("[data-testid=run]")
    page.wait_for_selector("[data-testid=run-status].st-running", timeout=15000)
    ed.wait_counter("l1", "delivered", 1)
    page.wait_for_timeout(600)
    shots = os.environ.get("PLAYGROUND_SHOTS") or str(tmp_path)
    page.screenshot(path=os.path.join(shots, f"layout-{pid}-1024x700.png"))
    ctx.close()
