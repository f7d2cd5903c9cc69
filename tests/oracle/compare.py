"""The comparison layer: the engine's events and stats read against libzmq's truth.

Everything that knows the engine's wording (event names, stats fields) is in the first section,
so a change of vocabulary (new states such as "unknown" or "proven") is adapted here and nowhere
else. Each check returns findings: one line each, naming the case, the check, the link or socket
and both figures ("case 3 [settled] link l1: engine dropped 0 queued 980; reference SUB
received 21"). A test asserts that its list is empty.

Over 400 lines on purpose: this is the one module that knows the engine's vocabulary, so every
check that reads it lives here.
"""

from __future__ import annotations

from collections import Counter, defaultdict

# -- the engine's wording (adapt here) --------------------------------------------------------
# docs/protocol.md, "Three kinds of knowledge". Stats fields that count messages neither
# delivered, dropped nor filtered: ``queued`` (exact: in a lossless pipe), ``unresolved`` (unknown,
# with ``why``: in a pipe or dropped, libzmq does not say), and at the run's end ``undelivered``
# (what was unresolved, ``why: "run-stopped"``). ``queued: null`` is a depth the engine does not
# know. Older engines used other names for the same claim: any of them at the end is a finding.
NOT_ARRIVED = ("queued", "unresolved", "undelivered")
OLD_NAMES = ("unknown", "in_flight", "pending")
# unresolved that no end of the run resolves: receipts libzmq did not attribute to a link (inproc,
# several peers) are delivered somewhere, not lost, and stay unresolved with this why
STAYS_UNRESOLVED = ("unattributed",)
OUTSIDE_MARK = "~outside"  # the pseudo-link of an exposed socket's outside peers
OUTSIDE_FROM = "outside"
NEVER_RECEIVE = ("PUB",)  # socket types that never call recv: nothing can wait for them
PROVEN_PAIRINGS = ("fifo", "unique", None)  # None: an event with no pairing claims it is the send


def _proven_pairing(e) -> bool:
    return e.get("pairing") in PROVEN_PAIRINGS


def _delivered(events):
    return [e for e in events if e["ev"] == "delivered" and e.get("kind") != "subscription"]


def _subscriptions(events):
    return [e for e in events if e["ev"] == "delivered" and e.get("kind") == "subscription"]


def _dropped(events):
    return [e for e in events if e["ev"] == "dropped"]


def _filtered(events):
    return [e for e in events if e["ev"] == "filtered"]


def _sent(events):
    return [e for e in events if e["ev"] == "sent"]


def _frames(e) -> tuple:
    """Frames of an event as bytes (JSON strings, or {"hex": ...} for binary)."""
    out = []
    for f in e.get("frames") or ():
        out.append(bytes.fromhex(f["hex"]) if isinstance(f, dict) else f.encode())
    return tuple(out)


def _key(e, end: str) -> str | None:
    return e.get(end)


# -- a view of one engine run ---------------------------------------------------------------
class EngineView:
    """Per link and direction, per socket: what the engine said, from its events and stats."""

    def __init__(self, result, doc):
        ev = result.events
        self.types = {
            f"{n['id']}.{s['name']}": s["type"] for n in doc["nodes"] for s in n["sockets"]
        }
        self.result = result
        self.final_links = result.final.get("links", {})
        self.final_socks = result.final.get("sockets", {})
        self.send_index: dict = {}  # msg id -> (socket key, 1-based index of that socket's sends)
        per_sock = Counter()
        for e in _sent(ev):
            k = f"{e['node']}.{e['socket']}"
            per_sock[k] += 1
            self.send_index[e["msg"]] = (k, per_sock[k])
        self.received = defaultdict(list)  # socket -> [frames] in order (subscriptions too)
        self.on_link = Counter()  # (link, to) -> delivered
        self.msgs_on = defaultdict(list)  # (link, from) -> [msg ids] in arrival order, proven
        self.unproven_on = defaultdict(list)  # (link, from) -> [candidate msg ids] per receipt
        self.from_sock = Counter()  # from -> delivered
        for e in _delivered(ev) + _subscriptions(ev):
            self.received[e["to"]].append(_frames(e))
            self.on_link[(e["link"], e["to"])] += 1
        for e in _delivered(ev):
            if e.get("link") is None:
                continue  # unattributed (inproc, several peers): no sender is claimed
            self.from_sock[e["from"]] += 1
            if _proven_pairing(e):
                self.msgs_on[(e["link"], e["from"])].append(e["msg"])
            else:
                self.unproven_on[(e["link"], e["from"])].append(e.get("candidates") or [])
        # a dropped event may stand for several (``count``); msg is null when not proven
        self.dropped_from = Counter()
        self.dropped_on = Counter()
        for e in _dropped(ev):
            self.dropped_from[e["from"]] += e.get("count", 1)
            self.dropped_on[(e["link"], e.get("to"))] += e.get("count", 1)
        self.drop_reasons = Counter((e["link"], e.get("reason")) for e in _dropped(ev))
        self.filtered_from = Counter(e["from"] for e in _filtered(ev))
        self.filtered_on = Counter((e["link"], e["to"]) for e in _filtered(ev))

    def link_stat(self, link: str) -> dict:
        return self.final_links.get(link, {})

    def sock_stat(self, key: str) -> dict:
        return self.final_socks.get(key, {})

    def summary(self, link: str) -> str:
        """'delivered 20 dropped 0 queued 980' from the final stats of ``link``."""
        st = self.link_stat(link)
        return " ".join(f"{k} {v}" for k, v in st.items()) or "no stats"


