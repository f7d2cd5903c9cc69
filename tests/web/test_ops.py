"""Running as a service, without a network: which forwarded headers are believed
(app/web/proxy.py), request ids and JSON log lines (logs.py), /healthz and /readyz (health.py),
/metrics and refusal counting (metrics.py). tests/deploy runs them behind a real nginx."""

from __future__ import annotations

import json
import logging
import re

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app
from app.storage import StorageError
from app.web import health, logs, metrics, proxy
from app.web.ws import registry


def _doc() -> dict:
    return {
        "version": 1,
        "title": "ops",
        "nodes": [
            {
                "id": "a",
                "kind": "source",
                "sockets": [{"name": "o", "type": "PUSH", "mode": "bind"}],
                "behaviour": {"socket": "o", "interval_ms": 100, "frames": ["x"]},
            },
            {
                "id": "b",
                "kind": "sink",
                "sockets": [{"name": "i", "type": "PULL", "mode": "connect"}],
                "behaviour": {"socket": "i"},
            },
        ],
        "links": [
            {
                "id": "l1",
                "connect": {"node": "b", "socket": "i"},
                "bind": {"node": "a", "socket": "o"},
            }
        ],
    }


def _app(tmp_path, **config):
    return create_app({"TESTING": True, "STORAGE_PATH": str(tmp_path / "s.sqlite3"), **config})


FORWARDED = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Port": "1",
    "X-Forwarded-For": "203.0.113.9",
}


def test_forwarded_headers_are_ignored_unless_the_proxy_is_trusted(tmp_path):
    client = _app(tmp_path).test_client()
    r = client.post("/api/topologies", json=_doc(), headers=FORWARDED, base_url="http://h:8080")
    assert r.status_code == 201, r.json
    assert r.json["url"].startswith("http://h:8080/t/")
    assert "Strict-Transport-Security" not in r.headers


def test_a_trusted_proxy_gives_the_scheme_never_the_host(tmp_path):
    client = _app(tmp_path, TRUSTED_PROXIES=1).test_client()
    r = client.post("/api/topologies", json=_doc(), headers=FORWARDED, base_url="http://h:8443")
    assert r.status_code == 201, r.json
    assert r.json["url"].startswith("https://h:8443/t/")  # scheme believed; host:port from Host
    assert r.headers["Strict-Transport-Security"] == "max-age=31536000"
    page = client.get(f"/t/{r.json['id']}", headers=FORWARDED, base_url="http://h:8443")
    assert f'<link rel="canonical" href="https://h:8443/t/{r.json["id"]}">' in page.text


def test_proxy_fix_is_installed_once():
    app = create_app({"TESTING": True, "TRUSTED_PROXIES": 2})
    assert isinstance(app.wsgi_app, ProxyFix) and not isinstance(app.wsgi_app.app, ProxyFix)
    proxy.init_app(app)  # again (as another module might): still one
    assert not isinstance(app.wsgi_app.app, ProxyFix)
    assert app.wsgi_app.x_proto == 2 and app.wsgi_app.x_host == 0


