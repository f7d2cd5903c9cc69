"""The reliability patterns: Lazy, Simple and Paranoid Pirate, Binary Star, Majordomo. Timers are
scaled down (the fields are document times); what timing decides is asserted as bounds."""

from gallery import load, numbers, started

from app.topology import prepare


def sock(name, type_, mode, **options):
    return {"name": name, "type": type_, "mode": mode, "options": options}


def node(id_, kind, sockets, **behaviour):
    return {"id": id_, "kind": kind, "sockets": sockets, "behaviour": behaviour}


def link(id_, connect, bind):
    (cn, cs), (bn, bs) = connect.split("."), bind.split(".")
    return {"id": id_, "connect": {"node": cn, "socket": cs}, "bind": {"node": bn, "socket": bs}}


# -- Lazy Pirate -------------------------------------------------------------------------------


def test_lazy_pirate_retries_after_an_overload_gives_up_on_a_crash_and_recovers_on_restart():
    r = started(load("lazy-pirate", scale=5))  # timeout 500 ms x 3, overload 600 ms
    assert r.wait(lambda r: r.has_state("client", "gave up"), 8)
    states = [s for s, _d in r.states("client") if s in ("retrying", "gave up")]
    # request 5 is overloaded once (a retry that succeeds); after 7 answers the server crashes
    # and request 7 is tried 3 times in all before the client gives up
    assert states == ["retrying", "retrying", "retrying", "gave up"]
    assert r.count_state("server", "overloaded") == 1
    assert r.has_state("server", "crashed", "after answering 7 requests")
    assert r.has_state("server", "killed")
    assert r.sent("client", "req").count(["5"]) == 2 and r.sent("client", "req").count(["7"]) == 3
    assert r.delivered("client.req") == [[str(n)] for n in range(1, 7)]
    # the late answer to the first "5" went to the closed socket: the server answered 7 times
    assert r.sock("server.rep").sent == 7
    # restart both: the client starts again and is answered
    before = r.sock("client.req").received
    r.run.restart_node("server")
    r.run.restart_node("client")
    assert r.wait(lambda r: r.sock("client.req").received >= before + 2, 3)
    r.stop()


def test_lazy_pirate_reconnects_and_succeeds_when_the_server_comes_back():
    r = started(load("lazy-pirate", scale=5, server={"fail_rate": 0, "crash_after": 0}))
    assert r.wait(lambda r: r.sock("client.req").received >= 2, 3)
    r.run.kill_node("server")
    assert r.wait(lambda r: r.has_state("client", "retrying"), 3)
    r.run.restart_node("server")
    got = r.sock("client.req").received
    assert r.wait(lambda r: r.sock("client.req").received >= got + 3, 3)
    r.stop()
    assert not r.has_state("client", "gave up")
    # the request that was pending across the outage was answered after a resend
    replies = numbers(r.delivered("client.req"))
    assert replies == list(range(1, len(replies) + 1))


# -- Simple Pirate -----------------------------------------------------------------------------


def test_simple_pirate_loses_the_request_given_to_a_dead_worker_and_the_client_retries():
    r = started(load("simple-pirate", scale=5))  # client timeout 500 ms
    assert r.wait(
        lambda r: (
            r.has_state("worker2", "crashed")
            and any(r.has_state(c, "retrying") for c in ("client1", "client2"))
        ),
        5,
    )
    retried = next(c for c in ("client1", "client2") if r.has_state(c, "retrying"))
    got = r.sock(f"{retried}.req").received
    assert r.wait(lambda r: r.sock(f"{retried}.req").received >= got + 3, 3)
    r.stop()
    assert r.has_state("worker2", "crashed", "after answering 3 requests")
    assert r.sock("worker2.req").received == 3  # the lost request never reached it
    assert not any(r.has_state(c, "gave up") for c in ("client1", "client2"))
    for c, prefix in (("client1", "c1-"), ("client2", "c2-")):
        replies = r.delivered(f"{c}.req")
        assert replies == [[f"{prefix}{k}"] for k in range(1, len(replies) + 1)]
    # the LRU queue only deals to workers that said READY or answered: READY is \x01
    assert [["\x01"]] == [f[2:] for f in r.delivered("queue.backend", "l4")][:1]