def _f(case, check, where, engine, reference) -> str:
    return f"{case} [{check}] {where}: engine {engine}; reference {reference}"


# -- checks ---------------------------------------------------------------------------------
def settled(case: str, view: EngineView) -> list[str]:
    """The final account (the last ``stats``, ``final: true``) leaves nothing open without a
    reason: no ``unresolved`` (the end of the run resolves it as ``undelivered``, unless libzmq
    can never say), every ``undelivered`` with its ``why``, no ``queued: null`` (unknown, no why),
    no old catch-all field. ``queued`` is exact or absent: after quiescence every receiver has
    drained its pipes, so it is 0; and nothing can queue for a socket that never receives."""
    out = []
    if not view.result.final.get("final"):
        out.append(_f(case, "settled", "stats", "the last is not final", "final: true"))
    items = [("link", lid, st) for lid, st in view.final_links.items()]
    items += [("socket", key, st) for key, st in view.final_socks.items()]
    for what, name, st in items:
        if OUTSIDE_MARK in name:
            continue
        where, figs = f"{what} {name}", _figs(st)
        for k in OLD_NAMES:
            if st.get(k):
                out.append(_f(case, "settled", where, figs, f"{k} 0 (no such claim)"))
        if st.get("unresolved") and st.get("why") not in STAYS_UNRESOLVED:
            out.append(_f(case, "settled", where, figs, "unresolved resolved at the end"))
        if st.get("undelivered") and not st.get("why"):
            out.append(_f(case, "settled", where, figs, "undelivered with its why"))
        if "queued" in st and st["queued"] is None:
            out.append(_f(case, "settled", where, figs, "queued exact or absent, not null"))
        elif st.get("queued"):
            if view.result.settled:
                out.append(_f(case, "settled", where, figs, "queued 0 after quiescence"))
            elif what == "socket" and _never_receive(view, name):
                out.append(
                    _f(case, "settled", where, figs, "queued 0: no peer of it ever receives")
                )
    return out


def _figs(st: dict) -> str:
    return " ".join(f"{k} {v}" for k, v in st.items())


def _never_receive(view: EngineView, key: str) -> bool:
    peers = [_peer(view, lid, key) for lid in _links_of(view, key)]
    return bool(peers) and all(view.types.get(p) in NEVER_RECEIVE for p in peers)


def _talks_outside(view: EngineView, key: str) -> bool:
    return any(lid.startswith(key + OUTSIDE_MARK) for lid in view.final_links)


def _open(st: dict) -> int:
    """Messages of a socket or link the final account leaves neither delivered nor gone."""
    return sum(st.get(k) or 0 for k in NOT_ARRIVED)


def conservation(case: str, view: EngineView, skip=()) -> list[str]:
    """Every message a socket sent is accounted for exactly once: sent = delivered + dropped +
    filtered + queued / undelivered (with why) + outside. Fan-out: per link, from its stats; the
    drop events never claim more than the stats. Point-to-point: per socket, its delivered events
    (as the sender) and its stats. An XSUB's sends are subscriptions for every publisher (a PUB
    applies them and never receives): not point-to-point, not conserved per socket."""
    out = []
    for key, st in view.final_socks.items():
        sent = st.get("sent", 0)
        if not sent or key in skip or view.types.get(key) == "XSUB":
            continue
        if view.types.get(key) in ("PUB", "XPUB"):
            for lid in sorted(_links_of(view, key)):
                to = _peer(view, lid, key)
                lst = view.link_stat(lid)
                d, fi = view.on_link[(lid, to)], lst.get("filtered", 0)
                dr, rest = lst.get("dropped", 0), _open(lst)
                if d + dr + fi + rest != sent:
                    out.append(
                        _f(
                            case,
                            "conservation",
                            f"link {lid} ({key} -> {to})",
                            f"sent {sent} = delivered {d} + dropped {dr} + filtered {fi}"
                            f" + not arrived {rest} ({view.summary(lid)})",
                            f"sent {sent} = delivered + dropped + filtered + undelivered",
                        )
                    )
                if view.dropped_on[(lid, to)] > dr:
                    out.append(
                        _f(
                            case,
                            "conservation",
                            f"link {lid}",
                            f"dropped events {view.dropped_on[(lid, to)]}",
                            f"at most the stats' dropped {dr}",
                        )
                    )
            continue
        d, dr = view.from_sock[key], st.get("dropped", 0)
        outside, rest = st.get("outside", 0), _open(st)
        if d + dr + outside + rest != sent:
            out.append(
                _f(
                    case,
                    "conservation",
                    f"socket {key}",
                    f"sent {sent} = delivered {d} + dropped {dr} + outside {outside} + not "
                    f"arrived {rest} ({d + dr + outside + rest - sent:+d}; {_figs(st)})",
                    f"sent {sent} = delivered + dropped + outside + queued/undelivered",
                )
            )
        if view.dropped_from[key] > dr:
            out.append(
                _f(
                    case,
                    "conservation",
                    f"socket {key}",
                    f"dropped events {view.dropped_from[key]}",
                    f"at most the stats' dropped {dr}",
                )
            )
    return out


