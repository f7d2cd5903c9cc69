"""ZeroMQ socket types, which pairs can talk (RFC 28-31), and which types send or receive."""

from .messages import text
from .messages import word as nested

SOCKET_TYPES = (
    "REQ",
    "REP",
    "DEALER",
    "ROUTER",
    "PUB",
    "SUB",
    "XPUB",
    "XSUB",
    "PUSH",
    "PULL",
    "PAIR",
)

MODES = ("bind", "connect")

# type -> the peer types libzmq accepts in the handshake (docs/topology.md, "Compatible pairs").
PAIRS = {
    "REQ": ("REP", "ROUTER"),
    "REP": ("REQ", "DEALER"),
    "DEALER": ("ROUTER", "REP", "DEALER"),
    "ROUTER": ("DEALER", "REQ", "ROUTER"),
    "PUB": ("SUB", "XSUB"),
    "SUB": ("PUB", "XPUB"),
    "XPUB": ("SUB", "XSUB"),
    "XSUB": ("PUB", "XPUB"),
    "PUSH": ("PULL",),
    "PULL": ("PUSH",),
    "PAIR": ("PAIR",),
}

# Types with exactly one peer: a second link is an error.
SINGLE_PEER = ("PAIR",)

# send() raises ENOTSUP on SUB and PULL; recv() on PUB and PUSH.
CAN_SEND = tuple(t for t in SOCKET_TYPES if t not in ("SUB", "PULL"))
CAN_RECEIVE = tuple(t for t in SOCKET_TYPES if t not in ("PUB", "PUSH"))


def types_word(types, word="or"):
    """'REP', 'REP or ROUTER', 'ROUTER, REP or DEALER'; long lists as 'any type except X and Y',
    as a nested var of a problem (messages.py), worded on the page."""
    types = list(types)
    others = [t for t in SOCKET_TYPES if t not in types]
    if len(types) > 5 and others:
        return nested("w.typesExcept", types=types_word(others, "and"))
    if len(types) == 1:
        return nested("w.typesOne", a=types[0])
    code = "w.typesAnd" if word == "and" else "w.typesOr"
    return nested(code, list=", ".join(types[:-1]), last=types[-1])


def pair_error(connect_type, bind_type):
    """None when the two types can talk, else why not, e.g. 'PUB talks to SUB or XSUB, not PULL'.

    The sentence is told from the connecting socket's side ("PULL talks only to PUSH, not PUB"),
    which reads the same whichever type the user dragged from.
    """
    why = pair_problem(connect_type, bind_type)
    return text(why) if why else None


def pair_problem(connect_type, bind_type):
    """pair_error() as a nested var of a problem (messages.py), or None."""
    for t in (connect_type, bind_type):
        if not isinstance(t, str) or t not in PAIRS:
            return nested("w.unknownType", got=repr(t))
    peers = PAIRS[connect_type]
    if bind_type in peers:
        return None
    if len(peers) == 1:
        return nested("w.talksOnly", a=connect_type, peer=peers[0], b=bind_type)
    return nested("w.talks", a=connect_type, types=types_word(peers), b=bind_type)
