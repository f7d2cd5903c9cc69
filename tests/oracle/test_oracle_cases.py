"""The twelve cases of issue 9, each run by the engine and checked against libzmq's truth (plain
pyzmq with the same sockets, options and sends, or the outside program's own report)."""

import json
import os
import subprocess
import sys
import tempfile

import gevent
import gevent.subprocess
import pytest
from oracle import compare as C
from oracle.engine_side import drive, start
from oracle.harness import both
from oracle.outside import Outside
from oracle.reference import Plan, Reference
from topo import doc, link, node, sock


def invariants(case, view, skip=()):
    """What holds whatever the timing: settled at the end, conserved, counted, in order."""
    return (
        C.settled(case, view)
        + C.conservation(case, view, skip)
        + C.truth_counts(case, view)
        + C.pipe_order(case, view)
    )


# -- 1: arrived, reported dropped ------------------------------------------------------------
@pytest.mark.parametrize("mandatory", [False, True])
def test_case01_router_to_outside_dealer(verdict, mandatory):
    opts = {"expose": True, **({"router_mandatory": True} if mandatory else {})}
    d = doc(
        [
            node(
                "r",
                "source",
                [sock("out", "ROUTER", "bind", **opts)],
                socket="out",
                interval_ms=5,
                count=10,
                frames=["outsider", "m {n}"],
            ),
        ],
        [],
    )
    run, info = start(d)
    run.pause()  # hold the sends until the outside DEALER is connected
    dealer = Outside(info["exposed"]["r.out"], "dealer", rid="outsider", idle=1.0)
    dealer.ready()
    run.resume()
    got = dealer.result()
    view = C.EngineView(drive(run, info), d)
    case = f"case 1 (router_mandatory={mandatory})"
    verdict(C.outside_truth(case, view, "r.out", 10, len(got)) + C.truth_counts(case, view))


# -- 2: inproc + expose ----------------------------------------------------------------------
def test_case02_inproc_with_expose(verdict):
    d = doc(
        [
            node(
                "a",
                "source",
                [sock("out", "PUSH", "connect")],
                socket="out",
                interval_ms=1,
                count=50,
                frames=["a {n}"],
            ),
            node(
                "b",
                "source",
                [sock("out", "PUSH", "connect")],
                socket="out",
                interval_ms=1,
                count=50,
                frames=["b {n}"],
            ),
            node("k", "sink", [sock("in", "PULL", "bind", expose=True)], socket="in"),
        ],
        [link("l1", "a.out", "k.in"), link("l2", "b.out", "k.in")],
        "inproc",
    )
    view, ref = both(d)
    case = "case 2"
    out = invariants(case, view) + C.links_match(case, view, ref)
    outside = view.on_link[("k.in~outside", "k.in")]
    if outside:  # no outside program ran
        out.append(
            f"{case} [link] link k.in~outside -> k.in: engine delivered {outside}; "
            "reference 0 (no outside program connected)"
        )
    verdict(out)


# -- 3: PUB at HWM ---------------------------------------------------------------------------
def _pub_slow_sub(transport, frames, work_ms=50, count=1000):
    return doc(
        [
            node(
                "pub",
                "source",
                [sock("out", "PUB", "bind", sndhwm=10)],
                socket="out",
                interval_ms=0,
                count=count,
                frames=frames,
                start_delay_ms=100,
            ),
            node(
                "sub",
                "worker",
                [sock("in", "SUB", "connect", rcvhwm=10, subscribe=[""])],
                input="in",
                work_ms=work_ms,
            ),
        ],
        [link("l1", "sub.in", "pub.out")],
        transport,
    )


@pytest.mark.parametrize(
    "transport,frames", [("inproc", ["tick {n}"]), ("ipc", ["tick"])], ids=["inproc", "ipc-tick"]
)
def test_case03_pub_at_hwm_slow_sub(verdict, transport, frames):
    d = _pub_slow_sub(transport, frames)
    view, ref = both(d, idle=0.5)
    case = (
        f"case 3 ({transport}, {frames[0]!r}; reference SUB received {len(ref.frames('sub.in'))})"
    )
    out = invariants(case, view) + C.subsequence(case, view, "pub.out", "sub.in")
    verdict(out)


def test_case03_pub_at_hwm_paused_sub_inproc_is_exact(verdict):
    # a paused SUB over inproc: the pipe holds SNDHWM + RCVHWM, so what arrives is exact
    d = _pub_slow_sub("inproc", ["tick {n}"], work_ms=0)
    plan = Plan(pauses={"sub": (0.0, 1.0)})
    view, ref = both(d, plan)
    case = "case 3 (inproc, SUB paused)"
    verdict(
        invariants(case, view)
        + C.sequences_match(case, view, ref, ["sub.in"])
        + C.links_match(case, view, ref)
    )


