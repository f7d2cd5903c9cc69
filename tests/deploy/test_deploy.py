"""docs/deploying.md as operators run it: nginx terminating TLS on a non-default port in front of
two app servers (separate gunicorns, two workers each) and one PostgreSQL (conftest.py starts
them from the page and the Procfile, tests/support/stack.py).

Links saved through one server open through the other; a topology runs over a websocket through
the proxy; every link the server builds keeps the browser's scheme, host and port; forwarded
headers a client writes are not believed; health, metrics and JSON logs; a rolling restart
loses no save and no page goes untold.
"""

from __future__ import annotations

import json
import re
import signal
import threading
import time
import urllib.parse
import urllib.request

from deploy_helpers import STEPS, metrics, page, preset
from support.stack import DOC, doc_blocks, procfile_command


def _save(st_or_url, doc: dict, ssl=None):
    """(status, body) of POST /api/topologies at an https stack or a plain server URL."""
    if hasattr(st_or_url, "request"):
        status, _, body = st_or_url.request("/api/topologies", json.dumps(doc).encode())
        try:
            return status, json.loads(body)
        except ValueError:  # not the app's answer (nginx's own error page)
            return status, {"body": body.decode(errors="replace")[:300]}
    req = urllib.request.Request(
        st_or_url + "/api/topologies",
        data=json.dumps(doc).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, json.load(r)


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _titled(title: str) -> dict:
    doc = preset("pipeline")
    doc["title"] = title
    return doc


def test_the_page_is_what_runs():
    """The Procfile's line is on the page; the page's nginx passes the port and the scheme."""
    text = DOC.read_text(encoding="utf-8")
    assert procfile_command() in text
    (site,) = doc_blocks("nginx")
    assert "proxy_set_header Host $http_host;" in site
    assert "proxy_set_header Host $host;" not in site
    assert "X-Forwarded-Proto $scheme" in site
    (sh,) = doc_blocks("sh")
    assert "TRUSTED_PROXIES=1" in sh.splitlines()


def test_a_link_saved_through_server_a_opens_through_server_b(stack):
    a, b = stack.servers
    status, saved = _save(a.url, _titled("saved on A"))
    assert status == 201
    status, body = _get(f"{b.url}/api/topologies/{saved['id']}")
    assert status == 200 and json.loads(body)["topology"]["title"] == "saved on A"
    status, html = _get(f"{b.url}/t/{saved['id']}")
    assert status == 200 and b"saved on A" in html
    # and through nginx, whichever server answers, ten times
    for i in range(10):
        status, saved = _save(stack, _titled(f"through nginx {i}"))
        assert status == 201
        for server in (a, b):
            assert _get(f"{server.url}/api/topologies/{saved['id']}")[0] == 200


def test_server_built_links_keep_scheme_host_and_port(stack):
    base = stack.url  # https://127.0.0.1:<private port>
    # a client's own forwarded headers change nothing: nginx overwrites the scheme, and the
    # forwarded host/port are never believed
    forged = {
        "X-Forwarded-Proto": "http",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Port": "1",
    }
    status, headers, body = stack.request(
        "/api/topologies", json.dumps(_titled("links")).encode(), forged
    )
    assert status == 201
    saved = json.loads(body)
    assert saved["url"] == f"{base}/t/{saved['id']}"
    assert saved["embed"] == f"{base}/embed/{saved['id']}"
    assert headers["Strict-Transport-Security"] == "max-age=31536000"

    status, headers, html = stack.request(f"/t/{saved['id']}", headers=forged)
    html = html.decode()
    assert status == 200
    assert f'<link rel="canonical" href="{base}/t/{saved["id"]}">' in html
    assert f'<meta property="og:image" content="{base}/badge/{saved["id"]}.svg">' in html
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert f"wss://127.0.0.1:{stack.port}" in headers["Content-Security-Policy"]

    q = urllib.parse.quote(saved["url"], safe="")
    status, _, body = stack.request(f"/oembed?url={q}&format=json", headers=forged)
    assert status == 200
    oembed = json.loads(body)
    assert f'<iframe src="{base}/embed/{saved["id"]}"' in oembed["html"]
    assert oembed["provider_url"] == base + "/"


def test_a_topology_runs_over_a_websocket_through_the_proxy(stack):
    c, hello = page(stack)
    # the request id is nginx's $request_id (32 hex digits), carried into the session
    assert re.fullmatch(r"[0-9a-f]{32}", hello["request"])
    c.send({"op": "start", "topology": preset("pipeline")})
    _, started = c.recv_until(lambda m: m["type"] == "started")
    seen = set()
    while not {"sent", "delivered"} <= seen:
        msg = c.recv()
        if msg["type"] == "events":
            seen.update(e["ev"] for e in msg["events"])
    c.send({"op": "stop"})
    _, stopped = c.recv_until(lambda m: m["type"] == "stopped")
    assert stopped["totals"]
    c.close()
    # the session's log lines and its access line carry the request id
    rid = hello["request"]

    def lines():
        out = []
        for server in stack.servers:
            out += [json.loads(x) for x in server.log_lines() if rid in x]
        return out

    deadline = time.monotonic() + 15
    while not any(x.get("logger") == "access" for x in lines()) and time.monotonic() < deadline:
        time.sleep(0.1)
    got = lines()
    assert {x.get("msg") for x in got} >= {"run started", "run stopped"}
    assert all(x["rid"] == rid for x in got)
    run_lines = [x for x in got if x.get("msg") == "run started"]
    assert run_lines[0]["run"] == started["run"]
    access = [x for x in got if x.get("logger") == "access"]
    assert access and access[0]["path"] == "/ws" and access[0]["scheme"] == "https"


def test_a_foreign_origin_is_refused_through_the_proxy_and_counted(stack):
    before = sum(
        metrics(s.url).get('zpg_refusals_total{limit="ALLOWED_ORIGINS"}', 0) for s in stack.servers
    )
    upgrade = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
        "Origin": "https://evil.example",
    }
    status, _, body = stack.request("/ws", headers=upgrade)
    assert status == 403 and b"ALLOWED_ORIGINS" in body
    after = sum(
        metrics(s.url).get('zpg_refusals_total{limit="ALLOWED_ORIGINS"}', 0) for s in stack.servers
    )
    assert after == before + 1


