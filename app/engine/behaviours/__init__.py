"""Node behaviours: one module per node kind, each a function ``run(node)`` executed in the
node's own greenlet. A behaviour only talks to its sockets through ``node.send``/``node.recv`` so
every message is observed, and only waits through ``node.sleep`` so speed and pause apply."""

from . import (
    bstar_client,
    bstar_server,
    collector,
    gateway,
    lazy_pirate,
    lb_broker,
    lb_worker,
    mdp_broker,
    mdp_client,
    mdp_worker,
    monitor,
    pp_queue,
    pp_worker,
    producer,
    proxy,
    replier,
    sink,
    source,
    sync_pub,
    sync_sub,
    task_worker,
    worker,
)

BEHAVIOURS = {
    "source": source.run,
    "replier": replier.run,
    "worker": worker.run,
    "sink": sink.run,
    # high-level patterns (the gallery)
    "proxy": proxy.run,
    "lb_broker": lb_broker.run,
    "lb_worker": lb_worker.run,
    "lazy_pirate": lazy_pirate.run,
    "pp_queue": pp_queue.run,
    "pp_worker": pp_worker.run,
    "bstar_server": bstar_server.run,
    "bstar_client": bstar_client.run,
    "mdp_broker": mdp_broker.run,
    "mdp_worker": mdp_worker.run,
    "mdp_client": mdp_client.run,
    "monitor": monitor.run,
    "sync_pub": sync_pub.run,
    "sync_sub": sync_sub.run,
    "producer": producer.run,
    "task_worker": task_worker.run,
    "collector": collector.run,
    "gateway": gateway.run,
}
