"""Notices (the server telling a page something about its run) in the page's language."""

import re

from support.editor import Editor
from support.robust import pair_doc

from app.web.assets import tree_hash

STATIC = f"/static/{tree_hash()}"  # where the server serves static/ (app/web/assets.py)
# a source sending flat out into a sink: more than RUN_START_RATE (500 messages/s)
FLAT_OUT = pair_doc(interval_ms=0, frames=("x",))


def test_a_notice_from_the_server_is_worded_in_the_pages_language(page, ed, fresh, server):
    """A run that joins another on the worker starts slowly and its page is told (notice
    `starting`): a Korean page words it from its catalog, with the server's figures in it."""
    ed.load_preset("pipeline")
    ed.run()  # the other run on the worker
    ko = fresh("/?lang=ko")
    fragment = ko.evaluate(
        f"async (doc) => (await import('{STATIC}/js/model/urlstate.js')).encodeFragment(doc)",
        FLAT_OUT,
    )
    ko.goto(server + "/?lang=ko" + fragment)
    ko.wait_for_selector("body.ready", timeout=15000)
    Editor(ko).run()
    toast = ko.locator("[data-testid=toast-text]", has_text="RUN_START_RATE")
    toast.wait_for(state="visible", timeout=15000)
    text = toast.inner_text()
    rate = re.search(r"초당 (\d+)개 메시지까지", text)
    assert rate and text.startswith("이 실행은 공유 서버에서"), text
    assert int(rate[1]) >= 500  # the server's figure, in the Korean sentence
    ko.click("[data-testid=stop]")
    page.click("[data-testid=stop]")