def test_health_and_metrics(stack):
    for path in ("/healthz", "/readyz"):
        status, _, body = stack.request(path)
        assert status == 200, body
    ready = json.loads(stack.request("/readyz")[2])
    assert ready["checks"]["database"] == {**ready["checks"]["database"], "ok": True}
    assert ready["checks"]["database"]["backend"] == "postgres"
    # four pages with a run each, spread over the servers and their workers
    pages = []
    for _ in range(4):
        c, _ = page(stack)
        c.send({"op": "start", "topology": preset("pipeline")})
        c.recv_until(lambda m: m["type"] == "started")
        pages.append(c)
    # each server adds up its two workers (multiprocess mode); gauges follow within a tick
    deadline = time.monotonic() + 10
    while True:
        per_server = [metrics(s.url) for s in stack.servers]
        runs = sum(m["zpg_runs"] for m in per_server)
        clients = sum(m["zpg_clients"] for m in per_server)
        if (runs, clients) == (4, 4) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert (runs, clients) == (4, 4)
    for m in per_server:
        assert m['zpg_storage_seconds_count{op="load"}'] >= 1
    assert sum(m["zpg_events_total"] for m in per_server) > 0
    # /metrics through nginx: allowed from 127.0.0.1, one server's figures
    status, _, body = stack.request("/metrics")
    assert status == 200 and b"zpg_runs " in body
    for c in pages:
        c.close()


def test_every_log_line_is_json(stack):
    for server in stack.servers:
        lines = server.log_lines()
        assert lines
        for line in lines:
            entry = json.loads(line)
            assert {"ts", "level", "logger"} <= set(entry)


