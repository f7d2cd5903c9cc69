"""The message sequence chart beside the log (static/js/ui/sequence.js): lifelines per socket, an
arrow per hop, outcomes told apart by shape, what was not traced said so, synchronised with the
log, the frames panel and the canvas, and moved by the replay scrubber."""

import time

CHART = "[data-testid=sequence]"


def chart_msgs(page, ev):
    return page.evaluate(
        "(ev) => [...document.querySelectorAll(`[data-testid=sequence] .seq-${ev}`)]"
        ".map(g => g.getAttribute('data-msg'))",
        ev,
    )


def log_msgs(page, ev):
    return page.evaluate(
        "(ev) => [...document.querySelectorAll(`[data-testid=log-line][data-ev=${ev}]`)]"
        ".map(l => l.getAttribute('data-msg'))",
        ev,
    )


def test_lazy_pirate_chart_follows_the_run_and_syncs_with_log_frames_and_canvas(page, ed):
    """Chart → frames and log; log → chart; a node selected on the canvas → its lifeline."""
    ed.load_preset("lazy-pirate")
    ed.run()
    ed.wait(
        "document.querySelectorAll('[data-testid=sequence] .seq-delivered').length >= 4",
        timeout=20000,
    )
    page.click("[data-testid=stop]")
    page.wait_for_selector("[data-testid=run-status].st-stopped", timeout=10000)
    time.sleep(0.6)  # both lists draw at most four times a second
    lifelines = page.evaluate(
        "[...document.querySelectorAll('[data-testid=seq-lifeline]')]"
        ".map(g => g.getAttribute('data-socket'))"
    )
    assert lifelines == ["client.req", "server.rep"]
    # Every traced hop of the log is an arrow in the chart, and every send a dot.
    assert chart_msgs(page, "delivered") == log_msgs(page, "delivered")
    assert chart_msgs(page, "sent") == log_msgs(page, "sent")
    # A request and its reply go opposite ways between the two lifelines.
    first = page.locator(f"{CHART} .seq-delivered").first
    assert "client.req" in first.get_attribute("aria-label")
    assert "server.rep" in first.get_attribute("aria-label")

    # Chart → frames and log.
    msg = page.locator(f"{CHART} .seq-delivered").nth(1).get_attribute("data-msg")
    page.locator(f"{CHART} .seq-delivered").nth(1).locator(".seq-hit").click()
    page.wait_for_selector(f"[data-testid=log-line][data-msg='{msg}'].selected")
    assert msg in page.inner_text("[data-testid=frames-msg]")
    assert page.locator(f"{CHART} .seq-msg.selected").count() >= 2  # its sent dot and its arrow

    # Log → chart.
    other = log_msgs(page, "delivered")[0]
    assert other != msg
    page.click(f"[data-testid=log-line][data-ev=delivered][data-msg='{other}']")
    page.wait_for_selector(f"{CHART} .seq-delivered[data-msg='{other}'].selected")
    assert page.locator(f"{CHART} .seq-delivered[data-msg='{msg}'].selected").count() == 0

    # Canvas → chart: a selected node's lifeline is marked.
    page.keyboard.press("Escape")
    page.click("[data-testid=node-server] .node-body", force=True)
    page.wait_for_selector(f"{CHART} [data-testid=seq-lifeline][data-socket='server.rep'].hot")
    assert page.locator(f"{CHART} [data-testid=seq-lifeline].hot").count() == 1

    # Keyboard: the chart takes focus, arrows move between messages, Enter opens one.
    page.focus(CHART)
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.getAttribute('data-msg')")
    assert focused is not None
    page.wait_for_selector(f"[data-testid=log-line][data-msg='{focused}'].selected")


