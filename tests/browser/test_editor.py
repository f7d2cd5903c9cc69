"""The editor in a real browser against the real server: build, wire, run, inspect."""

import time


def test_editor_loads_with_its_parts(page):
    for testid in (
        "palette",
        "canvas",
        "inspector",
        "run-controls",
        "run",
        "pause",
        "stop",
        "speed",
        "presets-button",
        "event-log",
        "frames-panel",
        "problems",
    ):
        assert page.locator(f"[data-testid={testid}]").first.is_visible(), testid
    # The palette is built from /api/meta: every socket type and node kind is there.
    for t in (
        "REQ",
        "REP",
        "DEALER",
        "ROUTER",
        "PUB",
        "SUB",
        "XPUB",
        "XSUB",
        "PUSH",
        "PULL",
        "PAIR",
    ):
        assert page.locator(f"[data-testid=palette-socket-{t}]").is_visible(), t
    for k in ("source", "replier", "worker", "sink"):
        assert page.locator(f"[data-testid=palette-kind-{k}]").is_visible(), k
    assert page.locator("[data-testid=run-status]").inner_text().lower() in ("idle", "offline")
    page.wait_for_selector("[data-testid=run-status].st-idle", timeout=10000)  # websocket up


def test_drag_source_and_sink_wire_and_run(page, ed):
    src = ed.drop_kind("source", 0.3, 0.5)
    snk = ed.drop_kind("sink", 0.7, 0.5)
    assert page.locator(f"[data-testid=node-{src}] [data-testid=port-{src}-out]").count() == 1
    # Both default sockets bind: the editor refuses and offers to switch one end.
    ed.wire(src, "out", snk, "in")
    toast = page.locator("[data-testid=toast-text]")
    assert "bind" in toast.inner_text()
    assert ed.links() == []
    # Make the sink's socket connect in the inspector, then wire again.
    page.locator(f"[data-testid=node-{snk}] .node-title").click()
    page.click("[data-testid=socket-mode-in-connect]")
    ed.wire(src, "out", snk, "in")
    links = ed.links()
    assert len(links) == 1
    assert links[0]["connect"] == {"node": snk, "socket": "in"}
    assert links[0]["bind"] == {"node": src, "socket": "out"}
    ed.run()
    ed.wait_counter(links[0]["id"], "delivered", above=0)
    assert ed.counter(links[0]["id"]) > 0


def test_incompatible_wire_is_refused_with_reason(page, ed):
    src = ed.drop_kind("source", 0.3, 0.5)
    snk = ed.drop_kind("sink", 0.7, 0.5)
    page.locator(f"[data-testid=node-{src}] .node-title").click()
    page.select_option("[data-testid=socket-type-out]", "PUB")
    ed.wait(
        f"window.__playground.store.doc.nodes.find(n => n.id === '{src}').sockets[0].type === 'PUB'"
    )
    ed.wire(src, "out", snk, "in")
    toast = page.locator("[data-testid=toast-text]")
    toast.wait_for(state="visible")
    assert "PUB talks to SUB or XSUB, not PULL" in toast.inner_text()
    assert ed.links() == []


def test_pipeline_preset_round_robins_over_three_workers(page, ed):
    ed.load_preset("pipeline")
    assert "Pipeline" in page.locator("[data-testid=explain-title]").inner_text()
    ed.run()
    worker_links = [ed.link_between(w) for w in ("w1", "w2", "w3")]
    for lid in worker_links:
        ed.wait_counter(lid, "delivered", above=0, timeout=20000)
    assert all(ed.counter(lid) > 0 for lid in worker_links)
    # Tokens are drawn along the worker links (one rAF loop painting the token canvas): listed
    # by the token layer at a point on screen where the canvas really is painted.
    ed.wait(
        "(ids) => window.__playground.tokens.snapshot().some(t => t.kind ==="
        " 'delivered' && ids.includes(t.link))",
        arg=worker_links,
        timeout=10000,
    )
    drawn = [t for t in ed.tokens() if t["kind"] == "delivered"]
    assert drawn and all(t["alpha"] > 0 for t in drawn)
    box = page.locator("[data-testid=canvas]").bounding_box()
    assert all(
        box["x"] <= t["x"] <= box["x"] + box["width"]
        and box["y"] <= t["y"] <= box["y"] + box["height"]
        for t in drawn
    )