def _wait_clients(stack, n: int) -> None:
    """Until the servers' gauges (updated every quarter second per worker) count ``n`` pages."""
    deadline = time.monotonic() + 10
    while sum(metrics(s.url)["zpg_clients"] for s in stack.servers) != n:
        assert time.monotonic() < deadline, "the gauges never counted the open pages"
        time.sleep(0.1)


def _pages_on_both(stack) -> list:
    """Pages running the pipeline through nginx until each server has at least one."""
    pages = []
    while len(pages) < 2 or not all(metrics(s.url)["zpg_clients"] for s in stack.servers):
        assert len(pages) < 8, "nginx sent every page to one server"
        c, _ = page(stack)
        c.send({"op": "start", "topology": preset("pipeline")})
        c.recv_until(lambda m: m["type"] == "started")
        pages.append(c)
        _wait_clients(stack, len(pages))
    return pages


def _restart(stack, index: int, pages: list) -> dict:
    """SIGTERM server ``index`` while pages run and a saver saves through nginx; start it again.

    Returns what happened: saves (status per save), pages told / still running."""
    server = stack.servers[index]
    on_it = metrics(server.url)["zpg_clients"]
    saves: list = []
    stop = threading.Event()

    def saver():
        n = 0
        while not stop.is_set():
            n += 1
            status, body = _save(stack, _titled(f"rolling {index} {n} {time.monotonic()}"))
            saves.append((status, body.get("id") or body))
            stop.wait(0.02)  # a steady stream, not a flood: every save is checked after

    t = threading.Thread(target=saver)
    t.start()
    time.sleep(0.3)
    t0 = time.monotonic()
    code = server.stop(signal.SIGTERM)
    drained = time.monotonic() - t0
    told, running = 0, 0
    t_read = time.monotonic()
    for c in pages:
        try:
            c.send({"op": "ping"})
        except OSError:
            pass  # its server is gone: what it said before going is still to be read
        msgs, pong = [], False
        while True:  # stopped + close 1001 (its server went), or pong then events (it serves)
            msg = c.recv()
            if msg is None:
                break
            msgs.append(msg)
            pong = pong or msg["type"] == "pong"
            if pong and msg["type"] == "events":
                break
        if c.closed is not None:
            stopped = [m for m in msgs if m["type"] == "stopped"]
            assert c.closed.code == 1001
            assert stopped and stopped[0]["reason"] == "server shutting down"
            told += 1
        else:
            running += 1  # the other server kept serving this page meanwhile
    STEPS.append(("every page: told, or still served", time.monotonic() - t_read))
    t1 = time.monotonic()
    server.start()  # back (its /readyz answers 200) before the next one goes
    started = time.monotonic() - t1
    time.sleep(0.3)
    stop.set()
    t.join()
    return {"code": code, "saves": saves, "told": told, "running": running, "on_it": on_it,
            "drained": drained, "started": started}  # fmt: skip


def test_rolling_restart_loses_no_save_and_tells_every_page(stack):
    saved = []
    for index in (0, 1):
        t0 = time.monotonic()
        pages = _pages_on_both(stack)
        STEPS.append((f"{len(pages)} pages running, on both servers", time.monotonic() - t0))
        got = _restart(stack, index, pages)
        for c in pages:
            c.close()
        assert got["code"] == 0
        assert got["saves"] and all(status == 201 for status, _ in got["saves"]), [
            x for x in got["saves"] if x[0] != 201
        ]
        assert got["told"] == got["on_it"] >= 1
        assert got["running"] >= 1
        saved += [item for _, item in got["saves"]]
        STEPS.append((f"server {'ab'[index]} drained after SIGTERM", got["drained"]))
        STEPS.append((f"server {'ab'[index]} started again, ready", got["started"]))
    for item in saved:  # every short link opens, through either server
        for server in stack.servers:
            assert _get(f"{server.url}/api/topologies/{item}")[0] == 200
