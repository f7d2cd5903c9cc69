"""The editor's comforts, each done as a person does it (keys, clicks, drags) and each undone:
the shortcuts dialog (`?`), Run / Stop keys, multi-select (box and Shift+click) moving and
deleting together, copy / paste / duplicate, palette search with quick-add, resizable panes
(pointer and keyboard separators) and the dark editor."""

from axe import describe, run_axe, severe

STATIC = "/static/js"


def _doc(page):
    return page.evaluate("window.__playground.store.doc")


def _pos(page):
    return {n["id"]: (n["x"], n["y"]) for n in _doc(page)["nodes"]}


def _selected(page):
    return sorted(page.evaluate("window.__playground.selection.ids"))


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


def _empty_point_left_of(page, selector, dx=-30, dy=-30):
    b = _box(page, selector)
    return b["x"] + dx, b["y"] + dy


def test_question_mark_lists_every_shortcut_and_escape_closes_it(page, ed):
    shortcuts = page.evaluate(f"import('{STATIC}/editor/shortcuts.js').then(m => m.SHORTCUTS)")
    assert len(shortcuts) >= 18
    page.keyboard.press("?")
    dialog = page.locator("[data-testid=shortcuts-dialog]")
    dialog.wait_for(state="visible")
    rows = page.locator("[data-testid=shortcut-row]")
    assert rows.count() == len(shortcuts)
    assert [r.get_attribute("data-what") for r in rows.all()] == [s[2] for s in shortcuts]
    text = dialog.inner_text()
    for keys in ("Ctrl+Enter", "Ctrl+Shift+Enter", "Ctrl+C", "Ctrl+V", "Ctrl+D", "Ctrl+A", "?"):
        assert keys in text, keys
    found = severe(run_axe(page, "[data-testid=shortcuts-dialog]"))
    assert not found, describe(found)
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    # The toolbar's keyboard button opens it too, its name read out in the language shown.
    button = page.locator("[data-testid=shortcuts]")
    assert button.inner_text() == "Keyboard shortcuts"
    button.click()
    dialog.wait_for(state="visible")
    assert page.evaluate("document.activeElement.dataset.testid") == "shortcuts-close"
    page.click("[data-testid=shortcuts-close]")
    dialog.wait_for(state="detached")
    assert page.evaluate("document.activeElement.dataset.testid") == "shortcuts"
    # Typed in a field, "?" is a character, not the dialog.
    page.focus("[data-testid=palette-search]")
    page.keyboard.press("?")
    assert dialog.count() == 0
    assert page.input_value("[data-testid=palette-search]") == "?"


def test_ctrl_enter_runs_and_ctrl_shift_enter_stops(page, ed):
    ed.load_preset("pipeline")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("[data-testid=run-status].st-running", timeout=15000)
    page.keyboard.press("Control+Shift+Enter")
    page.wait_for_selector("[data-testid=run-status].st-stopped", timeout=15000)