# -- 4: ROUTER to a known but absent peer ----------------------------------------------------
def _router_dealer(transport, start="ready", count=200, interval=0):
    d = doc(
        [
            node(
                "r",
                "source",
                [sock("out", "ROUTER", "bind")],
                socket="out",
                interval_ms=interval,
                count=count,
                frames=["m {n}"],
            ),
            node("d", "sink", [sock("in", "DEALER", "connect", routing_id="d1")], socket="in"),
        ],
        [link("l1", "d.in", "r.out")],
        transport,
    )
    d["start"] = start
    return d


def test_case04_router_immediate_start_over_tcp(verdict):
    d = _router_dealer("tcp", "immediate")
    view, ref = both(d)
    case = f"case 4 (immediate, tcp; reference DEALER received {len(ref.frames('d.in'))} of 200)"
    verdict(invariants(case, view))


def test_case04_router_to_killed_dealer(verdict):
    d = _router_dealer("ipc", count=100, interval=10)
    view, ref = both(d, Plan(kills={"d": 0.4}))
    case = f"case 4 (DEALER killed; reference DEALER received {len(ref.frames('d.in'))} of 100)"
    verdict(invariants(case, view))


# -- 5: CONFLATE -----------------------------------------------------------------------------
def test_case05_conflate(verdict):
    d = doc(
        [
            node(
                "src",
                "source",
                [sock("out", "PUSH", "bind")],
                socket="out",
                interval_ms=0,
                count=200,
                frames=["msg {n}"],
            ),
            node(
                "w",
                "worker",
                [sock("in", "PULL", "connect", conflate=True)],
                input="in",
                work_ms=100,
            ),
        ],
        [link("l1", "w.in", "src.out")],
    )
    view, ref = both(d, idle=0.5)
    rf = ref.frames("w.in")
    case = f"case 5 (reference PULL received {len(rf)} of 200, last {rf[-1] if rf else None})"
    got = view.received.get("w.in", [])
    out = invariants(case, view)
    if (got[-1] if got else None) != (tuple(rf[-1]) if rf else None):
        out.append(
            f"{case} [newest] w.in: engine last {got[-1] if got else None}; "
            f"reference last {rf[-1] if rf else None}"
        )
    verdict(out)


# -- 6: XPUB over inproc ---------------------------------------------------------------------
def test_case06_xpub_subscriptions_over_inproc(verdict):
    d = doc(
        [
            node(
                "x",
                "source",
                [sock("out", "XPUB", "bind")],
                socket="out",
                interval_ms=5,
                count=20,
                frames=["{topic}", "x {n}"],
                topics=["A", "B"],
                start_delay_ms=200,
            ),
            node("s1", "sink", [sock("in", "SUB", "connect", subscribe=["A"])], socket="in"),
            node("s2", "sink", [sock("in", "SUB", "connect", subscribe=["B"])], socket="in"),
        ],
        [link("l1", "s1.in", "x.out"), link("l2", "s2.in", "x.out")],
        "inproc",
    )
    view, ref = both(d)
    case = "case 6"
    verdict(
        invariants(case, view)
        + C.links_match(case, view, ref)
        + C.sequences_match(case, view, ref, ["s1.in", "s2.in"])
    )


# -- 7: identical bodies ---------------------------------------------------------------------
def _push_to_4(body):
    return doc(
        [
            node(
                "src",
                "source",
                [sock("out", "PUSH", "bind")],
                socket="out",
                interval_ms=0,
                count=8,
                frames=[body],
            )
        ]
        + [node(f"p{i}", "sink", [sock("in", "PULL", "connect")], socket="in") for i in range(4)],
        [link(f"l{i}", f"p{i}.in", "src.out") for i in range(4)],
    )


def test_case07_identical_bodies_round_robin(verdict):
    # libzmq's rule first, on the reference with distinct bodies: each PULL gets every 4th send
    ref = Reference(_push_to_4("m {n}")).run()
    for i in range(4):
        idx = [int(f[0].split()[1]) for f in ref.frames(f"p{i}.in")]
        assert len(idx) == 2 and idx[1] - idx[0] == 4, (i, idx)
    d = _push_to_4("same")
    view, ref = both(d)
    case = "case 7"
    links = [f"l{i}" for i in range(4)]
    verdict(
        invariants(case, view)
        + C.links_match(case, view, ref)
        + C.round_robin(case, view, "src.out", links)
    )


# -- 8: DEALER -> REP without the delimiter --------------------------------------------------
def test_case08_dealer_to_rep_without_delimiter(verdict):
    d = doc(
        [
            node(
                "dl",
                "source",
                [sock("out", "DEALER", "connect")],
                socket="out",
                interval_ms=0,
                count=20,
                frames=["hello {n}"],
            ),
            node("rep", "replier", [sock("in", "REP", "bind")], socket="in"),
        ],
        [link("l1", "dl.out", "rep.in")],
    )
    view, ref = both(d)
    case = f"case 8 (reference REP received {len(ref.frames('rep.in'))})"
    verdict(invariants(case, view) + C.links_match(case, view, ref))