def _links_of(view, key) -> set:
    links = view.result.info["links"]
    return {lid for lid, lk in links.items() if key in (lk["connect"], lk["bind"])}


def _peer(view, lid, key) -> str:
    lk = view.result.info["links"][lid]
    return lk["bind"] if lk["connect"] == key else lk["connect"]


def truth_counts(case: str, view: EngineView) -> list[str]:
    """The engine's per-link delivered equals what the receiving sockets really received: the
    events into a socket add up to its received counter, a link's events to its stats."""
    out = []
    for key, st in view.final_socks.items():
        got = len(view.received.get(key, ()))
        if st.get("received", 0) != got:
            out.append(
                _f(
                    case,
                    "truth",
                    f"socket {key}",
                    f"delivered events {got}",
                    f"received {st.get('received', 0)} (recv calls)",
                )
            )
    for lid, st in view.final_links.items():
        n = sum(c for (lk, _to), c in view.on_link.items() if lk == lid)
        if st.get("delivered", 0) != n:
            out.append(
                _f(case, "truth", f"link {lid}", f"stats delivered {st['delivered']}", f"{n}")
            )
    return out


def pipe_order(case: str, view: EngineView) -> list[str]:
    """Messages travel one pipe in order: on each link, the sends a sender's receipts are proven
    to be (pairing fifo / unique) only increase, and each is a send of that sender."""
    out = []
    for (lid, frm), mids in view.msgs_on.items():
        if any(m not in view.send_index for m in mids):
            continue  # an outside program's messages: their sends are not the engine's to order
        wrong = [m for m in mids if view.send_index[m][0] != frm]
        if wrong:
            out.append(
                _f(case, "order", f"link {lid} from {frm}", f"msg {wrong[0]}", "a send of it")
            )
        idx = [view.send_index[m][1] for m in mids]
        bad = [(a, b) for a, b in zip(idx, idx[1:], strict=False) if b <= a]
        if bad:
            out.append(
                _f(
                    case,
                    "order",
                    f"link {lid} from {frm}",
                    f"send #{bad[0][1]} after #{bad[0][0]}",
                    "FIFO per pipe",
                )
            )
    return out


def links_match(case: str, view: EngineView, ref, links=None) -> list[str]:
    """Per link and direction, the engine's delivered count equals what libzmq delivered."""
    out = []
    for lid, (c, b) in ref.links.items():
        if links is not None and lid not in links:
            continue
        for to in (c, b):
            if ref.unattributed(to):
                continue
            r, e = ref.delivered(lid, to), view.on_link[(lid, to)]
            if r != e:
                out.append(
                    _f(
                        case,
                        "link",
                        f"link {lid} -> {to}",
                        f"delivered {e} ({view.summary(lid)})",
                        f"{to} received {r}",
                    )
                )
    return out


def sequences_match(case: str, view: EngineView, ref, keys, symmetric=False) -> list[str]:
    """Each receiving socket got exactly the reference's frames in the reference's order;
    ``symmetric``: receivers whose order among themselves is timing (which PULL is first in a
    PUSH's round-robin) are compared as a multiset of sequences."""
    out = []
    if symmetric:
        e = sorted(tuple(view.received.get(k, ())) for k in keys)
        r = sorted(tuple(tuple(f) for f in ref.frames(k)) for k in keys)
        if e != r:
            out.append(
                _f(case, "sequence", "+".join(keys), _lens(e), _lens(r) + " (as a multiset)")
            )
        return out
    for k in keys:
        e = list(view.received.get(k, ()))
        r = [tuple(f) for f in ref.frames(k)]
        if e != r:
            first = next((i for i, (a, b) in enumerate(zip(e, r, strict=False)) if a != b), None)
            at = f", first difference at #{first + 1}" if first is not None else ""
            out.append(_f(case, "sequence", f"socket {k}", f"received {len(e)}{at}", f"{len(r)}"))
    return out