def test_outcomes_differ_by_shape_and_untraced_events_are_said_not_drawn(page, ed):
    """Events given to the chart as the server would send them, sampled batch included."""
    page.evaluate("""() => {
      const bus = window.__playground.bus;
      bus.emit('run:started', {run: 'r1', transport: 'ipc', links: {}});
      bus.emit('run:batch', {sampled: true, skipped: 7, events: [
        {ev: 'sent', t: 1, node: 'pub', socket: 'out', msg: 1, frames: ['weather 21'], size: 10},
        {ev: 'delivered', t: 2, msg: 1, link: 'l1', from: 'pub.out', to: 'a.in',
         frames: ['weather 21']},
        {ev: 'filtered', t: 2, msg: 1, link: 'l2', from: 'pub.out', to: 'b.in', topic: 'weather'},
        {ev: 'dropped', t: 3, msg: 2, link: 'l1', from: 'pub.out', to: 'a.in', reason: 'hwm'},
        {ev: 'sent', t: 4, node: 'pub', socket: 'out', msg: 3, frames: ['late'], size: 4},
        {ev: 'blocked', t: 5, node: 'pub', socket: 'out'},
        {ev: 'node', t: 6, node: 'a', state: 'crashed', detail: 'simulated crash'},
      ]});
      window.__playground.sequence.renderNow();
    }""")
    gap = page.locator(f"{CHART} [data-testid=seq-gap]")
    assert gap.get_attribute("data-n") == "7"
    assert "7 message events not traced" in gap.text_content()
    assert "7 not traced" in page.inner_text("[data-testid=seq-count]")
    lifelines = page.evaluate(
        "[...document.querySelectorAll('[data-testid=seq-lifeline]')]"
        ".map(g => g.getAttribute('data-socket'))"
    )
    assert lifelines == ["pub.out", "a.in", "b.in"]

    delivered = page.locator(f"{CHART} .seq-delivered")
    filtered = page.locator(f"{CHART} .seq-filtered")
    dropped = page.locator(f"{CHART} .seq-dropped")
    assert delivered.locator(".seq-head").count() == 1
    assert delivered.locator(".seq-cross, .seq-bar").count() == 0
    assert filtered.locator(".seq-cross").count() == 1 and "filtered" in filtered.text_content()
    assert dropped.locator(".seq-bar").count() == 1 and "dropped (hwm)" in dropped.text_content()

    def dash(loc):
        return loc.locator(".seq-arrow").evaluate("p => getComputedStyle(p).strokeDasharray")

    assert len({dash(delivered), dash(filtered), dash(dropped)}) == 3, "a line style per outcome"
    # Message 2's send was never traced: its drop starts at a hollow circle and says so.
    assert "untraced-send" in dropped.get_attribute("class")
    assert dropped.locator("circle.seq-untraced").count() == 1
    assert "not traced" in dropped.get_attribute("aria-label")
    # Message 1's send was traced: its arrows start at its dot, no hollow circle.
    assert "untraced-send" not in delivered.get_attribute("class")
    # Message 3 was sent and nothing more was seen: said, not invented.
    lonely = page.locator(f"{CHART} .seq-sent[data-msg='3']")
    assert "no outcome traced" in lonely.text_content()
    assert "no outcome" not in page.locator(f"{CHART} .seq-sent[data-msg='1']").text_content()
    assert page.locator(f"{CHART} [data-testid=seq-blocked]").count() == 1
    # a pause sign, as on the canvas: two upright bars side by side
    bars = page.locator(f"{CHART} [data-testid=seq-blocked] rect").evaluate_all(
        "rs => rs.map(r => [r.x.baseVal.value, r.width.baseVal.value, r.height.baseVal.value])"
    )
    assert len(bars) == 2 and bars[0][1:] == bars[1][1:] and bars[0][2] > 2 * bars[0][1]
    assert bars[1][0] - bars[0][0] > bars[0][1]
    crashed = page.locator(f"{CHART} [data-testid=seq-node]")
    assert "crashed" in crashed.text_content() and "bad" in crashed.get_attribute("class")