def test_request_ids(tmp_path):
    plain = _app(tmp_path).test_client()
    r = plain.get("/healthz", headers={"X-Request-ID": "from-client"})
    assert re.fullmatch(r"[0-9a-f]{16}", r.headers["X-Request-ID"])  # not believed
    trusting = _app(tmp_path, REQUEST_ID_HEADER="X-Request-ID").test_client()
    assert (
        trusting.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"]
        == "abc-123"
    )
    bad = trusting.get("/healthz", headers={"X-Request-ID": 'a b"c'}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", bad)


def test_json_log_lines_carry_the_request_id(tmp_path):
    app = _app(tmp_path)
    record = logging.makeLogRecord(
        {"name": "app", "levelname": "INFO", "msg": "run %s", "args": ("started",), "run": "r1"}
    )
    with app.test_request_context("/ws", environ_base={logs.RID_KEY: "rid-1"}):
        line = json.loads(logs.JsonFormatter().format(record))
    assert line["msg"] == "run started" and line["run"] == "r1" and line["rid"] == "rid-1"
    assert line["level"] == "info" and line["ts"].endswith("Z")


def test_readiness(tmp_path):
    app = _app(tmp_path)
    client = app.test_client()
    assert client.get("/healthz").json["status"] == "ok"
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json["ready"] is True, r.json
    assert r.json["checks"]["database"]["backend"] == "sqlite"
    # draining after SIGTERM
    registry.shutting_down = True
    try:
        r = client.get("/readyz")
        assert r.status_code == 503 and r.json["checks"]["draining"]["ok"] is False
    finally:
        registry.shutting_down = False
    # full
    assert _app(tmp_path, MAX_RUNS=0).test_client().get("/readyz").status_code == 503
    # overloaded: the hub woke up 1 s late
    health.watch.recent = [1.0]
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json["checks"]["lag"] == {
        "ok": False,
        "ms": 1000.0,
        "max": 500.0,
    }
    health.watch.recent = []


def test_readiness_when_the_database_is_gone(tmp_path):
    app = _app(tmp_path)

    class Gone:
        name = "postgres"

        def load(self, item_id):
            raise StorageError("cannot reach PostgreSQL: connection refused")

    app.extensions["zpg_storage"] = Gone()
    r = app.test_client().get("/readyz")
    assert r.status_code == 503
    assert r.json["checks"]["database"]["ok"] is False
    assert "connection refused" in r.json["checks"]["database"]["error"]


def _sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_refusals_by_limit_and_storage_latency(tmp_path):
    app = _app(tmp_path)
    client = app.test_client()
    name = 'zpg_refusals_total{limit="ALLOWED_ORIGINS"}'
    before = _sample(client.get("/metrics").text, name)
    r = client.get(
        "/ws",
        headers={
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
            "Origin": "https://evil.example",
        },
    )
    assert r.status_code == 403
    client.post("/api/topologies", json=_doc())
    text = client.get("/metrics").text
    assert _sample(text, name) == before + 1
    assert _sample(text, 'zpg_storage_seconds_count{op="save"}') >= 1
    for family in ("zpg_runs", "zpg_clients", "zpg_events_total", "zpg_hub_lag_seconds"):
        assert re.search(rf"^{family} ", text, re.M), family


@pytest.mark.parametrize(
    "message, limit",
    [
        ({"type": "error", "message": "you already have 8 runs open (MAX_RUNS_PER_CLIENT = 8)"},
         "MAX_RUNS_PER_CLIENT"),
        ({"type": "notice", "code": "rate-limit", "message": "..."}, "MAX_RUN_RATE"),
        ({"type": "stopped", "reason": "time limit: runs stop after 9 s (MAX_RUN_SECONDS)"},
         "MAX_RUN_SECONDS"),
        ({"type": "error", "message": "command is not valid JSON"}, None),
        ({"type": "stopped", "reason": "user"}, None),
    ],
)  # fmt: skip
def test_websocket_refusals_are_counted_by_the_setting_they_name(tmp_path, message, limit):
    _app(tmp_path)  # the config the hooks read
    counter = metrics.REFUSALS
    before = {k: v.get() for k, v in _values(counter).items()}
    metrics.control(message)
    after = {k: v.get() for k, v in _values(counter).items()}
    changed = {k for k in after if after[k] != before.get(k, 0)}
    assert changed == ({limit} if limit else set())


def _values(counter):
    return {labels[0]: child._value for labels, child in counter._metrics.items()}


def test_the_access_line_names_the_client_behind_a_trusted_proxy(tmp_path):
    app = _app(tmp_path, TRUSTED_PROXIES=1)
    seen = {}

    @app.after_request
    def _keep(response):
        from flask import request

        seen.update(request.environ)
        return response

    app.test_client().get("/healthz", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    line = json.loads(logs.access_line(seen, 200, 27, 0.002))
    assert line["remote"] == "203.0.113.9" and line["scheme"] == "https"
    assert line["status"] == 200 and line["rid"] == seen[logs.RID_KEY]
