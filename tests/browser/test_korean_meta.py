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
