"""The editor at desktop, small-laptop, tablet and phone sizes: the controls a user needs are on
screen (inside the viewport, not clipped), the canvas has area, and at phone width the page is a
viewer that runs a preset and a shared link."""

import json
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ON_SCREEN = """(sels) => sels.map((s) => {
  const e = document.querySelector(s);
  if (!e) return [s, 'missing'];
  const r = e.getBoundingClientRect();
  const ok = r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0
    && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
  const [x, y, w, h] = [r.left, r.top, r.width, r.height].map(Math.round);
  return [s, ok ? 'on' : `off: ${x},${y} ${w}x${h}`];
})"""

RUN = ["[data-testid=run]", "[data-testid=stop]", "[data-testid=run-status]", "#lang-switch"]
EDIT = ["#palette", "#inspector", "[data-testid=undo]", "[data-testid=auto-layout]"]
SHARE = ["[data-testid=presets-button]", "[data-testid=share]", "[data-testid=export-button]"]


def open_at(browser, server, size, path="/"):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = ctx.new_page()
    errors = []
    pg.on("console", lambda m: m.type == "error" and errors.append(m.text))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server + path)
    pg.wait_for_selector("body.ready", timeout=15000)
    return ctx, pg, errors


def off_screen(pg, sels):
    return [f"{s}: {v}" for s, v in pg.evaluate(ON_SCREEN, sels) if v != "on"]


def canvas_area(pg):
    box = pg.locator("[data-testid=canvas]").bounding_box()
    return box["width"], box["height"]


@pytest.mark.parametrize(
    "size, labelled",
    [((1440, 900), True), ((1024, 700), False), ((768, 1024), True)],
)
def test_full_editor_controls_on_screen(browser, server, size, labelled):
    ctx, pg, errors = open_at(browser, server, size)
    try:
        assert off_screen(pg, RUN + EDIT + SHARE) == []
        w, h = canvas_area(pg)
        assert w >= 400 and h >= 300, (w, h)
        # Share and Export show their words where there is room; where they are icons, the
        # words stay in the accessibility tree (visually hidden, never display: none)
        share_text = pg.locator("[data-testid=share] span").first
        assert share_text.evaluate("(e) => e.textContent.trim().length") > 0
        assert share_text.evaluate("(e) => e.getBoundingClientRect().width > 1") == labelled
    finally:
        ctx.close()
    assert not errors, errors


def test_phone_is_a_viewer_that_runs_a_preset(browser, server):
    ctx, pg, errors = open_at(browser, server, (390, 844))
    try:
        assert off_screen(pg, RUN + SHARE + ["#log"]) == []
        assert pg.locator("#palette").is_hidden() and pg.locator("#inspector").is_hidden()
        w, h = canvas_area(pg)
        assert w >= 380 and h >= 300, (w, h)
        # labelled where there is room: Presets and Share keep their words
        assert pg.locator("[data-testid=share] span").first.bounding_box()["width"] > 10
        pg.click("[data-testid=presets-button]")
        assert off_screen(pg, ["[data-testid=preset-pubsub-weather]"]) == []
        pg.click("[data-testid=preset-pubsub-weather]")
        pg.click("[data-testid=run]")
        pg.wait_for_selector("[data-testid=run-status].st-running", timeout=15000)
        pg.wait_for_selector("[data-testid=log-line]", timeout=15000)
        # every node of the preset is drawn inside the canvas once fitted
        outside = pg.evaluate(
            """() => {
              const c = document.querySelector('[data-testid=canvas]').getBoundingClientRect();
              return [...document.querySelectorAll('g.node')].filter((g) => {
                const r = g.getBoundingClientRect();
                return r.left < c.left - 1 || r.right > c.right + 1 || r.bottom > c.bottom + 1; })
                .map((g) => g.getAttribute('data-node')); }"""
        )
        assert outside == []
    finally:
        ctx.close()
    assert not errors, errors


def test_phone_runs_a_shared_link(browser, server):
    doc = json.loads((ROOT / "app" / "presets" / "pipeline.json").read_text())["topology"]
    req = urllib.request.Request(
        server + "/api/topologies",
        data=json.dumps(doc).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        item = json.loads(r.read())["id"]
    ctx, pg, errors = open_at(browser, server, (390, 844), f"/t/{item}")
    try:
        assert pg.locator("g.node").count() == len(doc["nodes"])
        assert off_screen(pg, RUN) == []
        pg.click("[data-testid=run]")
        pg.wait_for_selector("[data-testid=run-status].st-running", timeout=15000)
        pg.wait_for_selector("[data-testid=log-line]", timeout=15000)
    finally:
        ctx.close()
    assert not errors, errors


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(1600, 900), (1440, 900), (1280, 800), (1100, 760), (1024, 700)])
def test_running_and_paused_keep_every_header_control_on_screen(browser, server, size, lang):
    # Running, Restart replaces Run; paused, Resume replaces Pause and Step appears: the header is
    # at its widest (the language switch was pushed off screen at every one of these widths)
    ctx, pg, errors = open_at(browser, server, size, f"/?lang={lang}")
    try:
        pg.click("[data-testid=presets-button]")
        pg.click("[data-testid=preset-pubsub-weather]")
        pg.wait_for_selector("g.node")
        pg.click("[data-testid=run]")
        pg.wait_for_selector("[data-testid=run-status].st-running", timeout=15000)
        assert off_screen(pg, RUN + SHARE + ["#lang-switch button:last-child"]) == []
        pg.click("[data-testid=pause]")
        pg.wait_for_selector("[data-testid=step]:not([hidden])")
        step = ["[data-testid=step]", "[data-testid=pause]", "#lang-switch button:last-child"]
        assert off_screen(pg, RUN + SHARE + step) == []
        # where a word is hidden, its name is still there for screen readers
        for sel in ("[data-testid=step]", "[data-testid=pause]"):
            assert pg.locator(f"{sel} span").evaluate("(e) => e.textContent.trim().length") > 0
    finally:
        ctx.close()
    assert not errors, errors
