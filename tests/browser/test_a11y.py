"""Accessibility of the editor and the embed, checked by axe-core (vendored, static/vendor/) in
real Chromium: no serious or critical violation on the editor (empty, and a Worker in the
inspector with every option shown), a running preset, the share dialog and an embed (light and
dark, before and while running). And the live regions: a run's state is announced."""

import json
import urllib.request
from pathlib import Path

from axe import describe, run_axe, severe

ROOT = Path(__file__).resolve().parents[2]


def assert_no_severe(page, where):
    found = severe(run_axe(page))
    assert not found, f"axe on {where}:\n{describe(found)}"


def test_editor_empty_has_no_serious_violations(page):
    assert_no_severe(page, "the empty editor")


def test_worker_inspector_every_control_is_named(page, ed):
    ed.load_preset("pipeline")
    page.focus("g.node[data-node=w1]")  # focus selects, as a click does
    page.wait_for_selector("#inspector [data-testid=delete-node]")
    for d in page.query_selector_all("#inspector details"):
        d.evaluate("(el) => (el.open = true)")
    controls = page.evaluate(
        "() => [...document.querySelectorAll('#inspector :is(input, select, textarea, button)')]"
        ".map((el) => el.outerHTML.slice(0, 80))"
    )
    assert len(controls) >= 32, controls
    assert_no_severe(page, "the Worker inspector")


def test_running_preset_has_no_serious_violations(page, ed):
    ed.load_preset("pipeline")
    ed.run()
    ed.wait_counter("l6")
    page.wait_for_selector("[data-testid=log-line]")
    assert_no_severe(page, "a running preset")


def test_share_dialog_has_no_serious_violations(page, ed):
    ed.load_preset("pipeline")
    page.click("[data-testid=share]")
    page.wait_for_selector("[data-testid=share-dialog]")
    ed.wait("document.querySelector('[data-testid=share-short]').value.includes('/t/')")
    assert_no_severe(page, "the share dialog")


def _saved(server):
    doc = json.loads((ROOT / "app" / "presets" / "pipeline.json").read_text())["topology"]
    req = urllib.request.Request(
        server + "/api/topologies",
        data=json.dumps(doc).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())["id"]


def test_embed_has_no_serious_violations(browser, server):
    item = _saved(server)
    errors = []
    for theme in ("light", "dark"):
        ctx = browser.new_context(viewport={"width": 800, "height": 450})
        pg = ctx.new_page()
        pg.on("console", lambda m: m.type == "error" and errors.append(m.text))
        pg.base_url = server
        pg.goto(f"{server}/embed/{item}?theme={theme}")
        pg.wait_for_selector("body.ready")
        found = severe(run_axe(pg))
        assert not found, f"axe on the {theme} embed before it runs:\n{describe(found)}"
        pg.click("[data-testid=embed-load]")
        pg.wait_for_function(
            "() => Number(document.querySelector('[data-testid=link-counter-l6]')"
            "?.dataset.delivered) > 0",
            timeout=20000,
        )
        found = severe(run_axe(pg))
        assert not found, f"axe on the {theme} embed while it runs:\n{describe(found)}"
        ctx.close()
        assert not errors, errors


def test_run_state_is_announced(page, ed):
    polite = "[data-testid=announce-polite]"
    assert page.get_attribute(polite, "role") == "status"
    assert page.get_attribute("[data-testid=announce-assertive]", "role") == "alert"
    ed.load_preset("pipeline")
    ed.run()
    ed.wait(f"document.querySelector('{polite}').textContent === 'Run started'")
    page.click("[data-testid=stop]")
    ed.wait(f"document.querySelector('{polite}').textContent.startsWith('Run stopped')")
