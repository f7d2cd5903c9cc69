"""The browser tests' hands and eyes on the editor page (tests/browser): gestures and reads in
the user's terms. A module of its own (not conftest.py) so that a test can import it by a name
no other test directory shares."""

import time


class Editor:
    """Gestures and reads on the editor page, in the user's terms."""

    def __init__(self, page):
        self.page = page

    def wait(self, expression, arg=None, timeout=15000):
        """Poll a JS expression (or function of `arg`) until it is truthy.

        Playwright's wait_for_function evaluates strings with eval(), which the page's
        Content-Security-Policy rightly forbids; page.evaluate is not subject to it.
        """
        deadline = time.monotonic() + timeout / 1000
        while True:
            if self.page.evaluate(expression, arg):
                return
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout} ms waiting for: {expression}\n"
                    f"the page then: {self.snapshot()}"
                )
            time.sleep(0.05)

    def snapshot(self):
        """What a failed wait reports: the run's status, the last toast, the inspector's text."""
        return self.page.evaluate(
            """() => ({
              status: document.querySelector('[data-testid=run-status]')?.dataset.status,
              toast: document.querySelector('[data-testid=toast-text]')?.textContent,
              inspector: (document.querySelector('.sidebar')?.innerText || '').slice(0, 1500),
            })"""
        )

    def center_of(self, selector):
        # a node just dropped is drawn on the next frame: wait for it (bounding_box does not),
        # else a loaded machine's late frame failed test_bind_to_bind_wire_offers_a_one_click_fix
        target = self.page.locator(selector).first
        target.wait_for(state="visible", timeout=15000)
        box = target.bounding_box()
        assert box, f"{selector} is not visible"
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def drag(self, start, end, steps=12):
        m = self.page.mouse
        m.move(*start)
        m.down()
        m.move(start[0] + 6, start[1] + 6, steps=2)
        m.move(*end, steps=steps)
        m.up()

    def canvas_point(self, fx, fy):
        box = self.page.locator("[data-testid=canvas]").bounding_box()
        return box["x"] + box["width"] * fx, box["y"] + box["height"] * fy

    def drop_kind(self, kind, fx, fy):
        """Drag a node kind from the palette onto the canvas; returns the new node's id."""
        before = set(self.node_ids())
        self.drag(self.center_of(f"[data-testid=palette-kind-{kind}]"), self.canvas_point(fx, fy))
        self.wait(f"window.__playground.store.doc.nodes.length === {len(before) + 1}")
        (new,) = set(self.node_ids()) - before
        return new

    def wire(self, node_a, sock_a, node_b, sock_b):
        self.drag(
            self.center_of(f"[data-testid=port-{node_a}-{sock_a}]"),
            self.center_of(f"[data-testid=port-{node_b}-{sock_b}]"),
        )

    def node_ids(self):
        return self.page.evaluate("window.__playground.store.doc.nodes.map(n => n.id)")

    def links(self):
        return self.page.evaluate("window.__playground.store.doc.links")

    def load_preset(self, pid):
        # The preset arrives by fetch: wait for the store to hold a new document (the one on the
        # canvas may already be this preset, which rendered nodes alone would not tell apart).
        self.page.evaluate("window.__presetBefore = window.__playground.store.doc")
        self.page.click("[data-testid=presets-button]")
        self.page.click(f"[data-testid=preset-{pid}]")
        self.wait(
            "(n) => window.__playground.store.doc !== window.__presetBefore && "
            "window.__playground.store.doc.nodes.length > 0 && "
            "document.querySelectorAll('g.node').length ==="
            " window.__playground.store.doc.nodes.length",
            arg=None,
        )

    def run(self):
        self.page.click("[data-testid=run]")
        self.page.wait_for_selector("[data-testid=run-status].st-running", timeout=15000)

    def counter(self, link_id, what="delivered"):
        v = self.page.get_attribute(f"[data-testid=link-counter-{link_id}]", f"data-{what}")
        return int(v or 0)

    def wait_counter(self, link_id, what="delivered", above=0, timeout=20000):
        self.wait(
            "([id, what, above]) => { const g ="
            " document.querySelector(`[data-testid=link-counter-${id}]`);"
            " return g && Number(g.getAttribute('data-' + what)) > above; }",
            arg=[link_id, what, above],
            timeout=timeout,
        )

    def tokens(self):
        """The tokens drawn on the token canvas right now (tokens.snapshot(): msg, link, ev, kind,
        x, y in client coordinates), each with `alpha`: the opacity of the canvas pixel at its
        centre, read in the same task, so a listed token is one really painted there."""
        return self.page.evaluate("""() => {
          const snap = window.__playground.tokens.snapshot();
          const c = document.querySelector('canvas.token-canvas');
          const r = c.getBoundingClientRect(), g = c.getContext('2d'), d = c.width / r.width;
          return snap.map((t) => ({...t, alpha: t.kind === 'pulse' ? null
            : g.getImageData(Math.floor((t.x - r.left) * d), Math.floor((t.y - r.top) * d), 1, 1)
                .data[3]}));
        }""")

    def link_between(self, connect_node):
        for link in self.links():
            if link["connect"]["node"] == connect_node:
                return link["id"]
        raise AssertionError(f"no link connects {connect_node}")