def test_box_and_shift_click_select_nodes_that_move_and_delete_together(page, ed):
    ed.load_preset("pipeline")
    before = _pos(page)
    # A box from the empty canvas above-left of w1 to below-right of w3 selects the three workers.
    start = _empty_point_left_of(page, "[data-testid=node-w1]")
    b3 = _box(page, "[data-testid=node-w3]")
    ed.drag(start, (b3["x"] + b3["width"] - 20, b3["y"] + b3["height"] + 10))
    assert _selected(page) == ["w1", "w2", "w3"]
    assert page.locator("g.node.selected").count() == 3
    assert page.locator("[data-testid=marquee]").count() == 0
    assert _pos(page) == before  # the box panned nothing and moved nothing
    # Dragging one of them moves the three by the same amount: one undo step.
    x, y = ed.center_of("[data-testid=node-w2] .node-title")
    ed.drag((x, y), (x + 80, y + 40))
    after = _pos(page)
    dx, dy = after["w2"][0] - before["w2"][0], after["w2"][1] - before["w2"][1]
    assert dx > 40 and dy > 15
    for n in ("w1", "w3"):
        assert after[n] == (before[n][0] + dx, before[n][1] + dy), n
    assert after["sink"] == before["sink"] and after["ventilator"] == before["ventilator"]
    page.click("[data-testid=undo]")
    ed.wait("window.__playground.store.doc.nodes.find(n => n.id === 'w1').x === 500")
    assert _pos(page) == before
    # Shift+click adds the sink and takes w2 out; the arrow keys move the selection.
    page.click("[data-testid=node-sink] .node-title", modifiers=["Shift"])
    page.click("[data-testid=node-w2] .node-title", modifiers=["Shift"])
    assert _selected(page) == ["sink", "w1", "w3"]
    page.focus("g.node[data-node=w1]")  # a member takes the focus: the selection stays
    assert _selected(page) == ["sink", "w1", "w3"]
    page.keyboard.press("ArrowDown")
    moved = _pos(page)
    for n in ("sink", "w1", "w3"):
        assert moved[n] == (before[n][0], before[n][1] + 10), n
    assert moved["w2"] == before["w2"]
    # Delete removes the three and their links in one step; undo brings them all back.
    page.keyboard.press("Delete")
    ed.wait("window.__playground.store.doc.nodes.length === 2")
    assert sorted(ed.node_ids()) == ["ventilator", "w2"]
    assert [link["id"] for link in ed.links()] == ["l2"]
    page.keyboard.press("Control+z")
    ed.wait("window.__playground.store.doc.nodes.length === 5")
    assert len(ed.links()) == 6
    # A click on the empty canvas clears the selection; Ctrl+A selects every node.
    page.mouse.click(*_empty_point_left_of(page, "[data-testid=node-ventilator]"))
    assert _selected(page) == []
    page.keyboard.press("Control+a")
    assert _selected(page) == ["sink", "ventilator", "w1", "w2", "w3"]


def test_space_drag_on_the_canvas_pans_instead_of_selecting(page, ed):
    ed.load_preset("pipeline")
    start = _empty_point_left_of(page, "[data-testid=node-w1]")
    view = page.evaluate(
        "[window.__playground.canvas.transform.x, window.__playground.canvas.transform.y]"
    )
    page.keyboard.down(" ")
    ed.drag(start, (start[0] + 120, start[1] + 60))
    page.keyboard.up(" ")
    after = page.evaluate(
        "[window.__playground.canvas.transform.x, window.__playground.canvas.transform.y]"
    )
    assert after[0] > view[0] + 60 and after[1] > view[1] + 20
    assert _selected(page) == []


def test_copy_paste_and_duplicate_nodes_with_their_inner_links(page, ed):
    ed.load_preset("pipeline")
    before = _doc(page)
    page.click("[data-testid=node-ventilator] .node-title")
    page.click("[data-testid=node-w1] .node-title", modifiers=["Shift"])
    page.keyboard.press("Control+c")
    page.mouse.click(*_empty_point_left_of(page, "[data-testid=node-ventilator]"))
    page.keyboard.press("Control+v")
    ed.wait("window.__playground.store.doc.nodes.length === 7")
    doc = _doc(page)
    new = [n for n in doc["nodes"] if n["id"] not in {m["id"] for m in before["nodes"]}]
    assert sorted(n["kind"] for n in new) == ["source", "worker"]
    ids = {n["kind"]: n["id"] for n in new}
    assert ids["source"] not in ("ventilator",) and ids["worker"] not in ("w1", "w2", "w3")
    orig = {n["id"]: n for n in before["nodes"]}
    src = next(n for n in new if n["kind"] == "source")
    assert (src["x"], src["y"]) == (orig["ventilator"]["x"] + 40, orig["ventilator"]["y"] + 40)
    assert src["sockets"] == orig["ventilator"]["sockets"]
    assert src["behaviour"] == orig["ventilator"]["behaviour"]
    # Only the link between the two copied nodes comes along, with a new id and new ends.
    added = [link for link in doc["links"] if link["id"] not in {m["id"] for m in before["links"]}]
    assert len(added) == 1
    assert added[0]["connect"] == {"node": ids["worker"], "socket": "in"}
    assert added[0]["bind"] == {"node": ids["source"], "socket": "out"}
    assert _selected(page) == sorted(ids.values())  # the paste is the selection
    # Duplicate the pasted pair: two more, and validation finds no problem in them.
    page.keyboard.press("Control+d")
    ed.wait("window.__playground.store.doc.nodes.length === 9")
    assert len(_doc(page)["links"]) == 8
    # Two undo steps: the duplicate, then the paste.
    page.keyboard.press("Control+z")
    ed.wait("window.__playground.store.doc.nodes.length === 7")
    page.keyboard.press("Control+z")
    ed.wait("window.__playground.store.doc.nodes.length === 5")
    assert _doc(page)["links"] == before["links"]


