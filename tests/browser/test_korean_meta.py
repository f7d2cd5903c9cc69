"""The Korean UI shows /api/meta's Korean texts: palette node names and socket option labels
follow the language switch without reloading."""


def test_palette_and_option_labels_follow_the_language(page, ed):
    ed.load_preset("pipeline")
    page.focus("g.node[data-node=w1]")
    page.wait_for_selector("#inspector [data-testid=delete-node]")
    label = "label[for='f-option_3ain_3asndhwm']"
    assert page.inner_text(label) == "Send high-water mark"
    assert page.inner_text("[data-testid=palette-kind-worker] b") == "Worker"
    page.click("[data-testid=lang-switch] button[data-lang=ko]")
    ed.wait("document.documentElement.lang === 'ko'")
    assert page.inner_text("[data-testid=palette-kind-worker] b") == "워커"
    assert page.inner_text(label).startswith("송신 high-water mark")


def _field_texts(page, name):
    """(label, help) of a behaviour field as the inspector shows them."""
    return page.eval_on_selector(
        f"[data-testid=field-{name}]",
        """(e) => [document.querySelector(`label[for='${e.id}']`).textContent.trim(),
                  document.getElementById(`${e.id}-help`)?.textContent.trim() ?? null]""",
    )


def test_the_korean_inspector_shows_kind_help_and_every_behaviour_field_in_korean(page, ed, server):
    from app.topology.meta import build_meta

    kinds = build_meta()["kinds"]
    ed.load_preset("simple-pirate")
    page.click("[data-testid=lang-switch] button[data-lang=ko]")
    ed.wait("document.documentElement.lang === 'ko'")
    for node, kind in (
        ("worker1", "lb_worker"),
        ("client1", "lazy_pirate"),
        ("queue", "lb_broker"),
    ):
        page.focus(f"g.node[data-node={node}]")
        ed.wait(f"document.querySelector('#inspector [data-testid=field-id]')?.value === '{node}'")
        spec = kinds[kind]
        assert page.inner_text("#inspector .kind-help") == spec["text"]["help"]["ko"]
        for name, field in spec["fields"].items():
            label, help_ = _field_texts(page, name)
            text = field["text"]
            want = text["label"]["ko"] + (f" ({text['unit']['ko']})" if "unit" in text else "")
            assert label == want, (kind, name)
            assert help_ == (text["help"]["ko"] if "help" in text else None), (kind, name)
    assert _field_texts(page, "backend")[0] == "Backend"
    page.focus("g.node[data-node=worker1]")
    ed.wait("document.querySelector('#inspector .kind-help')?.textContent.includes('spworker')")
    assert _field_texts(page, "crash_after")[0] == "크래시 시점 (요청)"
    # Back to English: the same inspector, English again, with nothing reloaded.
    page.click("[data-testid=lang-switch] button[data-lang=en]")
    ed.wait("document.documentElement.lang === 'en'")
    assert _field_texts(page, "crash_after")[0] == "Crash after (requests)"
    assert page.inner_text("#inspector .kind-help") == kinds["lb_worker"]["help"]


def test_the_palette_describes_pattern_kinds_in_korean(page, ed):
    from app.topology.kinds_ko import KIND_HELP_KO

    page.click("[data-testid=lang-switch] button[data-lang=ko]")
    ed.wait("document.documentElement.lang === 'ko'")
    title = page.get_attribute("[data-testid=palette-kind-proxy]", "title")
    assert KIND_HELP_KO["proxy"] in title
    assert page.inner_text("[data-testid=palette-kind-proxy] b") == "프록시"
