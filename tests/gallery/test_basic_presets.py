"""The basic patterns of the gallery: each preset run on real sockets, its defining behaviour
asserted exactly where ZeroMQ makes it exact (ZMQ_SEMANTICS.md) and as bounds where timing
decides."""

from gallery import load, numbers, started


def test_reqrep_hello_is_lockstep():
    r = started(load("reqrep-hello", scale=5))
    r.sleep(1.2)
    r.stop()
    client, server = r.sock("client.req"), r.sock("server.rep")
    assert client.sent >= 3
    assert 0 <= client.sent - client.received <= 1  # never two requests outstanding
    assert server.received == client.sent
    assert r.delivered("client.req") and all(f == ["World"] for f in r.delivered("client.req"))
    assert [f for f in r.delivered("server.rep")] == [
        [f"Hello {n}"] for n in range(1, server.received + 1)
    ]


def test_pubsub_weather_prefix_filters():
    r = started(load("pubsub-weather", scale=5))
    r.sleep(1.0)
    r.stop()
    sent = r.sock("publisher.pub").sent
    assert sent >= 6
    weather = r.delivered("weather.sub")
    assert weather and all(f[0].startswith("weather.") for f in weather)
    assert r.sock("nothing.sub").received == 0
    # the publisher filters: "zzz" is sent nothing at all, exactly
    assert r.link("l3").filtered == sent and r.link("l3").delivered == 0
    # "weather" gets 2 of every 3 topics; sports.kbo is filtered for it
    assert r.link("l1").filtered == sum(1 for k in range(sent) if k % 3 == 2)
    everything = r.link("l2")
    assert everything.delivered + everything.dropped + len(everything.queue) == sent


def test_pipeline_round_robin_is_exact():
    r = started(load("pipeline", scale=10))
    r.sleep(1.0)
    r.stop()
    got = {w: numbers(r.delivered(f"{w}.in")) for w in ("w1", "w2", "w3")}
    total = sum(len(v) for v in got.values())
    assert total >= 15
    for tasks in got.values():
        # each worker's share is one residue class mod 3: strict turns from the first task on
        assert tasks and len({t % 3 for t in tasks}) == 1
        assert tasks == sorted(tasks)
    assert max(map(len, got.values())) - min(map(len, got.values())) <= 1
    assert sorted(t for v in got.values() for t in v) == list(range(1, total + 1))


def test_fan_in_collects_every_line_fairly():
    r = started(load("fan-in", scale=5))
    r.sleep(1.2)
    r.stop()
    for lid, src, word in (("l1", "web", "web:"), ("l2", "db", "db:"), ("l3", "auth", "auth:")):
        link, sent = r.link(lid), r.sock(f"{src}.out").sent
        assert sent >= 4
        assert sent - 1 <= link.delivered <= sent and link.dropped == 0
        assert all(f[0].startswith(word) for f in r.delivered("logs.in", lid))
    assert r.sock("logs.in").received == sum(r.link(x).delivered for x in ("l1", "l2", "l3"))


def test_fan_out_fan_in_batch_of_30():
    r = started(load("fan-out-fan-in", scale=5))
    assert r.wait(lambda r: r.has_state("collector", "batch done"), 6)
    r.stop()
    for w in ("w1", "w2", "w3"):
        tasks = numbers(r.delivered(f"{w}.in"))
        assert len(tasks) == 10 and len({t % 3 for t in tasks}) == 1
    results = r.delivered("collector.in")
    assert sorted(numbers(results)) == list(range(1, 31))
    assert all(f[0].startswith("TASK ") for f in results)  # upper-cased by the workers
    assert r.has_state("collector", "batch done", "30 results")


def test_pair_signals_pass_stage_by_stage_in_order():
    r = started(load("pair-signal", scale=10))
    r.sleep(1.0)
    r.stop()
    sent = r.sock("step1.pair").sent
    got = r.delivered("step3.pair")
    assert sent >= 5 and len(got) >= sent - 1
    assert got == [[f"step 2 ready after step 1 ready #{k}"] for k in range(1, len(got) + 1)]
    assert r.link("l1").dropped == r.link("l2").dropped == 0


def test_hwm_pub_drops_push_blocks():
    r = started(load("hwm"))
    r.sleep(1.6)
    r.stop()
    pub, sub = r.sock("publisher.out"), r.sock("slowsub.in")
    push, pull = r.sock("pusher.out"), r.sock("slowpull.in")
    blocked = {e["node"] for e in r.events if e["ev"] == "blocked"}
    # PUB never waits: it keeps its pace and the slow subscriber misses messages
    assert "publisher" not in blocked and pub.sent >= 40
    assert r.link("l1").dropped > 0 and sub.received < pub.sent / 4
    got = numbers(r.delivered("slowsub.in"))
    assert got[:4] == [1, 2, 3, 4] and got != list(range(1, len(got) + 1))  # then a gap
    # PUSH blocks at the HWM: over inproc a queue holds exactly SNDHWM + RCVHWM = 4
    assert "pusher" in blocked and r.link("l2").dropped == 0
    assert 0 <= push.sent - pull.received <= 4
    assert numbers(r.delivered("slowpull.in")) == list(range(1, pull.received + 1))


def test_slow_joiner_loses_a_prefix_and_the_synchronized_publisher_loses_nothing():
    r = started(load("slow-joiner"))
    done = r.wait(
        lambda r: (
            r.count_state("sync1", "received")
            and r.count_state("sync2", "received")
            and r.sock("naive.out").sent >= 300
        ),
        6,
    )
    r.sleep(0.1)
    r.stop()
    assert done
    for node, lid in (("sync1", "l3"), ("sync2", "l5")):
        assert r.has_state(node, "received", "300 messages")
        assert r.link(lid).delivered == 301 and r.link(lid).dropped == 0  # 300 + END
    for lid in ("l1", "l2"):
        link = r.link(lid)
        assert link.expected == 300
        assert link.delivered + link.dropped + len(link.queue) == 300
        got = numbers(r.delivered(link.connect.key))
        # whatever was lost (timing decides how much) is the first messages, before the
        # subscription arrived: what did arrive is an unbroken run up to 300
        assert got == list(range(301 - len(got), 301))


def test_kill_signal_stops_every_worker_after_the_batch():
    r = started(load("kill-signal", scale=5))
    assert r.wait(lambda r: all(r.has_state(w, "killed by signal") for w in ("w1", "w2", "w3")), 6)
    r.stop()
    assert r.has_state("sink", "batch done", "30 results")
    for w in ("w1", "w2", "w3"):
        tasks = numbers(r.delivered(f"{w}.in"))
        assert len(tasks) == 10 and len({t % 3 for t in tasks}) == 1
        assert r.has_state(w, "killed by signal", "'KILL' after 10 tasks")
        assert r.delivered(f"{w}.control") == [["KILL"]]