def _lens(seqs) -> str:
    return "received " + "/".join(str(len(s)) for s in seqs)


def subsequence(case: str, view: EngineView, sender: str, receiver: str) -> list[str]:
    """What a receiver got is the sender's messages in send order, some left out (PUB drops)."""
    sent = [tuple(f) for f in _sent_frames(view, sender)]
    got = [f for f in view.received.get(receiver, ())]
    it = iter(sent)
    if all(any(g == s for s in it) for g in got):
        return []
    return [
        _f(
            case,
            "subsequence",
            f"{sender} -> {receiver}",
            f"received {len(got)} out of order",
            "a subsequence of the sends",
        )
    ]


def _sent_frames(view, key):
    return [_frames(e) for e in _sent(view.result.events) if f"{e['node']}.{e['socket']}" == key]


def round_robin(case: str, view: EngineView, sender: str, links: list[str]) -> list[str]:
    """Once every peer is connected, link k of an N-peer distributor carries every Nth send: the
    sends its receipts are proven to be (fifo / unique) share one residue mod N, and a receipt
    whose pairing is unproven lists the sends it may be, one of them of that residue."""
    out = []
    n = len(links)
    for lid in links:
        idx = sorted(view.send_index[m][1] for m in view.msgs_on.get((lid, sender), ()))
        res = {i % n for i in idx}
        if len(res) > 1:
            out.append(
                _f(
                    case,
                    "round-robin",
                    f"link {lid}",
                    f"send #{idx} on one link",
                    f"every {n}th send of {sender}",
                )
            )
        for cands in view.unproven_on.get((lid, sender), ()):
            ci = {view.send_index[m][1] for m in cands if m in view.send_index}
            fits = {i for i in ci if not res or i % n in res}
            if not fits:
                out.append(
                    _f(
                        case,
                        "round-robin",
                        f"link {lid}",
                        f"unproven receipt, candidates #{sorted(ci)}",
                        f"one of them a send this link can carry (residue {sorted(res)} mod {n})",
                    )
                )
    return out


def hwm_drops_possible(case: str, view: EngineView, link: str, on_link_max: int) -> list[str]:
    """No message can be dropped at the HWM on a link that never held ``on_link_max``."""
    n = view.drop_reasons[(link, "hwm")]
    if n:
        return [
            _f(
                case,
                "hwm-reason",
                f"link {link}",
                f"{n} dropped for 'hwm'",
                f"the queue never held its HWM ({on_link_max}), 0 hwm drops",
            )
        ]
    return []


def outside_truth(case: str, view: EngineView, key: str, sent: int, arrived: int) -> list[str]:
    """Messages an outside program really got were not dropped, and are not left queued or
    undelivered: the engine may say delivered or "sent to outside, not observable", never lost
    or waiting."""
    out = []
    st = view.sock_stat(key)
    lost = max(view.dropped_from[key], st.get("dropped", 0))
    claims = {"dropped": lost, **{k: st[k] for k in NOT_ARRIVED if st.get(k)}}
    for k in OLD_NAMES:
        if isinstance(st.get(k), int) and st[k] > 0:
            claims[k] = st[k]
    if sum(claims.values()) > sent - arrived:
        out.append(
            _f(
                case,
                "outside",
                f"socket {key}",
                " + ".join(f"{k} {v}" for k, v in claims.items()) + " at the end",
                f"outside program received {arrived} of {sent}, {sent - arrived} did not arrive",
            )
        )
    return out


def groups_match(case: str, view: EngineView, ref, doc: dict) -> list[str]:
    """Receivers fed only by point-to-point senders (no drops at the HWM), grouped by the set of
    sockets that feed them: each group received the same multiset of messages as in libzmq.
    Which member of a group got which message is timing (who connected first), what the group
    got is not."""
    types = view.types
    feeders: dict = defaultdict(set)
    for c, b in ref.links.values():
        feeders[c].add(b)
        feeders[b].add(c)
    groups: dict = defaultdict(list)
    for key, peers in feeders.items():
        if any(types.get(p) in ("PUB", "XPUB") for p in peers) or types.get(key) in ("XPUB",):
            continue
        groups[frozenset(peers)].append(key)
    out = []
    for peers, keys in groups.items():
        e = sorted(f for k in keys for f in view.received.get(k, ()))
        r = sorted(tuple(f) for k in keys for f in ref.frames(k))
        if e != r:
            where = "+".join(sorted(keys)) + " fed by " + "+".join(sorted(peers))
            out.append(_f(case, "group", where, f"received {len(e)}", f"received {len(r)}"))
    return out