def test_palette_search_filters_and_enter_adds_the_first_match(page, ed):
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.dataset.testid") == "palette-search"
    page.keyboard.type("pirate")
    visible = page.evaluate(
        "[...document.querySelectorAll('.pal-body .pal-item')].filter(e => e.offsetParent)"
        ".map(e => e.dataset.kind || e.dataset.type)"
    )
    # Kinds named Pirate, and those whose help says they serve one (the lbbroker is the
    # Simple Pirate queue); no basic kind, no socket type.
    assert {"lazy_pirate", "pp_queue", "pp_worker"} <= set(visible), visible
    assert not {"source", "worker", "sink", "PUB", "REQ"} & set(visible), visible
    assert "Enter" in page.inner_text("[data-testid=palette-search-status]")
    page.keyboard.press("Enter")
    ed.wait("window.__playground.store.doc.nodes.length === 1")
    first = visible[0]
    assert _doc(page)["nodes"][0]["kind"] == first
    # The new node has the focus, so the arrow keys move it at once.
    assert page.evaluate("document.activeElement.getAttribute('data-node')") == first
    page.click("[data-testid=undo]")
    ed.wait("window.__playground.store.doc.nodes.length === 0")
    # Nothing matches: said so; Escape empties the box and shows everything again.
    page.fill("[data-testid=palette-search]", "zzqq")
    assert "zzqq" in page.inner_text("[data-testid=palette-search-status]")
    page.focus("[data-testid=palette-search]")
    page.keyboard.press("Escape")
    assert page.input_value("[data-testid=palette-search]") == ""
    assert page.locator("[data-testid=palette-kind-source]").is_visible()
    # In Korean the shown names match too.
    page.click("[data-testid=lang-switch] button[data-lang=ko]")
    ed.wait("document.documentElement.lang === 'ko'")
    page.fill("[data-testid=palette-search]", "싱크")
    assert page.locator("[data-testid=palette-kind-sink]").is_visible()
    assert not page.locator("[data-testid=palette-kind-source]").is_visible()


def test_panes_resize_by_pointer_and_keyboard_and_are_remembered(page, ed):
    sep = page.locator("[data-testid=pane-sep-palette]")
    assert sep.get_attribute("role") == "separator"
    width = _box(page, "[data-testid=palette]")["width"]
    assert int(sep.get_attribute("aria-valuenow")) == round(width)
    sep.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert int(sep.get_attribute("aria-valuenow")) == round(width) + 32
    assert abs(_box(page, "[data-testid=palette]")["width"] - (width + 32)) < 1.5
    page.keyboard.press("Home")
    assert sep.get_attribute("aria-valuenow") == sep.get_attribute("aria-valuemin") == "160"
    # The sidebar by pointer: dragged 60 px left, it is 60 px wider.
    side = page.locator("[data-testid=pane-sep-sidebar]")
    w0 = _box(page, ".sidebar")["width"]
    x, y = ed.center_of("[data-testid=pane-sep-sidebar]")
    ed.drag((x, y), (x - 60, y))
    assert abs(_box(page, ".sidebar")["width"] - (w0 + 60)) < 3
    assert abs(int(side.get_attribute("aria-valuenow")) - (w0 + 60)) < 3
    # The dock by keyboard: ArrowUp makes the log taller.
    dock = page.locator("[data-testid=pane-sep-dock]")
    h0 = _box(page, ".dock")["height"]
    dock.focus()
    page.keyboard.press("Shift+ArrowUp")
    assert abs(_box(page, ".dock")["height"] - (h0 + 64)) < 1.5
    # A reload keeps the sizes.
    page.reload()
    page.wait_for_selector("body.ready")
    assert abs(_box(page, "[data-testid=palette]")["width"] - 160) < 1.5
    assert abs(_box(page, ".dock")["height"] - (h0 + 64)) < 1.5