def test_pubsub_weather_filters_everything_at_zzz(page, ed):
    ed.load_preset("pubsub-weather")
    zzz = ed.link_between("nothing")
    everything = ed.link_between("everything")
    # Remember every token the page draws on the zzz link: sampled from the token layer every
    # animation frame (each frame's snapshot is exactly what that frame painted).
    page.evaluate(
        """(id) => {
      window.__seenFiltered = new Set();
      window.__seenDelivered = new Set();
      const tick = () => {
        for (const t of window.__playground.tokens.snapshot()) {
          if (t.link !== id) continue;
          if (t.kind === 'filtered') window.__seenFiltered.add(t.msg);
          else if (t.kind === 'delivered') window.__seenDelivered.add(t.msg);
        }
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    }""",
        zzz,
    )
    ed.run()
    ed.wait_counter(zzz, "filtered", above=2, timeout=20000)
    ed.wait_counter(everything, "delivered", above=2, timeout=20000)
    assert ed.counter(zzz, "delivered") == 0
    ed.wait("() => window.__seenFiltered.size > 0", timeout=10000)
    assert page.evaluate("window.__seenDelivered.size") == 0
    badge = page.locator(f"[data-testid=link-counter-{zzz}]").text_content()
    assert "✕" in badge


def test_event_log_line_opens_frames(page, ed):
    ed.load_preset("pubsub-weather")
    ed.run()
    line = page.locator("[data-testid=log-line][data-ev=delivered]").first
    line.wait_for(timeout=20000)
    line.click()
    msg = line.get_attribute("data-msg")
    link = line.get_attribute("data-link")
    expected = page.evaluate(
        "([m, l]) => window.__playground.messages.get(m).deliveries.find(d => d.link === l).frames",
        [msg, link],
    )
    assert len(expected) == 2  # topic frame + body frame
    panel = page.locator("[data-testid=frames-panel]")
    received = panel.locator(".fblock").nth(1).locator("[data-testid=frame-row]")
    assert received.count() == len(expected)
    for i, frame in enumerate(expected):
        row = received.nth(i)
        assert row.locator("[data-testid=frame-value]").inner_text() == frame
        assert row.locator(".fs").inner_text() == f"{len(frame.encode())} B"
    assert "publisher.pub" in panel.inner_text()


def _total_delivered(page):
    return page.evaluate(
        "Array.from(document.querySelectorAll('g.badge')).reduce((n, g) => n +"
        " Number(g.getAttribute('data-delivered') || 0), 0)"
    )


def test_pause_stops_counters_and_resume_continues(page, ed):
    ed.load_preset("pipeline")
    ed.run()
    ed.wait_counter(ed.link_between("w1"), "delivered", above=0)
    page.click("[data-testid=pause]")
    page.wait_for_selector("[data-testid=run-status].st-paused", timeout=10000)
    time.sleep(0.8)  # let the last stats of before the pause arrive
    frozen = _total_delivered(page)
    time.sleep(1.5)
    assert _total_delivered(page) == frozen
    assert page.locator("[data-testid=pause]").inner_text().strip() == "Resume"
    page.click("[data-testid=pause]")
    page.wait_for_selector("[data-testid=run-status].st-running", timeout=10000)
    ed.wait(
        "(n) => Array.from(document.querySelectorAll('g.badge')).reduce((s, g) => s +"
        " Number(g.getAttribute('data-delivered') || 0), 0) > n",
        arg=frozen,
        timeout=15000,
    )


def test_url_fragment_round_trips_the_topology(page, ed):
    src = ed.drop_kind("source", 0.3, 0.4)
    snk = ed.drop_kind("sink", 0.7, 0.6)
    ed.wait("location.hash.startsWith('#v=1&t=') && location.hash.length > 40")
    page.wait_for_timeout(700)  # the fragment is rewritten at most twice a second
    url = page.url
    page.goto(page.base_url + "/")
    page.wait_for_selector("body.ready")
    assert ed.node_ids() == []
    page.goto(url)
    page.reload()
    page.wait_for_selector("body.ready")
    assert sorted(ed.node_ids()) == sorted([src, snk])
    for n in (src, snk):
        assert page.locator(f"[data-testid=node-{n}]").is_visible()


def test_delete_key_and_undo_redo(page, ed):
    src = ed.drop_kind("source", 0.4, 0.5)
    page.locator(f"[data-testid=node-{src}] .node-title").click()
    page.keyboard.press("Delete")
    assert ed.node_ids() == []
    page.keyboard.press("Control+z")
    assert ed.node_ids() == [src]
    page.keyboard.press("Control+Shift+z")
    assert ed.node_ids() == []


