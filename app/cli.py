"""``python -m app run FILE.json --seconds N``: a run without a browser, one JSON event per line.
``python -m app serve``: the web app under gunicorn's gevent worker, as the Procfile runs it."""

from __future__ import annotations

import argparse
import json
import os
import sys

import gevent


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    ap = argparse.ArgumentParser(prog="python -m app")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run a topology headless and print its events")
    r.add_argument("file", help="topology JSON document (or a preset JSON with a 'topology' key)")
    r.add_argument("--seconds", type=float, default=5.0)
    r.add_argument("--speed", type=float, default=1.0)
    r.add_argument("--transport", choices=("ipc", "tcp", "inproc"))
    r.add_argument("--quiet", action="store_true", help="print only the totals")
    s = sub.add_parser("serve", help="serve the web app (gunicorn, gevent worker)")
    s.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    s.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    s.add_argument(
        "--local",
        action="store_true",
        help="a playground on your own machine: allow `expose` (ALLOW_EXPOSE=1), so your own "
        "programs can connect to a run; never on a public server",
    )
    a = ap.parse_args(argv)
    if a.cmd == "serve":
        if a.local:
            os.environ["ALLOW_EXPOSE"] = "1"
        return serve(a.host, a.port)
    return run_headless(a)


def run_headless(a) -> int:
    """Validate, run for ``--seconds``, stream events as JSON lines, then print the totals."""
    from .engine.run import Run
    from .topology import parse_json, prepare

    try:
        with open(a.file, "rb") as fh:
            raw = fh.read()
    except OSError as err:
        print(f"cannot read {a.file}: {err.strerror}", file=sys.stderr)
        return 2
    doc, problems = parse_json(raw)
    if not problems and isinstance(doc, dict) and "topology" in doc and "nodes" not in doc:
        doc = doc["topology"]  # a preset file
    if not problems:
        if a.transport and isinstance(doc, dict):
            doc["transport"] = a.transport
        doc, problems = prepare(doc)
    if problems:
        for p in problems:
            print(f"invalid: {p['path']}: {p['message']}", file=sys.stderr)
        return 2
    run = Run(doc, speed=a.speed, trace_rate=1e9 if not a.quiet else 1.0)
    info = run.start()
    out = sys.stdout
    for key, endpoint in sorted(info["exposed"].items()):
        # on stderr, so stdout stays one JSON event per line; outside programs connect here
        print(f"exposed {key}: {endpoint}", file=sys.stderr, flush=True)
    if not a.quiet:
        out.write(json.dumps({"started": info}) + "\n")
        out.flush()

    def pump():
        while True:
            run.events.ready.wait()
            batch, _skipped, _untraced = run.events.drain()
            if not a.quiet:
                out.write("".join(json.dumps(e, separators=(",", ":")) + "\n" for e in batch))

    printer = gevent.spawn(pump)
    gevent.sleep(a.seconds)
    run.stop("time")
    gevent.sleep(0)
    printer.kill()
    batch, _s, _u = run.events.drain()
    if not a.quiet:
        out.write("".join(json.dumps(e, separators=(",", ":")) + "\n" for e in batch))
    out.write(json.dumps({"totals": run.totals()}) + "\n")
    return 0


def serve(host: str, port: int) -> int:
    """Replace this process with gunicorn serving the app (one gevent worker)."""
    print(f"ZeroMQ Pattern Playground: open http://{host}:{port}/", flush=True)
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "-k",
        "gevent",
        "--no-control-socket",
        "-w",
        os.environ.get("WEB_CONCURRENCY", "1"),
        "-b",
        f"{host}:{port}",
        "--graceful-timeout",
        "5",
        "app:create_app()",
    ]
    os.execv(sys.executable, args)
    return 0
