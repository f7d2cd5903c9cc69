"""Readable motion, as a person uses it: a filtered message stops at the publisher's port with an
✕ naming the SUB (libzmq's PUB filters before sending), tokens carry labels, Pause freezes every
token where it is, Step lets one message travel its hop, and a token is easy to click.
Screenshots go to PLAYGROUND_SHOTS when it is set."""

import math
import os
import time

SHOTS = os.environ.get("PLAYGROUND_SHOTS")


def _shot(page, tmp_path, name):
    page.screenshot(path=os.path.join(SHOTS or str(tmp_path), name))


def _centre(page, selector):
    box = page.locator(selector).first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _sent(page, key):
    return page.evaluate(
        "(k) => ((window.__playground.gauges.stats?.sockets || {})[k] || {}).sent || 0", key
    )


def _key(tokens):
    """Where every drawn token is (pulse rings included)."""
    return sorted(
        (t["kind"], str(t["msg"]), str(t["link"]), round(t["x"], 1), round(t["y"], 1))
        for t in tokens
    )


def test_a_filtered_message_stops_at_the_publishers_port_naming_the_sub(page, ed, tmp_path):
    ed.load_preset("pubsub-weather")
    # every filtered token the page paints on l3 (publisher → "nothing", subscribed to zzz)
    page.evaluate("""() => {
      window.__filtered = [];
      const tick = () => {
        for (const t of window.__playground.tokens.snapshot())
          if (t.kind === 'filtered' && t.link === 'l3') window.__filtered.push(t);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    }""")
    ed.run()
    ed.wait_counter("l3", "filtered", above=2, timeout=20000)
    ed.wait("() => window.__filtered.length > 5", timeout=10000)
    seen = page.evaluate("window.__filtered")
    pub = _centre(page, "[data-testid=port-publisher-pub]")
    sub = _centre(page, "[data-testid=port-nothing-sub]")
    span = math.dist(pub, sub)
    for t in seen:
        # near the publisher's port, never on its way to the SUB
        assert math.dist((t["x"], t["y"]), pub) < 0.15 * span, t
        assert t["to"] == "nothing" and t["label"].startswith("✕ nothing"), t
    assert ed.counter("l3", "delivered") == 0
    # pause to read the marks: the filtered tokens stand still at the publisher
    ed.wait("() => window.__playground.tokens.snapshot().some(t => t.kind === 'filtered')")
    page.click("[data-testid=pause]")
    ed.wait("() => window.__playground.tokens.paused")
    assert any(t["kind"] == "filtered" for t in ed.tokens())
    _shot(page, tmp_path, "filtered-at-publisher-pubsub-weather.png")


def test_labels_pause_freezes_every_token_and_step_moves_one_hop(page, ed, tmp_path):
    ed.load_preset("pubsub-weather")
    page.click("[data-testid=token-labels]")  # the legend's Labels switch
    assert page.is_checked("[data-testid=token-labels]")
    ed.run()
    ed.wait(
        "() => window.__playground.tokens.snapshot().some(t => t.kind === 'delivered')",
        timeout=20000,
    )
    page.click("[data-testid=pause]")
    page.wait_for_selector("[data-testid=run-status][data-status=paused]")
    ed.wait("() => window.__playground.tokens.paused")
    time.sleep(0.3)  # messages already in libzmq's queues may still arrive: they freeze too
    first = ed.tokens()
    time.sleep(0.7)
    again = ed.tokens()
    moving = [t for t in first if t["kind"] != "pulse"]
    assert moving, "no token on screen when paused"
    assert _key(first) == _key(again)  # frozen in place
    assert all(t["alpha"] > 0 for t in moving)  # really painted there
    labels = {t["label"] for t in moving if t["kind"] == "delivered"}
    assert labels and labels <= {"weather.seoul", "weather.busan", "sports.kbo"}, labels
    _shot(page, tmp_path, "paused-tokens-with-labels.png")

    # a larger hit area: a click 12 px off a frozen token's centre still opens a message, one
    # of the tokens within their clickable radius of the click (tokens may lie close together)
    t = next(t for t in moving if t["kind"] == "delivered")
    at = (t["x"] + 12, t["y"])
    assert t["r"] > 12
    near = {str(o["msg"]) for o in moving if math.dist(at, (o["x"], o["y"])) <= o["r"]}
    page.mouse.click(*at)
    ed.wait("() => /\\d/.test(document.querySelector('[data-testid=frames-msg]').textContent)")
    shown = page.evaluate(
        "document.querySelector('[data-testid=frames-msg]').textContent.match(/\\d+/)[0]"
    )
    assert shown in near, (shown, near)

    # Step: exactly one more message is published; its tokens travel, then all freeze again
    sent = _sent(page, "publisher.pub")
    before = {(x["msg"], x["link"]) for x in again}
    page.click("[data-testid=step]")
    ed.wait(
        "(n) => (window.__playground.gauges.stats.sockets['publisher.pub'] || {}).sent === n",
        arg=sent + 1,
        timeout=5000,
    )
    ed.wait(
        "(b) => window.__playground.tokens.snapshot().some(t => t.kind !== 'pulse'"
        " && !b.includes(`${t.msg}|${t.link}`))",
        arg=[f"{m}|{lk}" for m, lk in before],
        timeout=5000,
    )
    ed.wait("() => window.__playground.tokens.paused", timeout=10000)
    a = ed.tokens()
    time.sleep(0.5)
    assert _key(a) == _key(ed.tokens())
    time.sleep(0.6)
    assert _sent(page, "publisher.pub") == sent + 1  # still paused: nothing more was sent

    # Resume: the clock goes on and the tokens move again
    page.click("[data-testid=pause]")
    ed.wait("() => !window.__playground.tokens.paused")
    page.click("[data-testid=token-labels]")
    ed.wait(
        "() => window.__playground.tokens.snapshot().some(t => t.kind === 'delivered'"
        " && t.label === '')",
        timeout=10000,
    )


def test_a_sender_with_no_peer_is_said_so_not_blocked_at_hwm(page, ed):
    src = ed.drop_kind("source", 0.3, 0.4)
    sock = page.evaluate(
        "(id) => window.__playground.store.doc.nodes.find(n => n.id === id).sockets[0]", src
    )
    assert (sock["type"], sock["mode"]) == ("PUSH", "bind")
    ed.run()
    tag = page.locator(f"[data-testid=blocked-{src}-{sock['name']}]")
    tag.wait_for(timeout=10000)
    assert "no peer" in tag.text_content() and "HWM" not in tag.text_content()
    assert "no peer" in tag.locator("title").text_content()
    status = page.locator(f"[data-testid=node-{src}] .node-status")
    assert "no peer" in status.text_content() and "HWM" not in status.text_content()
    # wire a worker while it runs: the link is added live, the PUSH has its peer and sends
    worker = ed.drop_kind("worker", 0.7, 0.4)
    ed.wire(worker, "in", src, sock["name"])
    page.wait_for_selector(".log-line:has-text('link added')", timeout=10000)
    link = ed.link_between(worker)
    ed.wait_counter(link, "delivered", 0)
    tag.wait_for(state="detached", timeout=5000)
    # the worker took one task and now waits on its own unlinked PUSH: no peer either
    theirs = page.locator(f"[data-testid=blocked-{worker}-out]")
    theirs.wait_for(timeout=10000)
    assert "no peer" in theirs.text_content()
