"""Inject from the inspector, as a person does it: pick a running node, compose frames (text and
hex, several of them, a ROUTER's envelope chosen from its peers), press Send, and watch the
message go like any other; "Send one" on a source. Screenshots go to PLAYGROUND_SHOTS."""

import os

SHOTS = os.environ.get("PLAYGROUND_SHOTS")


def _select_node(page, node):
    page.click(f"[data-testid=node-{node}] .node-title", force=True)
    page.wait_for_selector("[data-testid=inject]")


def _message_from(page, key, body):
    """The first message the page saw `key` send whose frames end with `body`."""
    return page.evaluate(
        """([key, body]) => {
          const out = [];
          for (let id = 1; id < 5000; id++) {
            const m = window.__playground.messages.get(id);
            if (!m || !m.sent || `${m.sent.node}.${m.sent.socket}` !== key) continue;
            const tail = JSON.stringify(m.sent.frames.slice(-body.length));
            if (tail !== JSON.stringify(body)) continue;
            return {id: m.id, sent: m.sent.frames, deliveries: m.deliveries.map(
              (d) => ({to: d.to, frames: d.frames}))};
          }
          return null;
        }""",
        [key, body],
    )


def test_an_injected_multipart_message_on_a_router_reaches_the_req_client(page, ed, tmp_path):
    ed.load_preset("rrbroker")
    ed.run()
    ed.wait_counter("l1", "delivered", 2)  # the broker has heard from client1: its id is known
    # A REQ takes a message only while it waits for its reply (libzmq discards one that comes
    # between requests): pause both workers so client1's next request stays unanswered.
    for w in ("worker1", "worker2"):
        _select_node(page, w)
        page.click("[data-testid=fault-pause]")
        page.wait_for_selector("[data-testid=fault-resume]")
    ed.wait(
        "() => { const s = window.__playground.gauges.stats.sockets['client1.req'] || {};"
        " return s.sent > s.received; }",
        timeout=10000,
    )
    _select_node(page, "broker")
    page.select_option("[data-testid=inject-socket]", "frontend")
    peers = page.locator("[data-testid=inject-peer] option")
    ed.wait(
        "() => [...document.querySelectorAll('[data-testid=inject-peer] option')]"
        ".some(o => o.textContent.includes('client1.req'))"
    )
    label = next(t for t in peers.all_text_contents() if "client1.req" in t)
    assert "delimiter" in label  # a REQ peer needs the empty delimiter: the envelope adds it
    page.select_option("[data-testid=inject-peer]", label=label)
    ed.wait("() => !!document.querySelector('[data-testid=inject-envelope]')")
    page.fill("[data-testid=inject-frame-0]", "injected")
    page.click("[data-testid=inject-add]")
    page.select_option("[data-testid=inject-kind-1]", "hex")
    page.fill("[data-testid=inject-frame-1]", "00 ff 10")
    page.click("[data-testid=inject-send]")
    page.wait_for_selector("[data-testid=inject-answer].ok", timeout=5000)
    assert "1 sent" in page.text_content("[data-testid=inject-answer]")
    body = ["injected", {"hex": "00ff10"}]
    ed.wait(
        "([k, b]) => { for (let id = 1; id < 5000; id++) { const m ="
        " window.__playground.messages.get(id); if (m && m.sent && m.deliveries.length &&"
        " `${m.sent.node}.${m.sent.socket}` === k && JSON.stringify(m.sent.frames.slice(-2))"
        " === JSON.stringify(b)) return true; } return false; }",
        arg=["broker.frontend", body],
        timeout=10000,
    )
    m = _message_from(page, "broker.frontend", body)
    assert len(m["sent"]) == 4 and m["sent"][1] == ""  # [routing id, "", "injected", 00ff10]
    assert m["deliveries"] == [{"to": "client1.req", "frames": body}]
    # the log line of that delivery opens its frames, as for any message
    line = page.locator(f"[data-testid=log-line][data-ev=delivered][data-msg='{m['id']}']").first
    line.click()
    page.wait_for_selector("[data-testid=frames-panel] [data-testid=frame-row]")
    assert "00 ff 10" in page.inner_text("[data-testid=frames-panel]")
    page.screenshot(path=os.path.join(SHOTS or str(tmp_path), "inject-multipart-router.png"))


def test_send_one_on_a_source_and_refusals_said_in_the_form(page, ed):
    ed.load_preset("pubsub-weather")
    ed.run()
    ed.wait_counter("l2", "delivered", 1)
    _select_node(page, "publisher")
    page.click("[data-testid=inject-send-one]")
    page.wait_for_selector("[data-testid=inject-answer].ok", timeout=5000)
    ed.wait(
        "() => { for (let id = 1; id < 5000; id++) { const m = window.__playground.messages"
        ".get(id); if (m?.sent?.frames?.[1] === 'reading inject' && m.deliveries.some("
        "d => d.to === 'everything.sub')) return true; } return false; }",
        timeout=10000,
    )
    # a hex row that is not hex: said in the form, nothing sent
    page.select_option("[data-testid=inject-kind-0]", "hex")
    page.fill("[data-testid=inject-frame-0]", "0g")
    page.click("[data-testid=inject-send]")
    page.wait_for_selector("[data-testid=inject-answer].bad")
    assert "frame 1" in page.text_content("[data-testid=inject-answer]")
    # a SUB node has nothing to send from: no inject section
    page.click("[data-testid=node-weather] .node-title", force=True)
    page.wait_for_selector("[data-testid=inspector] [data-testid=faults-title]")
    assert page.locator("[data-testid=inject]").count() == 0
