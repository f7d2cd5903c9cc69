"""The socket-type tables and pair_error(), checked against docs/topology.md."""

import re

import pytest
from topo_helpers import doc_section

from app.topology import CAN_RECEIVE, CAN_SEND, PAIRS, SOCKET_TYPES, pair_error


def test_eleven_types_all_in_the_table():
    assert len(SOCKET_TYPES) == 11 and set(PAIRS) == set(SOCKET_TYPES)


def test_pair_table_is_symmetric():
    for a, peers in PAIRS.items():
        for b in peers:
            assert a in PAIRS[b], f"{a} lists {b} but {b} does not list {a}"


def test_pair_table_matches_docs():
    documented = {}
    for line in doc_section("Compatible pairs"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] in SOCKET_TYPES:
            documented[cells[0]] = set(re.findall(r"\b[A-Z]+\b", cells[1])) & set(SOCKET_TYPES)
    assert documented == {t: set(p) for t, p in PAIRS.items()}


def test_pair_error_none_for_every_compatible_pair():
    for a, peers in PAIRS.items():
        for b in peers:
            assert pair_error(a, b) is None


@pytest.mark.parametrize(
    "c, b, message",
    [
        ("PUB", "PULL", "PUB talks to SUB or XSUB, not PULL"),
        ("PULL", "PUB", "PULL talks only to PUSH, not PUB"),
        ("REQ", "REQ", "REQ talks to REP or ROUTER, not REQ"),
        ("DEALER", "PUB", "DEALER talks to ROUTER, REP or DEALER, not PUB"),
        ("PAIR", "PUSH", "PAIR talks only to PAIR, not PUSH"),
        ("FOO", "PUSH", "unknown socket type 'FOO'"),
        (["x"], "PUSH", "unknown socket type ['x']"),
    ],
)
def test_pair_error_messages(c, b, message):
    assert pair_error(c, b) == message


def test_every_incompatible_pair_has_an_error_naming_both():
    for a in SOCKET_TYPES:
        for b in SOCKET_TYPES:
            if b not in PAIRS[a]:
                err = pair_error(a, b)
                assert err.startswith(f"{a} talks ") and err.endswith(f", not {b}")


def test_send_and_receive_sets():
    assert set(SOCKET_TYPES) - set(CAN_SEND) == {"SUB", "PULL"}
    assert set(SOCKET_TYPES) - set(CAN_RECEIVE) == {"PUB", "PUSH"}