# -- Paranoid Pirate ---------------------------------------------------------------------------


def test_paranoid_pirate_queue_drops_a_worker_after_missed_heartbeats():
    r = started(load("paranoid-pirate", scale=5))  # heartbeat 200 ms, liveness 3
    assert r.wait(lambda r: r.has_state("queue", "worker expired", "worker-2"), 8)
    r.sleep(0.3)
    r.stop()
    crash = r.first("worker2", "crashed")
    expired = next(
        e
        for e in r.events
        if e["ev"] == "node" and e["node"] == "queue" and e["state"] == "worker expired"
    )
    assert crash is not None and "after answering 1 request" in crash["detail"]
    # expiry: liveness x heartbeat after its last message (checked on the next heartbeat tick)
    assert 450 <= expired["t"] - crash["t"] <= 1500
    assert [d for s, d in r.states("queue") if s == "worker expired"] == [
        "worker-2: no heartbeat for 3 x 200 ms"
    ]
    # READY and heartbeats on the wire are the single frames \x01 and \x02
    beats = r.delivered("worker1.dealer")
    assert ["\x02"] in beats
    assert not r.has_state("client", "gave up")


def test_paranoid_pirate_workers_back_off_and_reconnect_when_the_queue_dies():
    fast = {"interval_init_ms": 100, "interval_max_ms": 400}
    doc = load(
        "paranoid-pirate", scale=5, worker1=fast, worker3=fast, worker2=dict(fast, crash_after=0)
    )
    r = started(doc)  # heartbeat 200 ms, liveness 3
    r.sleep(0.4)
    r.run.kill_node("queue")
    assert r.wait(
        lambda r: all(
            r.count_state(w, "heartbeat failure") >= 3 for w in ("worker1", "worker2", "worker3")
        ),
        6,
    )
    for w in ("worker1", "worker2", "worker3"):
        waits = [d.split("reconnecting in ")[1] for s, d in r.states(w) if s == "heartbeat failure"]
        assert waits[:3] == ["100 ms", "200 ms", "400 ms"]  # the interval doubles, capped
    ready_before = r.count_state("queue", "worker ready")
    r.run.restart_node("queue")
    # each worker is in its back-off (up to 400 ms) and then says READY again: a bound, not a
    # timing. (This failed about 1 in 10 whatever the bound: closing the queue's monitor reader
    # before its socket could freeze libzmq's I/O thread; fixed in Run.close_socket)
    assert r.wait(lambda r: r.count_state("queue", "worker ready") >= ready_before + 3, 10)
    r.run.restart_node("client")  # it gave up while the queue was away
    assert r.wait(
        lambda r: (
            any(s == "restarted" for s, _d in r.states("client"))
            and r.sock("client.req").received >= 1
        ),
        3,
    )
    r.stop()


# -- Binary Star -------------------------------------------------------------------------------


def test_binary_star_fails_over_when_the_primary_crashes_by_itself():
    # heartbeat 200 ms; the client's timeout (200 ms scaled) kept at 500 ms against load
    r = started(load("binary-star", scale=5, client={"timeout_ms": 500}))
    assert r.wait(lambda r: r.sock("client.backup").received >= 3, 8)
    r.stop()
    assert r.states("primary")[1:3] == [
        ("primary", "primary: waiting for the peer"),
        ("active", "connected to backup (passive), ready as active"),
    ]
    assert r.has_state("backup", "passive")
    assert r.has_state("primary", "crashed", "after answering 6 requests")
    assert r.has_state("client", "failover", "failing over to the backup")
    assert r.has_state("backup", "active", "failover successful")
    replies = numbers(r.delivered("client.primary")) + numbers(r.delivered("client.backup"))
    assert replies == list(range(1, len(replies) + 1))  # the request in flight was resent
    assert numbers(r.delivered("client.primary")) == list(range(1, 7))
    # the state messages are the zguide's numbers as text
    heard = [f[0] for f in r.delivered("backup.statesub")]
    assert "3" in heard and set(heard) <= {"1", "3"}  # primary (1) until it heard the backup


