"""The full link: the whole topology, compressed, in the URL fragment.

    #v=1&t=<lz-string compressToEncodedURIComponent(JSON of the topology)>

``v`` is the link format version. Links written before it existed have no ``v`` (version 0,
``#t=...`` as the editor wrote them); ``UPGRADES[n]`` turns a version-n state into n+1, step
by step, so every old link keeps opening. The topology inside carries its own document
``version``, upgraded by app.topology.upgrade. Keep static/js/share/links.js in step.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

from .lzstring import compress_to_uri, decompress_from_uri

LINK_VERSION = 1


def _v0_to_v1(state: dict) -> dict:
    """Version 0 (bare ``#t=``) carried the same payload; it only lacked the version."""
    return {**state, "v": 1}


UPGRADES = {0: _v0_to_v1}


def encode_state(doc: dict) -> str:
    """The fragment (with its ``#``) for ``doc`` in the current link format."""
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    return f"#v={LINK_VERSION}&t={compress_to_uri(text)}"


def _params(fragment: str) -> dict:
    return dict(parse_qsl(fragment.lstrip("#"), keep_blank_values=True))


def decode_state(fragment: str | None) -> dict | None:
    """``{"v", "doc"}`` from a fragment of any known version, or None if it holds none."""
    params = _params(fragment or "")
    if "t" not in params:
        return None
    try:
        version = int(params.get("v", "0"))
    except ValueError:
        return None
    if version > LINK_VERSION or version < 0:
        return None
    # parse_qsl turned "+" into " "; lz-string's decoder maps it back.
    text = decompress_from_uri(params["t"])
    if not text:
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list):
        return None
    state = {"v": version, "doc": doc}
    while state["v"] < LINK_VERSION:
        state = UPGRADES[state["v"]](state)
    return state


def state_from_url(url: str) -> dict | None:
    """The state in a full link (``https://host/#v=1&t=...`` or ``.../embed#...``)."""
    try:
        return decode_state(urlsplit(url).fragment)
    except ValueError:
        return None