def test_drag_socket_type_onto_node_adds_a_socket(page, ed):
    src = ed.drop_kind("source", 0.4, 0.5)
    ed.drag(
        ed.center_of("[data-testid=palette-socket-SUB]"),
        ed.center_of(f"[data-testid=node-{src}] .node-title"),
    )
    ed.wait("window.__playground.store.doc.nodes[0].sockets.length === 2")
    sock = page.evaluate("window.__playground.store.doc.nodes[0].sockets[1]")
    assert sock["type"] == "SUB" and sock["mode"] == "connect"
    assert sock["options"]["subscribe"] == [""]
    assert page.locator(f"[data-testid=port-{src}-{sock['name']}]").is_visible()
    # ... and from the inspector.
    page.select_option("[data-testid=add-socket-type]", "DEALER")
    page.click("[data-testid=add-socket]")
    assert [s["type"] for s in page.evaluate("window.__playground.store.doc.nodes[0].sockets")] == [
        "PUSH",
        "SUB",
        "DEALER",
    ]


def test_clicking_a_travelling_token_shows_its_message(page, ed):
    ed.load_preset("reqrep-hello")
    page.locator("[data-testid=speed]").fill("0")  # 0.05×: slow motion
    assert page.locator("[data-testid=speed-value]").inner_text() == "0.05×"
    ed.run()
    ed.wait(
        "() => window.__playground.tokens.snapshot().some(t => t.kind === 'delivered')",
        timeout=20000,
    )
    page.wait_for_timeout(400)
    # The slowest-moving delivered token of two looks 150 ms apart, clicked where it is drawn.
    before = {(t["msg"], t["link"]): t for t in ed.tokens() if t["kind"] == "delivered"}
    page.wait_for_timeout(150)
    now = [t for t in ed.tokens() if t["kind"] == "delivered" and (t["msg"], t["link"]) in before]
    assert now, "a delivered token stays on screen for a while at 0.05×"
    token = min(
        now,
        key=lambda t: (
            abs(t["x"] - before[t["msg"], t["link"]]["x"])
            + abs(t["y"] - before[t["msg"], t["link"]]["y"])
        ),
    )
    assert token["alpha"] > 0  # painted where the layer says it is
    msg = token["msg"]
    view = page.evaluate("""() => { window.__selections = 0;
      window.__playground.bus.on('selection:changed', () => window.__selections++);
      return {...window.__playground.canvas.transform}; }""")
    page.mouse.click(token["x"], token["y"])
    ed.wait(
        "(m) => document.querySelector('[data-testid=frames-msg]').textContent === 'message ' + m",
        arg=msg,
    )
    # the press was the token's: no pan, and the click did not select the link or node behind it
    assert page.evaluate("({...window.__playground.canvas.transform})") == view
    assert page.evaluate("window.__selections") == 0
    sent = page.evaluate("(m) => window.__playground.messages.get(m).sent", msg)
    panel = page.locator("[data-testid=frames-panel]")
    as_sent = panel.locator(".fblock").first
    assert f"{sent['node']}.{sent['socket']}" in as_sent.locator("header").inner_text()
    assert as_sent.locator("[data-testid=envelope-row]").count() == len(sent["envelope"])
    values = as_sent.locator("[data-testid=frame-row] [data-testid=frame-value]").all_inner_texts()
    assert values == sent["frames"]


def test_killing_a_worker_during_a_run(page, ed):
    ed.load_preset("pipeline")
    ed.run()
    ed.wait_counter(ed.link_between("w2"), "delivered", above=0)
    page.locator("[data-testid=node-w2] .node-title").click()
    page.click("[data-testid=fault-kill]")
    page.wait_for_selector("[data-testid=node-w2][data-state=killed]", timeout=10000)
    assert "killed" in page.locator("[data-testid=node-w2] .node-status").text_content()


def test_bind_to_bind_wire_offers_a_one_click_fix(page, ed):
    src = ed.drop_kind("source", 0.3, 0.5)
    snk = ed.drop_kind("sink", 0.7, 0.5)
    ed.wire(src, "out", snk, "in")
    fix = page.locator("[data-testid=toast-action]")
    assert fix.inner_text() == f"Make {snk}.in connect and wire"
    fix.click()
    (link,) = ed.links()
    assert link["connect"] == {"node": snk, "socket": "in"}
    assert page.locator(f"[data-testid=link-{link['id']}]").count() == 1
    page.keyboard.press("Control+z")  # one undo step takes back both the switch and the link
    assert ed.links() == []
    assert (
        page.evaluate(
            f"window.__playground.store.doc.nodes.find(n => n.id === '{snk}').sockets[0].mode"
        )
        == "bind"
    )