def test_binary_star_client_fails_over_after_the_primary_is_killed():
    r = started(
        load("binary-star", scale=5, primary={"crash_after": 0}, client={"timeout_ms": 500})
    )
    assert r.wait(
        lambda r: r.sock("client.primary").received >= 3 and r.has_state("backup", "passive"), 4
    )
    r.run.kill_node("primary")
    assert r.wait(lambda r: r.sock("client.backup").received >= 2, 5)
    r.stop()
    assert r.has_state("client", "failover") and r.has_state(
        "backup", "active", "failover successful"
    )


def test_binary_star_backup_refuses_clients_while_the_primary_is_alive():
    # a second client that tries the backup first: the backup (never active while it hears an
    # active primary) does not answer; the client fails over to the primary and is served
    doc = load("binary-star", scale=5, primary={"crash_after": 0}, client={"timeout_ms": 500})
    doc["nodes"].append(
        node(
            "probe",
            "bstar_client",
            [sock("first", "REQ", "connect"), sock("second", "REQ", "connect")],
            primary="first",
            backup="second",
            timeout_ms=200,
            settle_ms=100,
            interval_ms=100,
        )
    )
    doc["links"] += [
        link("p1", "probe.first", "backup.frontend"),
        link("p2", "probe.second", "primary.frontend"),
    ]
    doc, problems = prepare(doc)
    assert not problems
    r = started(doc)
    assert r.wait(lambda r: r.sock("probe.second").received >= 3, 4)
    r.sleep(0.3)
    r.stop()
    assert r.has_state("probe", "failover")
    assert r.sock("backup.frontend").received >= 1 and r.sock("backup.frontend").sent == 0
    assert r.sock("probe.first").received == 0
    assert not r.has_state("backup", "active") and r.has_state("backup", "passive")
    assert not r.has_state("client", "failover")  # the first client never noticed


# -- Majordomo ---------------------------------------------------------------------------------


def test_majordomo_routes_by_service_name_and_answers_mmi():
    r = started(load("majordomo", scale=5))  # mmi client starts after 200 ms
    assert r.wait(
        lambda r: r.sock("client3.req").received >= 4 and r.sock("client2.req").received >= 3, 5
    )
    r.stop()
    echo = r.delivered("client1.req")
    assert echo == [["MDPC01", "echo", f"hello {k}"] for k in range(1, len(echo) + 1)]
    upper = r.delivered("client2.req")
    assert upper == [["MDPC01", "upper", f"SHOUT {k}"] for k in range(1, len(upper) + 1)]
    # requests reach only workers of the named service: [“”, MDPW01, \x02, client, “”, body]
    for w, word in (("echo1", "hello"), ("echo2", "hello"), ("upper", "shout")):
        reqs = [f for f in r.delivered(f"{w}.dealer") if f[2] == "\x02"]
        assert reqs and all(
            f[:2] == ["", "MDPW01"] and f[4] == "" and f[5].startswith(word) for f in reqs
        )
    # mmi.service: echo has workers (200), coffee has none (404)
    asked = [f[-1] for f in r.delivered("broker.router", "l3")]
    answers = [f[-1] for f in r.delivered("client3.req")]
    assert all(f[:2] == ["MDPC01", "mmi.service"] for f in r.delivered("client3.req"))
    pairs = list(zip(asked, answers, strict=False))
    assert pairs and all(a == {"echo": "200", "coffee": "404"}[q] for q, a in pairs)
    assert ("echo", "200") in pairs and ("coffee", "404") in pairs
    # workers registered with READY [“”, MDPW01, \x01, service]
    ready = [f[1:] for f in r.delivered("broker.router") if len(f) == 5 and f[3] == "\x01"]
    assert sorted(f[-1] for f in ready) == ["echo", "echo", "upper"]


def test_majordomo_broker_forgets_a_dead_idle_worker_and_mmi_then_says_404():
    # like mdbroker, only idle workers expire: let the upper worker sit idle, then kill it
    r = started(load("majordomo", scale=5, client3={"topics": ["upper"]}, client2={"count": 1}))
    assert r.wait(
        lambda r: r.delivered("client3.req")[-1:] == [["MDPC01", "mmi.service", "200"]], 4
    )
    r.run.kill_node("upper")
    assert r.wait(lambda r: r.has_state("broker", "worker expired", "(upper)"), 6)
    assert r.wait(
        lambda r: r.delivered("client3.req")[-1:] == [["MDPC01", "mmi.service", "404"]], 3
    )
    r.stop()
