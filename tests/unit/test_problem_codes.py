"""Every validation problem has a stable code whose words are in both catalogs.

app/topology/messages.py holds each code's English; the page words a problem from `err.<code>` in
static/i18n/<lang>.json. en.json holds exactly the server's English (one wording, two places),
ko.json the same holes; every code the validators name is in the table and every code of the
table is named somewhere (no dead words); and a problem's message is its code's English.
"""

import json
import re
from pathlib import Path

import pytest
from topo_helpers import valid_doc

from app.topology import validate
from app.topology.document import parse_json
from app.topology.messages import MESSAGES, render, word

ROOT = Path(__file__).resolve().parents[2]
HOLES = re.compile(r"\{(\w+)\}")
# How the validators name a code: out.add(path, "code", ...), word("code"), nested("code"),
# _problem("code"), code = "code" / code, vars_ = "code", and the value checks' returns.
NAMED = [
    re.compile(r'\.add\(\s*[^,()]+(?:\([^()]*\))?[^,()]*,\s*"([\w.]+)"'),
    re.compile(r'(?:word|nested|_problem)\(\s*"([\w.]+)"'),
    re.compile(r'code(?:, vars_(?:\["got"\])?)? = "([\w.]+)"'),
    re.compile(r'code = "([\w.]+)" if [^\n]* else "([\w.]+)"'),
    re.compile(r'\("", "([\w.]+)"'),
    re.compile(r'return \(?"(value\.\w+)", '),
    re.compile(r'else \("(value\.\w+)", '),
]
# Words that are terms of the trade or holes only: the same in Korean.
SAME = {"w.kind", "w.kinds", "w.typesOne", "w.knownOf"}


def _catalog(lang):
    return json.loads((ROOT / "static" / "i18n" / f"{lang}.json").read_text("utf-8"))


def _named():
    found = set()
    for path in sorted((ROOT / "app" / "topology").rglob("*.py")):
        if path.name == "messages.py":
            continue
        text = path.read_text("utf-8")
        for pattern in NAMED:
            for m in pattern.finditer(text):
                found.update(g for g in m.groups() if g)
    return found


def test_every_code_has_its_words_in_english_and_korean():
    en, ko = _catalog("en"), _catalog("ko")
    for code, english in MESSAGES.items():
        key = f"err.{code}"
        assert en.get(key) == english, key  # the page's English is the server's
        assert key in ko and (ko[key] != english or code in SAME), key
        assert sorted(HOLES.findall(ko[key])) == sorted(HOLES.findall(english)), key
    stale = {k for k in {**en, **ko} if k.startswith("err.") and k[4:] not in MESSAGES}
    assert stale == set()


def test_every_code_the_validators_name_is_in_the_table_and_each_is_named():
    named = _named()
    assert len(named) > 60  # the scan reads the real modules
    assert named - set(MESSAGES) == set()
    assert set(MESSAGES) - named == set()


def test_korean_keeps_names_and_libzmq_terms_as_written():
    ko = _catalog("ko")
    for term in ("SNDHWM", "sndhwm", "ROUTER_MANDATORY", "max_hwm", "bind", "connect"):
        for code, english in MESSAGES.items():
            word_ = rf"(?<![A-Za-z_]){term}(?![A-Za-z_])"
            if re.search(word_, english) and f"'{term}'" not in english:
                assert re.search(word_, ko[f"err.{code}"]), (code, term)


def _broken():
    """Documents each with one kind of problem, as a person (or a script) writes them."""
    hwm0 = valid_doc()
    hwm0["nodes"][1]["sockets"][0]["options"] = {"rcvhwm": 0}
    typo = valid_doc()
    typo["nodes"][0]["sockets"][0]["options"] = {"sndhmw": 5}
    pair = valid_doc()
    pair["nodes"][1]["sockets"][0]["type"] = "PUB"
    return {"hwm0": hwm0, "typo": typo, "pair": pair}


@pytest.mark.parametrize("name", sorted(_broken()))
def test_a_problem_is_its_codes_english_with_its_vars(name):
    problems = validate(_broken()[name])
    assert problems
    for p in problems:
        assert p["message"] == render(p["code"], p["vars"])
        json.dumps(p["vars"])


def test_nested_words_and_names_as_written():
    (p,) = validate(_broken()["hwm0"])
    assert p["code"] == "hwm.zero" and p["node"] == "w1" and p["socket"] == "in"
    assert p["vars"] == {"subject": "w1.in", "option": "rcvhwm", "max": 100000}
    assert p["message"].startswith("w1.in: rcvhwm 0 means no limit in libzmq")
    (p,) = validate(_broken()["typo"])
    assert p["code"] == "unknown" and p["vars"]["hint"] == word("w.didYouMean", guess="'sndhwm'")
    assert p["message"].endswith("unknown option 'sndhmw' (did you mean 'sndhwm'?)")
    _, (p,) = parse_json("{")
    assert p["code"] == "json.syntax" and p["vars"]["line"] == 1
