"""The 20 presets through the oracle: what is timing-independent, compared with libzmq.

Each preset runs with its timers shortened and its sources made finite. Presets built only from
socket-level kinds (source, sink, worker, replier) also run on the plain-pyzmq reference, and
each group of receivers fed by the same point-to-point senders must get the same messages.
Every preset must end settled: at the end of a run nothing internal is left `queued`, every
message sent is delivered, dropped or filtered, the events add up to the counters, and each pipe
kept its order.
"""

import pytest
from oracle import compare as C
from oracle.engine_side import run_engine
from oracle.harness import both
from oracle.reference import SUPPORTED_KINDS

from app.presets import ORDER, get_preset
from app.topology import prepare

SCALE = 5  # timers divided by this
MAX_COUNT = 12


def finite(preset_id: str) -> dict:
    d, problems = prepare(get_preset(preset_id)["topology"])
    assert not problems, problems
    for n in d["nodes"]:
        b = n["behaviour"]
        for k, v in b.items():
            if k.endswith("_ms") and isinstance(v, int) and v:
                b[k] = max(1, v // SCALE)
        if n["kind"] == "source":
            b["count"] = min(b["count"] or MAX_COUNT, MAX_COUNT)
    return d


def test_every_preset_is_covered():
    assert len(ORDER) == 20


@pytest.mark.parametrize("preset_id", ORDER)
def test_preset(verdict, preset_id):
    d = finite(preset_id)
    case = f"preset {preset_id}"
    if all(n["kind"] in SUPPORTED_KINDS for n in d["nodes"]):
        view, ref = both(d, timeout=6)
        extra = C.groups_match(case, view, ref, d)
    else:  # rich kinds (brokers, pirates...): the run's own accounting, at its end
        view, extra = C.EngineView(run_engine(d, timeout=2.0), d), []
    verdict(
        C.settled(case, view)
        + C.conservation(case, view)
        + C.truth_counts(case, view)
        + C.pipe_order(case, view)
        + extra
    )
