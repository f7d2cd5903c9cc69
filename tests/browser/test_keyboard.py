"""The editor by keyboard alone: every step below is a key press (Tab, Enter, arrows, letters);
the mouse is never used. Builds PUB → 2 SUB from the palette, wires it port to port, runs it
and sees messages delivered on both links."""

MAX_TABS = 400


def tab_to(page, selector, backwards=False):
    """Press Tab (Shift+Tab) until the focused element matches `selector`."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"{selector} never took the focus in {MAX_TABS} presses of {key}")


def focused(page):
    return page.evaluate(
        "() => { const a = document.activeElement;"
        " return a && (a.getAttribute('data-testid') || a.getAttribute('data-node')"
        " || a.tagName); }"
    )


def choose(page, ed, select_testid, value):
    """Pick an option of a <select> with the arrow keys (each step is a change the inspector
    applies and re-renders; the focus stays on the select)."""
    tab_to(page, f"[data-testid={select_testid}]")
    sel = f"[data-testid={select_testid}]"
    options = page.evaluate(
        "(s) => [...document.querySelector(s).options].map((o) => o.value)", sel
    )
    for _ in range(len(options)):
        cur = page.evaluate("(s) => document.querySelector(s).value", sel)
        if cur == value:
            break
        page.keyboard.press("ArrowDown" if options.index(value) > options.index(cur) else "ArrowUp")
        ed.wait("([s, v]) => document.querySelector(s)?.value !== v", arg=[sel, cur])
        assert page.evaluate("(s) => document.activeElement?.matches(s)", sel)
    assert page.evaluate("(s) => document.querySelector(s).value", sel) == value


def add_node(page, ed, kind):
    before = set(ed.node_ids())
    tab_to(page, f"[data-testid=palette-kind-{kind}]")
    page.keyboard.press("Enter")
    ed.wait(f"window.__playground.store.doc.nodes.length === {len(before) + 1}")
    (new,) = set(ed.node_ids()) - before
    # the new node takes the focus, so the arrow keys move it at once
    ed.wait("(id) => document.activeElement?.getAttribute('data-node') === id", arg=new)
    return new


def node_xy(page, nid):
    return page.evaluate(
        "(id) => { const n = window.__playground.store.doc.nodes.find((x) => x.id === id);"
        " return [n.x, n.y]; }",
        nid,
    )


def test_keyboard_only_builds_and_runs_pub_to_two_subs(page, ed):
    pub = add_node(page, ed, "source")
    x0, y0 = node_xy(page, pub)
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("ArrowUp")
    assert node_xy(page, pub) == [x0 - 100, y0 - 10]
    choose(page, ed, "socket-type-out", "PUB")

    subs = []
    for i in range(2):
        sub = add_node(page, ed, "sink")
        for _ in range(3):
            page.keyboard.press("Shift+ArrowRight")
        for _ in range(2 if i == 0 else 0):
            page.keyboard.press("Shift+ArrowUp")
        for _ in range(2 if i == 1 else 0):
            page.keyboard.press("Shift+ArrowDown")
        choose(page, ed, "socket-type-in", "SUB")
        tab_to(page, "[data-testid=socket-mode-in-connect]")
        page.keyboard.press("Enter")
        ed.wait(
            "(id) => window.__playground.store.doc.nodes.find((n) => n.id === id)"
            ".sockets[0].mode === 'connect'",
            arg=sub,
        )
        subs.append(sub)

    for sub in subs:
        tab_to(page, f"[data-testid=port-{pub}-out]")
        page.keyboard.press("Enter")
        assert page.get_attribute(f"[data-testid=port-{pub}-out]", "aria-pressed") == "true"
        tab_to(page, f"[data-testid=port-{sub}-in]")
        page.keyboard.press("Enter")
        ed.wait(
            "(id) => window.__playground.store.doc.links.some((l) => l.connect.node === id)",
            arg=sub,
        )
        # the new link takes the focus once it is drawn (the render after the change) and has
        # a name
        ed.wait(
            "() => (document.activeElement?.getAttribute('data-testid') || '').startsWith('link-')"
        )
        assert page.evaluate("document.activeElement.getAttribute('aria-label')")

    links = {sub: ed.link_between(sub) for sub in subs}
    tab_to(page, "[data-testid=run]", backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=run-status].st-running", timeout=15000)
    for link in links.values():
        ed.wait_counter(link, "delivered")
    assert ed.counter(links[subs[0]]) > 0 and ed.counter(links[subs[1]]) > 0

    # a message line of the log takes focus and opens its frames with Enter
    tab_to(page, "[data-testid=event-log]")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('log-line')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".log-line.selected")


def test_keyboard_wire_refusal_and_escape(page, ed):
    a = add_node(page, ed, "source")
    page.keyboard.press("Shift+ArrowLeft")
    b = add_node(page, ed, "source")  # PUSH bind to PUSH bind: refused, with the reason
    tab_to(page, f"[data-testid=port-{a}-out]")
    page.keyboard.press("Enter")
    tab_to(page, f"[data-testid=port-{b}-out]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=toast].toast-error")
    assert ed.links() == []
    # Escape ends a wire that was started
    tab_to(page, f"[data-testid=port-{a}-out]", backwards=True)
    page.keyboard.press("Enter")
    assert page.evaluate("document.body.classList.contains('is-wiring')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.body.classList.contains('is-wiring')")
    # Delete on a focused node removes it; undo brings it back
    tab_to(page, f"g.node[data-node={b}]")
    page.keyboard.press("Delete")
    ed.wait(f"!window.__playground.store.doc.nodes.some((n) => n.id === '{b}')")
    page.keyboard.press("Control+z")
    ed.wait(f"window.__playground.store.doc.nodes.some((n) => n.id === '{b}')")
