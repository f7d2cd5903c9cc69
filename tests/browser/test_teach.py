"""Problems that teach, as a new user meets them: the obvious PUB/SUB build, a lone worker, a
sender with no peer; flagged before and during a run, in English and Korean."""


def _warnings(page):
    return page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=problem-warning]')]"
        ".map(li => [li.dataset.code, li.innerText])"
    )


def test_the_pub_chip_on_a_source_retypes_its_socket_and_problems_teach(page, ed):
    src = ed.drop_kind("source", 0.3, 0.4)
    ed.drag(
        ed.center_of("[data-testid=palette-socket-PUB]"),
        ed.center_of(f"[data-testid=node-{src}] .node-title"),
    )
    ed.wait("window.__playground.store.doc.nodes[0].sockets[0].type === 'PUB'")
    socks = page.evaluate("window.__playground.store.doc.nodes[0].sockets")
    assert [(s["type"], s["mode"]) for s in socks] == [("PUB", "bind")]  # no ignored 2nd socket
    assert "is now PUB (was PUSH)" in page.inner_text("[data-testid=toast-text]")
    # before a run: a bound PUB with no peer drops every message
    ed.wait("document.querySelector('[data-testid=problem-warning][data-code=no-peer-drop]')")
    found = dict(_warnings(page))
    assert set(found) == {"unwired-node", "no-peer-drop"}
    assert "a bound PUB with no peer drops every message" in found["no-peer-drop"]
    assert page.inner_text("[data-testid=problem-count]") == "2"

    # a SUB chip cannot be a source's socket: it is added, and the reader is told it is unused
    ed.drag(
        ed.center_of("[data-testid=palette-socket-SUB]"),
        ed.center_of(f"[data-testid=node-{src}] .node-title"),
    )
    ed.wait("window.__playground.store.doc.nodes[0].sockets.length === 2")
    assert "still uses out" in page.inner_text("[data-testid=toast-text]")
    ed.wait("document.querySelector('[data-testid=problem-warning][data-code=unused-socket]')")
    assert {c for c, _ in _warnings(page)} == {"unwired-node", "no-peer-drop", "unused-socket"}

    # a lone worker is unwired; during a run the list stays, and it speaks Korean too
    worker = ed.drop_kind("worker", 0.6, 0.7)
    ed.wait(
        "(w) => [...document.querySelectorAll('[data-testid=problem-warning]')]"
        ".some(li => li.dataset.code === 'unwired-node' && li.innerText.startsWith(w))",
        arg=worker,
    )
    before = _warnings(page)
    ed.run()
    assert _warnings(page) == before
    page.click("#lang-switch [data-lang=ko]")
    texts = " ".join(t for _, t in _warnings(page))
    assert "피어가 없는 bind된 PUB는 보내는 모든 메시지를 버립니다" in texts
    assert "연결되지 않은 노드" in texts
