"""Full links and content ids (app/links): frozen old links open, ids are stable and golden."""

import json

import pytest
from share_helpers import FIXTURES, preset_topology

from app.links import LINK_VERSION, content_id, decode_state, encode_state, is_id, shareable
from app.links.lzstring import compress_to_uri, decompress_from_uri
from app.links.state import state_from_url
from app.topology import prepare

FROZEN = json.loads((FIXTURES / "links.json").read_text())["links"]

# The id of GOLDEN_DOC saved alone. If this changes, every short link ever shared breaks.
GOLDEN_ID = "0sexdwq37dk0"
GOLDEN_DOC = {
    "version": 1,
    "title": "Golden",
    "transport": "ipc",
    "nodes": [
        {
            "id": "src",
            "kind": "source",
            "x": 0,
            "y": 0,
            "sockets": [{"name": "out", "type": "PUSH", "mode": "bind", "options": {}}],
            "behaviour": {"socket": "out", "interval_ms": 250, "frames": ["job {n}"]},
        },
        {
            "id": "snk",
            "kind": "sink",
            "x": 300,
            "y": 0,
            "sockets": [{"name": "in", "type": "PULL", "mode": "connect", "options": {}}],
            "behaviour": {"socket": "in"},
        },
    ],
    "links": [
        {
            "id": "l1",
            "connect": {"node": "snk", "socket": "in"},
            "bind": {"node": "src", "socket": "out"},
        }
    ],
}


@pytest.mark.parametrize("link", FROZEN, ids=[f["name"] for f in FROZEN])
def test_frozen_links_still_open(link):
    state = decode_state(link["hash"])
    assert state is not None, "a frozen link no longer decodes"
    assert state["v"] == LINK_VERSION
    assert state["doc"] == link["doc"]
    _doc, problems = prepare(state["doc"])
    assert problems == [], "a frozen link no longer holds a valid topology"


def test_frozen_links_through_a_whole_url():
    link = FROZEN[0]
    assert state_from_url("https://play.example/" + link["hash"])["doc"] == link["doc"]
    assert (
        state_from_url("https://play.example/embed?theme=dark" + link["hash"])["doc"] == link["doc"]
    )


def test_encode_round_trip_and_version():
    doc = preset_topology("pubsub-weather")
    frag = encode_state(doc)
    assert frag.startswith(f"#v={LINK_VERSION}&t=")
    assert decode_state(frag) == {"v": LINK_VERSION, "doc": doc}


@pytest.mark.parametrize(
    "bad",
    [
        None,
        "",
        "#",
        "#x=1",
        "#t=",
        "#t=garbage!",
        "#v=99&t=AAA",
        "#v=abc&t=AAA",
        "#t=" + compress_to_uri("[1,2]"),
        "#t=" + compress_to_uri("not json"),
    ],
)
def test_bad_fragments_are_none(bad):
    assert decode_state(bad) is None


def test_python_lzstring_matches_the_vendored_javascript():
    # Made with static/vendor/lz-string.mjs (1.5.0) in node.
    assert compress_to_uri("hello hello hello") == "BYUwNmD2AEoTcpA"
    for text in ["", "a", "ünï ☃ 😀 한국어" * 20, json.dumps(GOLDEN_DOC)]:
        assert decompress_from_uri(compress_to_uri(text)) == text or text == ""


def test_golden_id():
    doc, problems = shareable(GOLDEN_DOC)
    assert problems == []
    assert content_id({"topology": doc}) == GOLDEN_ID
    assert is_id(GOLDEN_ID)


def test_same_topology_same_id_whatever_the_spelling():
    a, _ = shareable(GOLDEN_DOC)
    reordered = json.loads(json.dumps(GOLDEN_DOC, sort_keys=True))
    reordered["view"] = {"x": 120, "y": -40, "k": 0.5}  # pan/zoom is not part of the content
    b, _ = shareable(reordered)
    assert content_id({"topology": a}) == content_id({"topology": b})
    edited = json.loads(json.dumps(GOLDEN_DOC))
    edited["nodes"][0]["behaviour"]["interval_ms"] = 251
    c, _ = shareable(edited)
    assert content_id({"topology": c}) != content_id({"topology": a})


def test_comments_are_content_the_pan_and_zoom_are_not():
    a, _ = shareable(GOLDEN_DOC)
    note = [{"id": "c1", "x": 10, "y": 20, "text": "the REQ waits"}]
    b, _ = shareable({**GOLDEN_DOC, "view": {"x": 5, "y": 6, "k": 2, "comments": note}})
    assert b["view"] == {"comments": note}
    assert content_id({"topology": b}) != content_id({"topology": a})
    c, _ = shareable({**GOLDEN_DOC, "view": {"x": 0, "y": 0, "k": 1, "comments": note}})
    assert content_id({"topology": c}) == content_id({"topology": b})
    d, _ = shareable({**GOLDEN_DOC, "view": {"x": 5, "y": 6, "k": 2, "comments": []}})
    assert "view" not in d and content_id({"topology": d}) == content_id({"topology": a})


def test_invalid_topology_is_not_shareable():
    doc, problems = shareable({"version": 1, "nodes": []})
    assert doc is None and problems


def test_ids_are_checked_before_any_lookup():
    for bad in ["", "nope", "../../etc", "A" * 12, "0h7ytmhj3c2", "x" * 60, None, 12]:
        assert not is_id(bad)
