"""The page's language (static/js/i18n.js): one EN / 한국어 switch for the whole UI, live,
remembered, from ?lang= or the browser; embeds follow ?lang= without touching localStorage."""

import json
import re
from pathlib import Path

from app.web.assets import tree_hash

STATIC = f"/static/{tree_hash()}"  # where the server serves static/ (app/web/assets.py)
ROOT = Path(__file__).resolve().parents[2]

# What the labels read in each language (the dictionary's words, checked in the real page).
KO = {
    "run": "실행",
    "restart": "재시작",
    "pause": "일시정지",
    "stop": "중지",
    "palette": "노드",
    "behaviour": "동작",
    "sockets": "소켓",
    "faults": "실행 중 장애 주입",
    "log": "이벤트 로그",
    "frames": "프레임",
    "problems": "문제",
    "presets": "프리셋",
    "running": "실행 중",
}
EN = {
    "run": "Run",
    "restart": "Restart",
    "pause": "Pause",
    "stop": "Stop",
    "palette": "Nodes",
    "behaviour": "Behaviour",
    "sockets": "Sockets",
    "faults": "During this run",
    "log": "Event log",
    "frames": "Frames",
    "problems": "Problems",
    "presets": "Presets",
    "running": "running",
}

LABELS = {
    "run": "[data-testid=run] span",
    "pause": "[data-testid=pause] span",
    "stop": "[data-testid=stop] span",
    "palette": "[data-testid=palette-nodes-title]",
    "log": "[data-testid=log-title]",
    "frames": "[data-testid=frames-title]",
    "problems": "[data-testid=problems-title]",
    "presets": "[data-testid=presets-button] span",
    "status": "[data-testid=run-status]",
}
NODE_LABELS = {
    "behaviour": "[data-testid=inspector-sec-behaviour]",
    "sockets": "[data-testid=inspector-sec-sockets]",
    "faults": "[data-testid=faults-title]",
}


def texts(page, selectors):
    # text_content, not inner_text: the panel titles are upper-cased by CSS in English.
    return {k: page.locator(sel).first.text_content().strip() for k, sel in selectors.items()}


def delivered_total(page):
    return page.evaluate(
        "Array.from(document.querySelectorAll('g.badge')).reduce((n, g) => n +"
        " Number(g.getAttribute('data-delivered') || 0), 0)"
    )


def test_switching_to_korean_relabels_everything_live_and_back(page, ed):
    ed.load_preset("pipeline")
    ed.run()
    ed.wait_counter(ed.link_between("w1"), "delivered", above=0)
    page.locator("[data-testid=node-w1] .node-title").click()
    page.locator("[data-testid=faults-title]").wait_for()
    explain = page.locator("[data-testid=explain]")
    english = {
        **texts(page, LABELS),
        **texts(page, NODE_LABELS),
        "explain": explain.inner_text(),
        "title": page.locator("[data-testid=explain-title]").inner_text(),
    }
    assert (
        english["run"] == EN["restart"]
        and english["pause"] == EN["pause"]
        and english["stop"] == EN["stop"]
    )
    assert english["palette"] == EN["palette"] and english["log"] == EN["log"]
    assert english["behaviour"] == EN["behaviour"] and english["sockets"] == EN["sockets"]
    assert english["status"] == EN["running"]
    assert "round robin" in english["explain"]
    assert page.evaluate("document.documentElement.lang") == "en"
    nodes_before = ed.node_ids()

    assert page.locator("[data-lang=ko]").count() == 1  # one switch for the whole page
    page.click("[data-lang=ko]")
    korean = {
        **texts(page, LABELS),
        **texts(page, NODE_LABELS),
        "explain": explain.inner_text(),
        "title": page.locator("[data-testid=explain-title]").inner_text(),
    }
    assert korean["run"] == KO["restart"]  # still running: Run reads Restart
    for key in (
        "pause",
        "stop",
        "palette",
        "log",
        "frames",
        "problems",
        "presets",
        "behaviour",
        "sockets",
        "faults",
    ):
        assert korean[key] == KO[key], key
    assert korean["status"] == KO["running"]
    assert "라운드 로빈" in korean["explain"] and korean["title"].startswith("파이프라인")
    assert page.evaluate("document.documentElement.lang") == "ko"
    assert page.get_attribute("[data-lang=ko]", "aria-pressed") == "true"
    assert "이벤트" in page.locator("[data-testid=log-count]").text_content()
    # Nothing was reloaded: the same run goes on, the same nodes, the same selection.
    assert page.locator("[data-testid=run-status].st-running").count() == 1
    assert ed.node_ids() == nodes_before
    before = delivered_total(page)
    ed.wait(
        "(n) => Array.from(document.querySelectorAll('g.badge')).reduce((s, g) => s +"
        " Number(g.getAttribute('data-delivered') || 0), 0) > n",
        arg=before,
    )
    # A wiring refusal composed in the page speaks Korean too.
    assert (
        page.evaluate(
            f"import('{STATIC}/js/model/wiring.js').then(w => w.pairReason({{PUB: ['SUB',"
            " 'XSUB']}, 'PUB', 'PULL'))"
        )
        == "PUB의 상대는 SUB 또는 XSUB입니다 (PULL 불가)"
    )

    page.click("[data-lang=en]")
    back = {
        **texts(page, LABELS),
        **texts(page, NODE_LABELS),
        "explain": explain.inner_text(),
        "title": page.locator("[data-testid=explain-title]").inner_text(),
    }
    assert back == english
    assert page.evaluate("document.documentElement.lang") == "en"