def test_dark_editor_is_kept_and_keeps_contrast(page, ed):
    toggle = page.locator("[data-testid=theme-toggle]")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert toggle.inner_text() == "Dark editor"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.body.classList.contains('theme-dark')")
    bg = page.evaluate("getComputedStyle(document.querySelector('.palette')).backgroundColor")
    assert bg == "rgb(21, 27, 40)"
    page.reload()
    page.wait_for_selector("body.ready")
    assert page.evaluate("document.body.classList.contains('theme-dark')")
    ed.load_preset("pipeline")
    page.focus("g.node[data-node=w1]")
    page.wait_for_selector("#inspector [data-testid=delete-node]")
    ed.run()
    found = severe(run_axe(page))
    assert not found, describe(found)
    page.click("[data-testid=theme-toggle]")
    assert not page.evaluate("document.body.classList.contains('theme-dark')")
    assert page.evaluate("localStorage.getItem('zpg.theme')") == "light"


def _comments(page):
    return page.evaluate("window.__playground.store.doc.view.comments || []")


def test_comments_on_the_canvas_are_written_moved_deleted_and_undone(page, ed):
    ed.load_preset("pipeline")
    page.click("[data-testid=add-comment]")
    area = page.locator("[data-testid=comment-text]")
    area.wait_for(state="visible")
    assert page.evaluate("document.activeElement.dataset.testid") == "comment-text"
    page.keyboard.type("Three workers, one PUSH")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("워커 셋")
    page.keyboard.press("Enter")
    note = page.locator("[data-testid=comment-c1]")
    assert note.inner_text().startswith("Three workers, one PUSH\n워커 셋")
    (c,) = _comments(page)
    assert c["id"] == "c1" and c["text"] == "Three workers, one PUSH\n워커 셋"
    # The server accepts the document with its comment (no problem listed).
    page.wait_for_timeout(600)
    assert page.locator(".problem").count() == 0
    # Dragged by the pointer, then by the arrow keys; Delete removes it; undo brings it back.
    x, y = ed.center_of("[data-testid=comment-c1] .comment-text")
    ed.drag((x, y), (x + 60, y + 30))
    (moved,) = _comments(page)
    assert moved["x"] > c["x"] + 30 and moved["y"] > c["y"] + 10
    note.focus()
    page.keyboard.press("ArrowRight")
    assert _comments(page)[0]["x"] == moved["x"] + 10
    page.keyboard.press("Delete")
    ed.wait("!(window.__playground.store.doc.view.comments || []).length")
    assert ed.node_ids() == ["ventilator", "w1", "w2", "w3", "sink"]  # the node stays
    page.keyboard.press("Control+z")
    ed.wait("(window.__playground.store.doc.view.comments || []).length === 1")
    assert _comments(page)[0]["x"] == moved["x"] + 10
    page.keyboard.press("Control+z")
    ed.wait("window.__playground.store.doc.view.comments[0].x === " + str(moved["x"]))
    # Enter on the note edits it; Escape leaves it as it was.
    page.focus("[data-testid=comment-c1]")
    page.keyboard.press("Enter")
    area.wait_for(state="visible")
    page.keyboard.type("gone")
    page.keyboard.press("Escape")
    assert _comments(page)[0]["text"] == c["text"]
    # The comment travels with the document (the URL fragment) and comes back on a reload.
    ed.wait("location.hash.length > 10")
    page.wait_for_timeout(700)
    page.reload()
    page.wait_for_selector("body.ready")
    ed.wait("document.querySelector('[data-testid=comment-c1]') !== null")
    assert _comments(page)[0]["text"] == c["text"]
    found = severe(run_axe(page))
    assert not found, describe(found)
