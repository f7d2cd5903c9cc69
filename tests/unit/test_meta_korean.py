"""/api/meta carries Korean beside English for every text a person reads: each socket option's and
behaviour field's label, help, unit and needs, each node kind's name and help; the same
placeholders in both; terms of the trade stay as libzmq writes them."""

import re

from app.topology.kinds_ko import FIELD_KO, KIND_HELP_KO
from app.topology.meta import build_meta
from app.topology.meta_ko import KIND_LABELS_KO, OPTIONS_KO

HANGUL = re.compile("[\uac00-\ud7a3]")
HOLES = re.compile(r"\{(\w+)\}")
TEXTS = ("label", "help", "unit", "needs")
# Kept as libzmq, the zguide or the seed notes write them (a role, a frame name, a unit).
AS_WRITTEN = {"Backend", "Backup", "Capture", "Frontend", "Liveness", "Primary", "ms", "%"}


def _texts_of_meta(meta):
    """(where, spec, text) for each spec of /api/meta that carries texts: kinds, fields, options."""
    for name, kind in meta["kinds"].items():
        yield f"kinds.{name}", kind, kind["text"]
        for fname, spec in kind["fields"].items():
            yield f"kinds.{name}.fields.{fname}", spec, spec["text"]
    for name, spec in meta["options"].items():
        yield f"options.{name}", spec, spec["text"]


def test_every_text_of_meta_has_english_and_korean_with_the_same_placeholders():
    count = 0
    for where, spec, text in _texts_of_meta(build_meta()):
        for key in TEXTS:
            if not spec.get(key):
                assert key not in text, f"{where}.{key}"
                continue
            count += 1
            both = text.get(key)
            assert both, f"{where}.{key}: no Korean for {spec[key]!r}"
            assert both["en"] == spec[key], f"{where}.{key}"
            ko = both["ko"]
            assert isinstance(ko, str) and ko.strip(), f"{where}.{key}: no Korean for {spec[key]!r}"
            assert sorted(HOLES.findall(ko)) == sorted(HOLES.findall(spec[key])), f"{where}.{key}"
    assert count > 300  # kinds (2 each), fields (label, often help, unit, needs), options


def test_helps_and_sentences_are_korean_not_copies():
    for where, spec, text in _texts_of_meta(build_meta()):
        for key in ("help", "needs"):
            if spec.get(key):
                assert HANGUL.search(text[key]["ko"]), f"{where}.{key}: {text[key]['ko']!r}"
        # A behaviour field's or kind's name is Korean unless libzmq or the zguide names it so.
        if not where.startswith("options.") and spec["label"] not in AS_WRITTEN:
            assert HANGUL.search(text["label"]["ko"]), f"{where}.label: {text['label']['ko']!r}"


def test_no_korean_text_is_left_over_from_an_english_text_that_is_gone():
    meta = build_meta()
    used = {spec[k] for _, spec, _ in _texts_of_meta(meta) for k in TEXTS if spec.get(k)}
    assert sorted(set(FIELD_KO) - used) == []
    assert set(KIND_HELP_KO) == set(meta["kinds"]) == set(KIND_LABELS_KO)
    assert set(OPTIONS_KO) == set(meta["options"])


def test_terms_of_the_trade_stay_as_libzmq_writes_them():
    meta = build_meta()
    opts, kinds = meta["options"], meta["kinds"]
    assert "SNDHWM" in opts["sndhwm"]["text"]["label"]["ko"]
    assert "EHOSTUNREACH" in opts["router_mandatory"]["text"]["help"]["ko"]
    assert "EAGAIN" in opts["xpub_nodrop"]["text"]["help"]["ko"]
    assert "EFSM" in kinds["source"]["fields"]["await_reply"]["text"]["help"]["ko"]
    for term in ("DEALER", "READY", "HEARTBEAT", "zguide ppqueue"):
        assert term in kinds["pp_queue"]["text"]["help"]["ko"], term
    assert "MDPC01" in kinds["mdp_client"]["text"]["help"]["ko"]
    assert kinds["worker"]["text"]["help"]["ko"].startswith("입력에서")
    assert kinds["lb_worker"]["fields"]["crash_after"]["text"]["unit"] == {
        "en": "requests",
        "ko": "요청",
    }