def test_pause_label_and_empty_state_follow_the_language(page, ed):
    page.click("[data-lang=ko]")
    assert (
        page.locator("[data-testid=empty-state] h2").inner_text() == "ZeroMQ 토폴로지를 그려 보세요"
    )
    assert page.locator("[data-testid=legend]").get_attribute("aria-label") == "범례"
    assert page.get_attribute("[data-testid=undo]", "title") == "실행 취소 (Ctrl+Z)"
    assert page.locator("[data-testid=inspector-title]").inner_text() == "토폴로지"
    ed.load_preset("pipeline")
    ed.run()
    page.click("[data-testid=pause]")
    page.wait_for_selector("[data-testid=run-status].st-paused", timeout=10000)
    assert page.locator("[data-testid=pause]").inner_text().strip() == "재개"
    assert page.locator("[data-testid=run-status]").inner_text().strip() == "일시정지됨"
    page.click("[data-lang=en]")
    assert page.locator("[data-testid=pause]").inner_text().strip() == "Resume"
    assert page.locator("[data-testid=run-status]").text_content().strip() == "paused"


def test_lang_query_opens_in_korean(fresh):
    pg = fresh("/?lang=ko")
    assert pg.evaluate("document.documentElement.lang") == "ko"
    got = texts(pg, {k: LABELS[k] for k in ("run", "pause", "stop", "palette", "log", "presets")})
    assert got == {k: KO[k] for k in got}
    assert pg.get_attribute("[data-lang=ko]", "aria-pressed") == "true"
    assert pg.locator("[data-testid=problem-count]").inner_text() == "✓ 없음"
    # Opening with ?lang= is not a choice made in this browser: nothing is remembered yet.
    assert pg.evaluate("localStorage.getItem('zpg.lang')") is None


def test_browser_language_decides_when_nothing_else_does(fresh):
    pg = fresh("/", locale="ko-KR")
    assert pg.evaluate("document.documentElement.lang") == "ko"
    assert pg.locator(LABELS["run"]).text_content() == KO["run"]
    pg = fresh("/?lang=en", locale="ko-KR")
    assert pg.locator(LABELS["run"]).text_content() == EN["run"]


