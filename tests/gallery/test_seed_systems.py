"""The two distributed systems of seed 002: task distribution with a monitor, microservices."""

import json
from collections import Counter

from gallery import load, numbers, started


def test_task_distribution_round_robin_results_and_monitor_counts():
    r = started(load("task-distribution", scale=5))  # a task every 200 ms, 400 ms of work
    r.sleep(2.4)
    r.stop()
    ids = {}
    for w in ("worker1", "worker2", "worker3"):
        ids[w] = [json.loads(f[0])["id"] for f in r.delivered(f"{w}.in")]
        assert len(ids[w]) >= 3 and len({i % 3 for i in ids[w]}) == 1  # strict turns
    produced = r.sock("producer.tasks").sent
    got = sorted(i for v in ids.values() for i in v)
    assert got == list(range(1, len(got) + 1)) and produced - 1 <= len(got) <= produced
    results = r.delivered("collector.in")
    assert results and all(
        f[0].startswith('{"worker":') and '"status":"completed"' in f[0] for f in results
    )
    topics = Counter(f[0] for f in r.delivered("monitor.sub"))
    assert set(topics) == {"task_created", "task_started", "task_completed"}
    # the producer waited for the monitor's subscription: every task_created arrives
    assert produced - 1 <= topics["task_created"] <= produced
    started_n = sum(r.sock(f"{w}.in").received for w in ("worker1", "worker2", "worker3"))
    assert started_n - 1 <= topics["task_started"] <= started_n
    assert len(results) - 1 <= topics["task_completed"] <= topics["task_started"]
    last = [d for s, d in r.states("monitor") if s == "counts"][-1]
    assert "task_created:" in last and "task_completed:" in last


def test_microservices_gateway_routes_by_name_and_events_reach_their_subscribers():
    r = started(load("microservices", scale=3))  # a request every 200 ms
    r.sleep(2.2)
    r.stop()
    replies = r.delivered("app.req")
    assert len(replies) >= 6
    cycle = ["auth", "user", "order"]
    assert replies == [
        [f"{cycle[(k - 1) % 3].upper()} REQUEST {k}"] for k in range(1, len(replies) + 1)
    ]
    for svc in cycle:
        got = r.delivered(f"{svc}.dealer")
        # the DEALER receives [client, "", body]: the gateway stripped the service name
        assert got and all(
            len(f) == 3 and f[1] == "" and f[2].startswith(f"{svc} request ") for f in got
        )
    assert all(f[0] == "user.created" for f in r.delivered("email.sub"))
    assert all(f[0] == "order.placed" for f in r.delivered("analytics.sub"))
    logged = Counter(f[0] for f in r.delivered("logger.sub"))
    assert set(logged) <= {"auth.login", "user.created", "order.placed"}
    for svc, topic in (("auth", "auth.login"), ("user", "user.created"), ("order", "order.placed")):
        published = r.sock(f"{svc}.events").sent
        assert published >= 2 and published - 1 <= logged[topic] <= published
    assert len(r.delivered("email.sub")) >= r.sock("user.events").sent - 1
    # the bus forwards exactly what it receives
    assert r.sock("bus.out").sent == r.sock("bus.in").received
    assert numbers(r.delivered("analytics.sub")) == [
        n for n in range(3, 3 * len(r.delivered("analytics.sub")) + 1, 3)
    ]


def test_gateway_answers_an_unknown_service():
    doc = load("microservices", scale=3, app={"topics": ["auth", "billing"]})
    r = started(doc)
    r.sleep(0.8)
    r.stop()
    replies = [f[0] for f in r.delivered("app.req")]
    assert "unknown service: billing" in replies and "AUTH REQUEST 1" in replies