def test_preset_explanation_switches_language(page, ed):
    ed.load_preset("pipeline")
    explain = page.locator("[data-testid=explain]")
    english = explain.inner_text()
    assert "round robin" in english
    page.click("[data-lang=ko]")
    korean = explain.inner_text()
    assert korean != english and "라운드 로빈" in korean
    page.click("[data-lang=en]")
    assert explain.inner_text() == english


def test_inspector_edits_are_validated_by_the_server(page, ed):
    ed.load_preset("pipeline")
    page.locator("[data-testid=node-w1] .node-title").click()
    assert page.locator("[data-testid=field-work_ms]").input_value() == "400"
    page.fill("[data-testid=field-work_ms]", "-5")
    page.keyboard.press("Tab")
    error = page.locator("[data-testid=field-error]").first
    error.wait_for(timeout=10000)
    assert "work_ms" in error.inner_text() and "-5" in error.inner_text()
    assert page.locator("[data-testid=problem-count]").inner_text() == "1"
    assert "has-problem" in page.get_attribute("[data-testid=node-w1]", "class")
    page.fill("[data-testid=field-work_ms]", "50")
    page.keyboard.press("Tab")
    page.locator("[data-testid=problem-count]").filter(has_text="none").wait_for(timeout=10000)
    assert (
        page.evaluate(
            "window.__playground.store.doc.nodes.find(n => n.id === 'w1').behaviour.work_ms"
        )
        == 50
    )


def test_a_linked_port_faces_its_peers(page, ed):
    ed.load_preset("majordomo")
    doc = page.evaluate("window.__playground.store.doc")
    broker = next(n for n in doc["nodes"] if n["id"] == "broker")
    workers = [n for n in doc["nodes"] if n["kind"] == "mdp_worker"]
    assert workers and all(w["x"] > broker["x"] for w in workers)
    # DEALER is drawn on the right by default; linked to a broker on its left, it faces left
    for w in workers:
        assert page.get_attribute(f"[data-testid=port-{w['id']}-dealer]", "cx") == "0", w["id"]
    # drag a worker to the far left of the broker: its port turns to face the broker again
    w = workers[0]["id"]
    title = ed.center_of(f"[data-testid=node-{w}] .node-title")
    broker_box = page.locator("[data-testid=node-broker]").bounding_box()
    ed.drag(title, (broker_box["x"] - 260, title[1]))
    ed.wait(
        f"() => document.querySelector('[data-testid=port-{w}-dealer]').getAttribute('cx') !== '0'"
    )
    box = page.locator(f"[data-testid=node-{w}]").bounding_box()
    port = page.locator(f"[data-testid=port-{w}-dealer]").bounding_box()
    assert port["x"] > box["x"] + box["width"] / 2  # now on the right, toward the broker


def test_header_menus_drop_below_the_bar_and_can_be_clicked(page):
    # The bar clips sideways only: a menu that drops below it is on top where the user clicks.
    for button, menu in (("presets-button", "presets-menu"), ("export-button", "export-menu")):
        page.click(f"[data-testid={button}]")
        hit = page.evaluate(
            """(m) => {
          const it = document.querySelector(`[data-testid=${m}] .menu-item`)
            .getBoundingClientRect();
          return document.elementFromPoint(it.x + it.width / 2, it.y + it.height / 2)
            ?.closest(`[data-testid=${m}]`) !== null; }""",
            menu,
        )
        assert hit, f"{menu} is hidden under the page"
        page.keyboard.press("Escape")
        page.mouse.click(700, 500)


def test_a_link_shows_its_transport_and_engine_chosen_endpoint(page, ed):
    ed.load_preset("pipeline")
    lid = ed.link_between("w1")
    page.locator(f"[data-testid=link-counter-{lid}]").count()  # badges appear once running
    ed.run()
    ed.wait_counter(lid, "delivered", above=0)
    page.locator(f"[data-testid=link-counter-{lid}]").click()
    ep = page.locator("[data-testid=link-endpoint]")
    ep.wait_for(timeout=10000)
    assert page.locator("[data-testid=link-transport]").inner_text() == "ipc"
    # in the run's private temp dir, whose path the page is not told
    assert ep.inner_text().startswith("ipc://…/")
    assert page.locator("[data-testid=link-state]").inner_text() == "connected"