def test_choice_persists_across_reload(fresh):
    pg = fresh("/")
    assert pg.locator(LABELS["run"]).text_content() == EN["run"]
    pg.click("[data-lang=ko]")
    assert pg.evaluate("localStorage.getItem('zpg.lang')") == "ko"
    pg.reload()
    pg.wait_for_selector("body.ready")
    assert pg.evaluate("document.documentElement.lang") == "ko"
    assert pg.locator(LABELS["palette"]).text_content() == KO["palette"]
    assert pg.locator(LABELS["log"]).text_content() == KO["log"]
    # ?lang= wins over the remembered choice; switching drops it from the address and remembers.
    pg.goto(pg.url.split("?")[0].split("#")[0] + "?lang=en")
    pg.wait_for_selector("body.ready")
    assert pg.locator(LABELS["run"]).text_content() == EN["run"]
    pg.click("[data-lang=ko]")
    assert "lang=" not in pg.url
    pg.reload()
    pg.wait_for_selector("body.ready")
    assert pg.locator(LABELS["run"]).text_content() == KO["run"]
    pg.click("[data-lang=en]")
    pg.reload()
    pg.wait_for_selector("body.ready")
    assert pg.locator(LABELS["run"]).text_content() == EN["run"]


def _catalogs():
    """static/i18n/<lang>.json: every language's strings, as a translator edits them."""
    return {p.stem: json.loads(p.read_text("utf-8")) for p in (ROOT / "static/i18n").glob("*.json")}


def test_korean_catalog_has_every_english_key_with_the_same_placeholders():
    cats = _catalogs()
    assert sorted(cats) == ["en", "ko"]
    en, ko = cats["en"], cats["ko"]
    assert len(en) > 200
    missing = sorted(set(en) - set(ko))
    assert missing == [], f"keys with no Korean text: {missing}"
    extra = sorted(set(ko) - set(en))
    assert extra == [], f"Korean keys English does not have: {extra}"
    holes = re.compile(r"\{(\w+)\}")
    for key, text in en.items():
        assert isinstance(text, str) and isinstance(ko[key], str), key
        assert ko[key].strip(), key
        assert sorted(holes.findall(ko[key])) == sorted(holes.findall(text)), key


def test_the_module_loads_every_catalog_before_its_importers_run(page):
    # What t() reads is exactly the files, for every language the switch offers.
    loaded = page.evaluate(f"import('{STATIC}/js/i18n.js').then(m => [m.LANGS, m.DICT])")
    assert loaded == [["en", "ko"], _catalogs()]
    # A key missing in Korean falls back to English, then to the key itself.
    fallback = page.evaluate(
        """() => import('STATIC/js/i18n.js').then((m) => {
        m.DICT.en['test.only'] = 'English {x}';
        m.setLang('ko');
        const out = [m.t('test.only', { x: 1 }), m.t('no.such.key'), m.t('run.run')];
        m.setLang('en');
        delete m.DICT.en['test.only'];
        return out;
      })""".replace("STATIC", STATIC)
    )
    assert fallback == ["English 1", "no.such.key", "실행"]


def test_embed_honours_lang_and_leaves_local_storage_alone(fresh):
    from app.links import encode_state  # the same encoder as the page's

    doc = json.loads((ROOT / "app" / "presets" / "reqrep-hello.json").read_text())["topology"]
    pg = fresh("/embed?lang=ko" + encode_state(doc), size=(800, 420))
    assert pg.evaluate("document.documentElement.lang") == "ko"
    assert pg.locator(".embed-play-label").inner_text() == "실시간으로 실행"
    assert pg.locator("[data-testid=embed-open]").inner_text() == "플레이그라운드에서 열기 ↗"
    pg.click("[data-testid=embed-load]")
    pg.wait_for_selector("[data-testid=embed-run]")
    assert pg.locator("[data-testid=embed-stop]").inner_text().strip() == "중지"
    assert pg.evaluate("localStorage.length") == 0
    # The share dialog's Language writes the option; an unknown value is ignored.
    en = fresh("/embed?lang=xx" + encode_state(doc), size=(800, 420))
    assert en.evaluate("document.documentElement.lang") == "en"
    assert en.locator(".embed-play-label").inner_text() == "Run it live"


