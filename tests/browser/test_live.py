"""Live edits in the browser: what a person changes while a run goes reaches the real sockets,
and an edit that cannot says why (and offers Restart). Screenshots go to PLAYGROUND_SHOTS."""

import os
import time

SHOTS = os.environ.get("PLAYGROUND_SHOTS")


def _shot(page, tmp_path, name):
    page.screenshot(path=os.path.join(SHOTS or str(tmp_path), name))


def _socket_stats(page, key):
    return page.evaluate("(k) => (window.__playground.gauges.stats?.sockets || {})[k] || null", key)


def _select_node(page, node):
    page.click(f"[data-testid=node-{node}] .node-title", force=True)
    page.wait_for_selector("[data-testid=inspector] .insp-title, [data-testid=inspector] h2")


def test_subscribing_live_in_pubsub_weather(page, ed, tmp_path):
    ed.load_preset("pubsub-weather")
    ed.run()
    ed.wait_counter("l3", "filtered", 3)  # "nothing" subscribes to zzz: all filtered
    assert ed.counter("l3", "delivered") == 0
    _select_node(page, "nothing")
    box = page.locator("[data-testid=field-sub-subscribe]")
    box.click()
    page.keyboard.press("End")
    page.keyboard.type("\nweather")
    page.keyboard.press("Tab")  # the change is committed as a person leaves the field
    page.wait_for_selector(".log-line:has-text('SUBSCRIBE on nothing.sub (weather)')", timeout=5000)
    ed.wait_counter("l3", "delivered", 2)  # the SUB now receives the weather prefix
    assert page.locator("[data-testid=live-bar]").is_hidden()
    _shot(page, tmp_path, "live-subscribe-pubsub-weather.png")


def test_deleting_a_link_while_running_stops_that_subscriber(page, ed, tmp_path):
    ed.load_preset("pubsub-weather")
    ed.run()
    ed.wait_counter("l2", "delivered", 5)
    page.click("[data-testid=link-l2] .link-hit", force=True)
    page.keyboard.press("Delete")
    page.wait_for_selector(".log-line:has-text('link removed: l2')", timeout=5000)
    time.sleep(0.6)  # what was already on its way may still arrive
    got = _socket_stats(page, "everything.sub")["received"]
    other = _socket_stats(page, "weather.sub")["received"]
    time.sleep(1.0)
    assert _socket_stats(page, "everything.sub")["received"] == got  # no more over l2
    assert _socket_stats(page, "weather.sub")["received"] > other  # the rest goes on
    assert page.locator("[data-testid=link-l2]").count() == 0
    _shot(page, tmp_path, "live-link-deleted.png")


def test_an_edit_that_cannot_apply_live_says_why_and_offers_restart(page, ed):
    ed.load_preset("pipeline")
    ed.run()
    page.click("[data-testid=canvas]", position={"x": 5, "y": 5})  # nothing selected
    page.select_option("[data-testid=field-transport]", "tcp")
    bar = page.locator("[data-testid=live-bar]")
    bar.wait_for(state="visible", timeout=5000)
    assert "transport" in bar.inner_text() and "restarts" in bar.inner_text()
    assert page.evaluate("document.body.classList.contains('run-diverged')")
    page.click("[data-testid=live-revert]")
    bar.wait_for(state="hidden", timeout=5000)
    assert page.evaluate("window.__playground.store.doc.transport") == "ipc"
    page.select_option("[data-testid=field-transport]", "tcp")
    bar.wait_for(state="visible", timeout=5000)
    page.click("[data-testid=live-restart]")
    page.wait_for_selector(".log-line:has-text('started over tcp')", timeout=10000)
    bar.wait_for(state="hidden", timeout=5000)


def test_the_frames_panel_never_mixes_runs(page, ed):
    ed.load_preset("pipeline")
    ed.run()
    line = page.locator("[data-testid=log-line][data-ev=delivered]").first
    line.wait_for(timeout=20000)
    line.click()
    page.wait_for_selector("[data-testid=frames-panel] .fblock")
    ed.load_preset("lazy-pirate")
    page.click("[data-testid=run]")
    ed.wait("() => window.__playground.controls.status === 'running'")
    # the panel lets go of the previous run's message, and the store holds this run only
    assert page.locator("[data-testid=frames-panel] .fblock").count() == 0
    line = page.locator("[data-testid=log-line][data-ev=delivered]").first
    line.wait_for(timeout=20000)
    line.click()
    assert "ventilator" not in page.inner_text("[data-testid=frames-panel]")  # pipeline's node
    froms = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=log-line][data-msg]')]"
        ".map(l => window.__playground.messages.get(l.dataset.msg)?.sent?.node)"
    )
    nodes = set(ed.node_ids())
    assert all(n in nodes for n in froms if n)


def _dash(page, selector):
    return page.evaluate(
        "(s) => getComputedStyle(document.querySelector(s)).strokeDasharray", selector
    )


def test_killed_nodes_and_cut_links_look_different_and_controls_follow(page, ed):
    ed.load_preset("pipeline")
    ed.run()
    ed.wait_counter("l4", "delivered", 2)
    healthy = _dash(page, "[data-testid=link-l1] .link-line")
    assert healthy == "none"
    worker = page.evaluate(
        "window.__playground.store.doc.links.find(l => l.id === 'l2').connect.node"
    )
    _select_node(page, worker)
    page.click("[data-testid=fault-kill]")
    ed.wait(
        "(n) => document.querySelector(`[data-testid=node-${n}]`).dataset.state === 'killed'",
        arg=worker,
    )
    # only Restart applies to a killed node
    page.wait_for_selector("[data-testid=fault-kill][disabled]")
    assert page.is_disabled("[data-testid=fault-pause]")
    assert page.is_enabled("[data-testid=fault-restart]")
    assert _dash(page, f"[data-testid=node-{worker}] .node-outline") != "none"
    ed.wait(
        "() => document.querySelector('[data-testid=link-l2]').classList.contains('end-killed')"
    )
    assert _dash(page, "[data-testid=link-l2] .link-line") != "none"
    page.click("[data-testid=fault-restart]")
    page.wait_for_selector("[data-testid=fault-kill]:not([disabled])")
    # a cut link: dotted, unlike a healthy or a connecting one; Restore replaces Cut
    page.click("[data-testid=link-l1] .link-hit", force=True)
    page.click("[data-testid=fault-cut]")
    ed.wait("() => document.querySelector('[data-testid=link-l1]').dataset.state === 'cut'")
    cut = _dash(page, "[data-testid=link-l1] .link-line")
    assert cut not in ("none", healthy) and cut != _dash(page, "[data-testid=link-l2] .link-line")
    page.wait_for_selector("[data-testid=fault-restore]")
    assert page.locator("[data-testid=fault-cut]").count() == 0
