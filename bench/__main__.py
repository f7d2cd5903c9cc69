"""``python -m bench [--quick] [--only engine,stream,browser,memory,assets,deploy] [--json FILE]``

Runs every benchmark (docs/performance.md) and prints each figure next to its target; ratios are
measured in the same run. Needs Debian's chromium for the browser figures (as the tests do).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

from . import assets, browser, deploy, engine, fair, memory, stream
from .common import RESULTS

BENCHES = {
    "engine": engine.bench,
    "stream": stream.bench,
    "browser": browser.bench,
    "memory": memory.bench,
    "assets": assets.bench,
    "fair": fair.bench,
    # docs/deploying.md under load (nginx, 2 servers, PostgreSQL): only when asked for
    "deploy": deploy.bench,
}
DEFAULT = ["engine", "stream", "browser", "memory", "assets", "fair"]


def machine() -> dict:
    """What the figures were measured on."""
    import flask
    import gevent
    import gunicorn
    import zmq

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(
                line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    try:
        from playwright._repo_version import version as pw
    except ImportError:
        pw = "?"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "libzmq": zmq.zmq_version(),
        "pyzmq": zmq.__version__,
        "gevent": gevent.__version__,
        "gunicorn": gunicorn.__version__,
        "flask": flask.__version__,
        "playwright": pw,
        # the machine is shared: the load when the run began says what else was running
        "load": "/".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("--quick", action="store_true", help="fewer repeats, shorter windows")
    ap.add_argument(
        "--only", default=",".join(DEFAULT), help="comma-separated: " + ", ".join(BENCHES)
    )
    ap.add_argument("--json", help="also write the figures to this file")
    a = ap.parse_args(argv)
    info = machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    print(f"  {'figure':<58} {'value':>14} {'unit':<10} {'target':<14} result", flush=True)
    t0 = time.monotonic()
    for name in a.only.split(","):
        BENCHES[name.strip()](quick=a.quick)
    missed = [f for f in RESULTS if f.ok is False]
    print(
        f"done in {time.monotonic() - t0:.0f} s: {sum(f.ok is True for f in RESULTS)} targets "
        f"met, {len(missed)} missed" + (": " + "; ".join(f.name for f in missed) if missed else "")
    )
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"machine": info, "figures": [f.__dict__ for f in RESULTS]}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