def test_share_dialog_offers_the_embed_language(page, ed):
    ed.load_preset("reqrep-hello")
    page.click("[data-lang=ko]")
    page.click("[data-testid=share]")
    dlg = page.locator("[data-testid=share-dialog]")
    assert dlg.locator("h2").inner_text() == "이 토폴로지 공유"
    page.select_option("[data-testid=share-embed-lang]", "ko")
    ed.wait("document.querySelector('[data-testid=share-iframe]').value.includes('lang=ko')")
    page.click("[data-testid=share-close]")
    page.click("[data-lang=en]")


def test_not_found_page_follows_lang(fresh, server):
    pg = fresh("/?lang=ko")
    resp = pg.goto(server + "/t/0000000000zz?lang=ko")
    assert resp.status == 404
    h1 = pg.locator("[data-testid=not-found] h1")
    h1.filter(has_text="토폴로지").wait_for(timeout=10000)
    assert h1.inner_text() == "찾을 수 없는 토폴로지입니다"
    assert pg.evaluate("document.documentElement.lang") == "ko"
    assert "/t/" in pg.locator("[data-testid=not-found] code").inner_text()
    pg.problems.clear()  # the 404 response itself is logged as a failed resource


def test_a_preset_loaded_in_korean_gets_its_korean_title(page, ed):
    page.click("[data-lang=ko]")
    ed.load_preset("pipeline")
    assert (
        page.evaluate("window.__playground.store.doc.title") == "파이프라인: 분배기, 워커, 수집기"
    )
    page.click("[data-lang=en]")
    ed.load_preset("pipeline")
    # the same preset is already drawn, so load_preset's node count cannot tell when the second
    # (asynchronous) load has landed: wait for its title
    ed.wait("() => window.__playground.store.doc.title === 'Pipeline: ventilator, workers, sink'")


def test_server_validation_problems_read_in_korean_naming_node_socket_and_option(page, ed):
    """An HWM of 0 typed in the Korean inspector: the server's problem (code + vars) is worded
    from the catalog in Korean wherever it is shown, the names and libzmq's terms as written;
    back in English it is the server's own message."""
    page.click("[data-lang=ko]")
    ed.load_preset("hwm")
    page.locator("[data-testid=node-slowsub] .node-title").click()
    page.fill("[data-testid=field-in-rcvhwm]", "0")
    page.keyboard.press("Tab")
    error = page.locator("[data-testid=field-error]").first
    error.wait_for(timeout=10000)
    korean = (
        "slowsub.in: rcvhwm 0은 libzmq에서 한도가 없다는 뜻인데, 이 서버는 허용하지 않습니다"
        " (1..100000을 쓰세요, 한도 max_hwm)"
    )
    assert error.inner_text() == korean
    problem = page.locator("[data-testid=problems-list] li.problem").first
    assert problem.inner_text().endswith(korean)
    assert "slowsub.in" in problem.inner_text()
    # what the server said: a code and vars beside its English message
    server = page.evaluate(
        "fetch('/api/validate', {method: 'POST', headers: {'Content-Type': 'application/json'},"
        " body: JSON.stringify(window.__playground.store.plain())}).then(r => r.json())"
    )
    (p,) = server["errors"]
    assert p["code"] == "hwm.zero" and p["node"] == "slowsub" and p["socket"] == "in"
    assert p["message"].startswith("slowsub.in: rcvhwm 0 means no limit in libzmq")

    # A problem worded with nested words (a link, socket types) in Korean too.
    page.select_option("[data-testid=socket-type-in]", "PULL")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=problems-list] li.problem')]"
        ".some(li => li.textContent.includes('통신하며'))",
        timeout=10000,
    )
    texts = page.locator("[data-testid=problems-list] li.problem").all_inner_texts()
    pair = next(x for x in texts if "통신하며" in x)
    assert "링크 l1" in pair and "publisher.out" in pair and "PULL" in pair and "PUB" in pair
    assert not any("joins it to" in x or "must be" in x for x in texts), texts

    # English: the server's own words, live on the switch.
    page.click("[data-lang=en]")
    assert page.locator("[data-testid=field-error]").first.inner_text() != korean
    texts = page.locator("[data-testid=problems-list] li.problem").all_inner_texts()
    assert any("rcvhwm 0 means no limit in libzmq" in x for x in texts), texts
