"""Node behaviours: one module per node kind, each a function ``run(node)`` executed in the
node's own greenlet. A behaviour only talks to its sockets through ``node.send``/``node.recv`` so
every message is observed, and only waits through ``node.sleep`` so speed and pause apply."""
from . import replier, sink, source, worker

BEHAVIOURS = {
    "source": source.run,
    "replier": replier.run,
    "worker": worker.run,
    "sink": sink.run,
}
