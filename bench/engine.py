"""(1) Engine throughput in counting mode vs raw blocking pyzmq, PUSH → PULL, same process shape.

Each measurement runs in a fresh process (``python -m bench.engine MODE TRANSPORT N``):

- ``raw``      blocking pyzmq, the sender in a thread, the receiver in the main thread
               (``send``/``recv`` of one 32-byte frame): the limit on this machine
- ``green``    the engine's green wrapper alone (app/engine/greensock.py): two greenlets, no
               bookkeeping, to split the wrapper's cost from the engine's
- ``engine``   a real run, ``Run(doc, trace_rate=0)``: a source (interval 0, count N, one static
               32-byte frame) into a sink; timed from start() to the sink's N-th receipt; the
               run's counters must be exact (N sent, N received, N delivered on the link)

``python -m bench.engine profile TRANSPORT N`` prints the engine's cProfile instead.
"""

from __future__ import annotations

import json
import sys
import time

from .common import median, push_pull, report, run_worker

SIZE = 32


def _endpoints(ctx, transport):
    import zmq

    pull = ctx.socket(zmq.PULL)
    push = ctx.socket(zmq.PUSH)
    if transport == "inproc":
        pull.bind("inproc://bench")
        ep = "inproc://bench"
    elif transport == "ipc":
        import tempfile

        ep = f"ipc://{tempfile.mkdtemp(prefix='zpg-bench-')}/s"
        pull.bind(ep)
    else:
        pull.bind("tcp://127.0.0.1:*")
        ep = pull.getsockopt_string(zmq.LAST_ENDPOINT)
    push.connect(ep)
    return push, pull


def raw(transport, n):
    import threading

    import zmq

    ctx = zmq.Context()
    push, pull = _endpoints(ctx, transport)
    msg = b"x" * SIZE
    push.send(msg)
    pull.recv()  # connected

    def sender():
        for _ in range(n):
            push.send(msg)

    t = threading.Thread(target=sender)
    t0 = time.perf_counter()
    t.start()
    for _ in range(n):
        pull.recv()
    dt = time.perf_counter() - t0
    t.join()
    ctx.destroy(linger=0)
    return {"rate": n / dt, "received": n}


def green(transport, n):
    import gevent
    import zmq

    from app.engine.greensock import GreenSocket

    ctx = zmq.Context()
    push, pull = _endpoints(ctx, transport)
    gpush, gpull = GreenSocket(push), GreenSocket(pull)
    msg = [b"x" * SIZE]
    gpush.send_multipart(msg)
    gpull.recv_multipart()
    got = [0]

    def sender():
        for i in range(n):
            gpush.send_multipart(msg)
            if i % 256 == 0:
                gevent.sleep(0)

    def receiver():
        for _ in range(n):
            gpull.recv_multipart()
            got[0] += 1

    t0 = time.perf_counter()
    gevent.joinall([gevent.spawn(sender), gevent.spawn(receiver)])
    dt = time.perf_counter() - t0
    gpush.close()
    gpull.close()
    ctx.destroy(linger=0)
    return {"rate": n / dt, "received": got[0]}


def engine(transport, n):
    import gevent

    from app.engine.run import Run
    from app.topology import prepare

    doc, problems = prepare(push_pull(transport, count=n))
    assert not problems, problems
    run = Run(doc, trace_rate=0)
    run.start()
    t0 = time.perf_counter()
    sink = run.socks["dst.i"]
    while sink.received < n:
        gevent.sleep(0.002)
    dt = time.perf_counter() - t0
    totals = run.totals()
    run.stop()
    sent = totals["sockets"]["src.o"]["sent"]
    received = totals["sockets"]["dst.i"]["received"]
    delivered = totals["links"]["l1"]["delivered"]
    return {"rate": n / dt, "received": received, "exact": sent == received == delivered == n}


def profile(transport, n):
    import cProfile
    import io
    import pstats

    pr = cProfile.Profile()
    pr.enable()
    out = engine(transport, n)
    pr.disable()
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("tottime").print_stats(25)
    print(buf.getvalue())
    return out


MODES = {"raw": raw, "green": green, "engine": engine, "profile": profile}


def bench(quick: bool = False) -> None:
    """Medians of fresh-process measurements; ratio engine/raw per transport."""
    n = 100_000 if quick else 300_000
    repeats = 3 if quick else 5
    print(
        f"(1) engine throughput, PUSH→PULL, {SIZE}-byte messages, {n:,} per measurement, "
        f"median of {repeats} fresh processes",
        flush=True,
    )
    for transport in ("inproc", "ipc", "tcp"):
        rates = {m: [] for m in ("raw", "green", "engine")}
        exact = True
        for _ in range(repeats):
            for mode in rates:  # interleaved, so a noisy moment hits every mode alike
                out = run_worker("bench.engine", mode, transport, n)
                rates[mode].append(out["rate"])
                if mode == "engine":
                    exact = exact and out["exact"]
        raw_rate, green_rate, eng_rate = (median(rates[m]) for m in ("raw", "green", "engine"))
        report("engine", f"{transport}: raw blocking pyzmq (threads)", raw_rate, "msg/s")
        report(
            "engine",
            f"{transport}: green wrapper alone (two greenlets)",
            green_rate,
            "msg/s",
            note=f"{green_rate / raw_rate:.2f}x raw",
        )
        report(
            "engine",
            f"{transport}: engine, counting mode",
            eng_rate,
            "msg/s",
            note=f"spread {min(rates['engine']):,.0f}..{max(rates['engine']):,.0f}",
        )
        ratio = eng_rate / raw_rate
        report("engine", f"{transport}: engine / raw", ratio, "x", "≥ 0.5x", ratio >= 0.5)
        report(
            "engine",
            f"{transport}: counters exact (sent = received = delivered = N)",
            1.0 if exact else 0.0,
            "",
            "exact",
            exact,
        )


if __name__ == "__main__":
    mode, transport, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print(json.dumps(MODES[mode](transport, count)))
