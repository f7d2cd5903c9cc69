"""/api/meta carries Korean beside English for every socket option (label and help) and every
node kind's name; terms of the trade stay as libzmq writes them."""

import re

from app.topology.meta import build_meta

HANGUL = re.compile("[\uac00-\ud7a3]")


def test_every_option_has_korean_label_and_help():
    meta = build_meta()
    for name, spec in meta["options"].items():
        text = spec["text"]
        assert text["label"]["en"] == spec["label"], name
        assert text["label"]["ko"], name
        assert text["help"]["en"] == spec["help"] and HANGUL.search(text["help"]["ko"]), name


def test_every_kind_has_a_korean_name():
    meta = build_meta()
    for name, spec in meta["kinds"].items():
        assert spec["text"]["label"]["en"] == spec["label"], name
        assert spec["text"]["label"]["ko"], name


def test_terms_of_the_trade_stay_as_libzmq_writes_them():
    opts = build_meta()["options"]
    assert "SNDHWM" in opts["sndhwm"]["text"]["label"]["ko"]
    assert "EHOSTUNREACH" in opts["router_mandatory"]["text"]["help"]["ko"]
    assert "EAGAIN" in opts["xpub_nodrop"]["text"]["help"]["ko"]