# -- 9: outside peers ------------------------------------------------------------------------
def test_case09_replies_to_an_outside_client(verdict):
    d = doc(
        [
            node(
                "srv",
                "replier",
                [sock("rep", "REP", "bind", expose=True)],
                socket="rep",
                transform="fixed",
                text="World",
            )
        ],
        [],
    )
    run, info = start(d)
    client = Outside(info["exposed"]["srv.rep"], "req", n=10)
    client.ready()
    got = client.result()
    view = C.EngineView(drive(run, info), d)
    case = f"case 9 (outside REQ got {len(got)} replies)"
    verdict(C.outside_truth(case, view, "srv.rep", 10, len(got)) + C.truth_counts(case, view))


# -- 10: killed and restarted SUB ------------------------------------------------------------
def test_case10_sub_killed_and_restarted(verdict):
    d = doc(
        [
            node(
                "pub",
                "source",
                [sock("out", "PUB", "bind")],
                socket="out",
                interval_ms=10,
                count=150,
                frames=["tick {n}"],
                start_delay_ms=100,
            ),
            node("sub", "sink", [sock("in", "SUB", "connect", subscribe=[""])], socket="in"),
        ],
        [link("l1", "sub.in", "pub.out")],
    )
    plan = Plan(kills={"sub": 0.5}, restarts={"sub": 1.0})
    view, ref = both(d, plan)
    case = f"case 10 (reference SUB received {len(ref.frames('sub.in'))} of 150)"
    # 150 messages never fill a 1000 + 1000 pipe: none can be an HWM drop
    verdict(invariants(case, view) + C.hwm_drops_possible(case, view, "l1", 1000))


# -- 11: spoofed X-Node ----------------------------------------------------------------------
def test_case11_spoofed_metadata_from_outside(verdict):
    d = doc(
        [
            node(
                "a",
                "source",
                [sock("out", "PUSH", "connect")],
                socket="out",
                interval_ms=2,
                count=5,
                frames=["real {n}"],
            ),
            node("k", "sink", [sock("in", "PULL", "bind", expose=True)], socket="in"),
        ],
        [link("l1", "a.out", "k.in")],
    )
    run, info = start(d)
    spoof = Outside(info["exposed"]["k.in"], "push", n=5, metadata="X-Node:a.out")
    spoof.ready()
    spoof.result()
    view = C.EngineView(drive(run, info), d)
    case = "case 11"
    out = C.truth_counts(case, view)
    # truth: l1 carried a.out's 5 messages, the outside pseudo-link the program's 5
    for lid, want in (("l1", 5), ("k.in~outside", 5)):
        if view.on_link[(lid, "k.in")] != want:
            out.append(
                f"{case} [link] link {lid} -> k.in: engine delivered "
                f"{view.on_link[(lid, 'k.in')]}; reference {want}"
            )
    spoofed = [f for f in view.received.get("k.in", []) if f[0].startswith(b"spoof")]
    on_l1 = view.on_link[("l1", "k.in")]
    if on_l1 > 5:
        out.append(
            f"{case} [attribution] link l1: engine counts {on_l1} ({len(spoofed)} of them "
            "sent by the outside program); reference 5 (a.out's own)"
        )
    verdict(out)


# -- 12: headless run prints the exposed endpoints -------------------------------------------
def test_case12_headless_run_prints_exposed_endpoints(verdict):
    d = doc(
        [
            node(
                "srv",
                "replier",
                [sock("rep", "REP", "bind", expose=True)],
                socket="rep",
                transform="fixed",
                text="World",
            )
        ],
        [],
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(d, fh)
    try:
        proc = gevent.subprocess.Popen(
            [sys.executable, "-m", "app", "run", fh.name, "--seconds", "4"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        endpoint, seen = None, 0
        with gevent.Timeout(3, False):
            for line in proc.stdout:
                seen += 1
                if "tcp://127.0.0.1:" in line:
                    endpoint = "tcp://" + line.split("tcp://", 1)[1].split('"')[0].strip()
                    break
        out = []
        if endpoint is None:
            out.append(
                f"case 12 [cli] srv.rep: engine printed no exposed endpoint in {seen} "
                "lines within 3 s; reference: bound on tcp://127.0.0.1:<port>, usable"
            )
        else:
            got = Outside(endpoint, "req", n=1).result()
            if got != [["World"]]:
                out.append(f"case 12 [cli] srv.rep: outside REQ got {got}; reference [['World']]")
        proc.communicate(timeout=10)
    finally:
        os.unlink(fh.name)
    verdict(out)
