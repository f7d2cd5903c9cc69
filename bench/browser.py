"""(2) events/s received in Chromium, and (4) the page: FPS with ~300 tokens in flight on a
100-node topology, first paint of the editor, JS+CSS transferred (gzipped).

Chromium is Debian's (/usr/bin/chromium) driven by Playwright, headless, GPU off (software
rendering, as on a CI machine): frame rates are a floor for a desktop browser.
"""

from __future__ import annotations

import gzip
import time

from .common import CHROMIUM, CHROMIUM_ARGS, pipeline, push_pull, report, server

COUNT_EVENTS_JS = """
async ([topology, seconds]) => {
  const ws = new WebSocket(`ws://${location.host}/ws`);
  let events = 0, frames = 0, skipped = 0, counting = false;
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.type === 'events' && counting) {
      events += m.events.length; frames++; skipped += m.skipped;
    }
  };
  await new Promise((ok) => { ws.onopen = ok; });
  ws.send(JSON.stringify({op: 'start', topology}));
  await new Promise((ok) => setTimeout(ok, 1000));
  counting = true;
  const t0 = performance.now();
  await new Promise((ok) => setTimeout(ok, seconds * 1000));
  counting = false;
  const dt = (performance.now() - t0) / 1000;
  ws.close();
  return {events: events / dt, frames: frames / dt, skipped: skipped / dt};
}
"""

FPS_JS = """
async (seconds) => {
  const tokens = window.__playground.tokens;
  const frames = [], inflight = [];
  const t0 = performance.now();
  await new Promise((done) => {
    function tick(now) {
      frames.push(now);
      inflight.push(tokens.activeCount);
      if (now - t0 < seconds * 1000) requestAnimationFrame(tick); else done();
    }
    requestAnimationFrame(tick);
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  return {fps: (frames.length - 1) / ((frames[frames.length - 1] - frames[0]) / 1000),
          p95: gaps[Math.floor(gaps.length * 0.95)], worst: gaps[gaps.length - 1],
          tokens: inflight.reduce((a, b) => a + b, 0) / inflight.length,
          tokensMin: Math.min(...inflight)};
}
"""


TRACE_RATE = 1500  # messages/s the page is sent (default 400): ~300 tokens in flight


def big_topology(pipelines=20):
    """100 nodes: 20 pipelines of vent → 3 workers → sink, laid out on a grid."""
    nodes, links = [], []
    for i in range(pipelines):
        p = pipeline(prefix=f"p{i}", interval_ms=31 + 2 * i, work_ms=0)  # not in lockstep
        for j, n in enumerate(p["nodes"]):
            row, col = divmod(i, 5)
            n["x"] = col * 900 + (0 if j == 0 else 700 if j == 1 else 350)
            n["y"] = row * 420 + (0 if j < 2 else (j - 2) * 130 - 130)
        nodes += p["nodes"]
        links += p["links"]
    return {
        "version": 1,
        "title": "100 nodes",
        "transport": "inproc",
        "nodes": nodes,
        "links": links,
    }


def bench_stream(browser, seconds: float) -> None:
    env = {"TRACE_RATE": 1e9, "MAX_RUN_RATE": 0, "WS_QUEUE_EVENTS": 50000}
    with server(**env) as srv:
        page = browser.new_page()
        page.goto(srv.url + "/api/presets")  # any page of the site: the socket is same-origin
        trials = [
            page.evaluate(COUNT_EVENTS_JS, [push_pull("inproc", frames=("m {n}",)), seconds])
            for _ in range(3)
        ]
        page.close()
        out = sorted(trials, key=lambda t: t["events"])[1]
        report(
            "stream",
            "events/s received in Chromium (batched frames)",
            out["events"],
            "events/s",
            "≥ 100k",
            out["events"] >= 100_000,
            note=f"median of 3; {out['frames']:,.0f} frames/s, {out['skipped']:,.0f} left out/s",
        )


def bench_page(browser, seconds: float) -> None:
    print("(4) the page", flush=True)
    with server(TRACE_RATE=TRACE_RATE) as srv:
        # first paint and transfer size: a fresh context (empty cache) on the editor
        ctx = browser.new_context(viewport={"width": 1440, "height": 900})
        page = ctx.new_page()
        sizes = {}

        def on_response(resp):
            kind = resp.request.resource_type
            if kind in ("script", "stylesheet") or resp.url.endswith((".js", ".mjs", ".css")):
                try:
                    body = resp.body()
                except Exception:  # a redirect or an aborted load has no body
                    return
                sizes[resp.url] = (
                    len(body),
                    len(gzip.compress(body, 9)),
                    resp.headers.get("content-encoding", ""),
                )

        page.on("response", on_response)
        t0 = time.perf_counter()
        page.goto(srv.url + "/")
        page.wait_for_selector("body.ready", timeout=15000)
        ready_ms = (time.perf_counter() - t0) * 1000
        paint = page.evaluate("""() => {
          const p = performance.getEntriesByName('first-contentful-paint')[0];
          const n = performance.getEntriesByType('navigation')[0];
          return {fcp: p ? p.startTime : null, dcl: n.domContentLoadedEventEnd};
        }""")
        raw = sum(r for r, _g, _e in sizes.values())
        gz = sum(g for _r, g, _e in sizes.values())
        encoded = {e for _r, _g, e in sizes.values()}
        report(
            "page",
            "first contentful paint of the editor",
            paint["fcp"],
            "ms",
            "≤ 500 ms",
            paint["fcp"] is not None and paint["fcp"] <= 500,
            note=f"DOMContentLoaded {paint['dcl']:.0f} ms; editor ready (meta loaded, "
            f"palette built) {ready_ms:.0f} ms",
        )
        report(
            "page",
            "JS+CSS, gzip -9 of every file loaded",
            gz / 1024,
            "KB",
            "≤ 300 KB",
            gz <= 300 * 1024,
            note=f"{len(sizes)} files, {raw / 1024:.0f} KB as served "
            f"(content-encoding: {', '.join(sorted(encoded)) or 'none'})",
        )
        # FPS: 100 nodes running, tokens in flight
        doc = big_topology()
        page.evaluate("(doc) => window.__playground.store.replace(doc, 'bench')", doc)
        page.wait_for_function("document.querySelectorAll('g.node').length === 100")
        page.click("[data-testid=run]")
        page.wait_for_selector("[data-testid=run-status].st-running", timeout=15000)
        time.sleep(2.0)  # steady state
        out = page.evaluate(FPS_JS, seconds)
        report(
            "page",
            "frames per second, 100 nodes running",
            out["fps"],
            "fps",
            "≥ 55",
            out["fps"] >= 55,
            note=f"{out['tokens']:.0f} tokens in flight on average (min "
            f"{out['tokensMin']}), frame p95 {out['p95']:.1f} ms, worst "
            f"{out['worst']:.1f} ms",
        )
        page.click("[data-testid=stop]")
        ctx.close()


def bench(quick: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            print("(2) event stream into Chromium", flush=True)
            bench_stream(browser, 3.0 if quick else 5.0)
            bench_page(browser, 3.0 if quick else 5.0)
        finally:
            browser.close()
