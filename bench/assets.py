"""(5) what a reader's browser downloads for the editor page, first visit and next visit.

Chromium's own network log (DevTools protocol) counts what crossed the wire: bytes as encoded
(compressed when the server compressed them, headers included) and requests answered by the server
rather than the browser's cache. First paint is the median of several cold loads (a fresh browser
context each: empty cache); the next visit opens the page again in the same context, as a reader
coming back does.
"""

from __future__ import annotations

import statistics
import time

from .common import CHROMIUM, CHROMIUM_ARGS, report, server

LOADS = 5


def _visit(ctx, page, url):
    """Load `url` in `page`; what went over the wire and when the page painted."""
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    wire = {"bytes": 0, "requests": 0, "cached": 0, "encodings": set()}

    def received(ev):
        r = ev["response"]
        if r.get("fromDiskCache") or r.get("fromPrefetchCache"):
            wire["cached"] += 1
            return
        wire["requests"] += 1
        enc = {k.lower(): v for k, v in r.get("headers", {}).items()}.get("content-encoding")
        wire["encodings"].add(enc or "identity")

    cdp.on("Network.responseReceived", received)
    cdp.on(
        "Network.requestServedFromCache", lambda ev: wire.__setitem__("cached", wire["cached"] + 1)
    )
    cdp.on(
        "Network.loadingFinished",
        lambda ev: wire.__setitem__("bytes", wire["bytes"] + ev["encodedDataLength"]),
    )
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("body.ready", timeout=15000)
    ready = (time.perf_counter() - t0) * 1000
    page.wait_for_load_state("networkidle")
    paint = page.evaluate("""() => {
      const p = performance.getEntriesByName('first-contentful-paint')[0];
      const n = performance.getEntriesByType('navigation')[0];
      return {fcp: p ? p.startTime : null, dcl: n.domContentLoadedEventEnd};
    }""")
    cdp.detach()
    return {**wire, **paint, "ready": ready}


def bench(quick: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    print("(5) the editor page's assets", flush=True)
    with sync_playwright() as p, server() as srv:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            first, again = [], []
            for _ in range(3 if quick else LOADS):
                ctx = browser.new_context(viewport={"width": 1440, "height": 900})
                page = ctx.new_page()
                first.append(_visit(ctx, page, srv.url + "/"))
                page.goto("about:blank")
                again.append(_visit(ctx, page, srv.url + "/"))
                ctx.close()
        finally:
            browser.close()
    med = lambda runs, k: statistics.median(r[k] for r in runs)  # noqa: E731
    report(
        "assets",
        "first contentful paint of the editor, empty cache",
        med(first, "fcp"),
        "ms",
        "≤ 500 ms",
        med(first, "fcp") <= 500,
        note=f"median of {len(first)}; DOMContentLoaded {med(first, 'dcl'):.0f} ms, "
        f"editor ready {med(first, 'ready'):.0f} ms",
    )
    report(
        "assets",
        "bytes over the wire, first visit",
        med(first, "bytes") / 1024,
        "KB",
        "",
        None,
        note=f"{med(first, 'requests'):.0f} requests; content-encoding: "
        f"{', '.join(sorted(set().union(*(r['encodings'] for r in first))))}",
    )
    report(
        "assets",
        "bytes over the wire, next visit",
        med(again, "bytes") / 1024,
        "KB",
        "",
        None,
        note=f"{med(again, 'requests'):.0f} requests to the server, "
        f"{med(again, 'cached'):.0f} from the browser's cache; first paint "
        f"{med(again, 'fcp'):.0f} ms",
    )