def test_replay_scrubber_moves_log_and_chart_and_keeps_playing(page, ed):
    ed.load_preset("reqrep-hello")
    ed.run()
    ed.wait(
        "document.querySelectorAll('[data-testid=sequence] .seq-delivered').length >= 8",
        timeout=20000,
    )
    page.click("[data-testid=stop]")
    page.wait_for_selector("[data-testid=run-status].st-stopped", timeout=10000)
    page.wait_for_function("() => !document.querySelector('[data-testid=replay-open]').hidden")
    page.click("[data-testid=replay-open]")
    page.wait_for_selector("[data-testid=replay-bar][data-state=playing]")
    # Scrub to 90 % while it plays.
    page.evaluate("""() => {
      const s = document.querySelector('[data-testid=replay-scrub]');
      s.value = '900';
      s.dispatchEvent(new Event('input', {bubbles: true}));
      s.dispatchEvent(new Event('change', {bubbles: true}));
    }""")
    assert page.get_attribute("[data-testid=replay-bar]", "data-state") == "playing"
    # The log and the chart list what happened up to there (no waiting for new messages).
    ed.wait(
        "document.querySelectorAll('[data-testid=sequence] .seq-delivered').length >= 6"
        " && document.querySelectorAll('[data-testid=log-line][data-ev=delivered]').length >= 6",
        timeout=5000,
    )
    assert chart_msgs(page, "delivered")[:6] == log_msgs(page, "delivered")[:6]
    # It keeps playing to the end.
    page.wait_for_selector("[data-testid=replay-bar][data-state=ended]", timeout=20000)


def _selected_links(page):
    return page.evaluate(
        "[...document.querySelectorAll('[data-testid^=link-].link.selected')]"
        ".map(g => g.getAttribute('data-link'))"
    )


def test_an_arrow_picked_in_the_chart_selects_its_link_on_the_canvas_by_mouse_and_keyboard(
    page, ed
):
    """Chart → canvas: the arrow's link is selected (the inspector shows it) and its log line is
    marked; with the keyboard too, the focus staying on the arrow."""
    ed.load_preset("rrbroker")
    ed.run()
    ed.wait(
        "document.querySelectorAll('[data-testid=sequence] .seq-delivered').length >= 8",
        timeout=20000,
    )
    page.click("[data-testid=stop]")
    page.wait_for_selector("[data-testid=run-status].st-stopped", timeout=10000)
    time.sleep(0.6)  # both lists draw at most four times a second
    assert _selected_links(page) == []

    arrow = page.locator(f"{CHART} .seq-delivered").nth(2)
    msg, link = arrow.get_attribute("data-msg"), arrow.get_attribute("data-link")
    arrow.locator(".seq-hit").click()
    page.wait_for_selector(f"[data-testid=link-{link}].selected")
    assert _selected_links(page) == [link]
    page.wait_for_selector(f"[data-testid=log-line][data-msg='{msg}'].selected")
    # the chart marks the selected link's arrows, and this one as the message shown
    page.wait_for_selector(f"{CHART} .seq-delivered[data-msg='{msg}'].selected.hot")

    # Keyboard only: to an arrow of another link, Enter; its link is selected, focus stays put.
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('[data-testid^=link-].link.selected')")
    page.focus(CHART)
    page.keyboard.press("Home")
    for _ in range(60):
        other = page.evaluate(
            "() => { const a = document.activeElement; return a.classList.contains('seq-msg')"
            " ? a.getAttribute('data-link') : null; }"
        )
        if other and other != link:
            break
        page.keyboard.press("ArrowDown")
    assert other and other != link, "the chart lists arrows of more than one link"
    focused = page.evaluate(
        "[document.activeElement.getAttribute('data-msg'),"
        " document.activeElement.getAttribute('data-ev')]"
    )
    page.keyboard.press("Enter")
    page.wait_for_selector(f"[data-testid=link-{other}].selected")
    assert _selected_links(page) == [other]
    page.wait_for_selector(f"[data-testid=log-line][data-msg='{focused[0]}'].selected")
    time.sleep(0.6)  # the chart redraws for the new selection
    assert (
        page.evaluate(
            "[document.activeElement.getAttribute('data-msg'),"
            " document.activeElement.getAttribute('data-ev')]"
        )
        == focused
    )
    assert page.locator(f"{CHART} .seq-msg.hot").count() >= 1
