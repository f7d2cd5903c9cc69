"""HTTP side of the limits: body size (413 as JSON naming the limit), security headers, the debug
endpoint only when enabled, limits from the configuration reaching /api/meta and validation."""

import json

import pytest

from app import create_app


@pytest.fixture
def client():
    return create_app({"TESTING": True}).test_client()


def test_oversized_body_is_a_json_413_naming_the_limit(client):
    r = client.post("/api/validate", data=b"x" * 1_000_001, content_type="application/json")
    assert r.status_code == 413
    assert "MAX_CONTENT_LENGTH" in r.get_json()["error"] and "1000000" in r.get_json()["error"]


def test_a_real_client_sending_an_oversized_body_reads_the_413():
    """Over a real socket the server reads the refused body (bounded) before answering, so the
    client finishes sending and gets the 413 with its reason, not a broken pipe."""
    import urllib.error
    import urllib.request

    from support.server import live_server

    with live_server() as (url, _proc):
        for size in (1_000_001, 1_500_000, 4_000_000):
            req = urllib.request.Request(
                url + "/api/validate",
                data=b"x" * size,
                headers={"Content-Type": "application/json"},
            )
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(req, timeout=20)
            assert err.value.code == 413, size
            assert "MAX_CONTENT_LENGTH" in json.load(err.value)["error"]


def test_oversized_body_elsewhere_is_a_json_413_too():
    c = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 1000}).test_client()
    for path in ("/no/such/page", "/api/validate", "/"):
        r = c.post(path, data=b"x" * 2000)
        assert r.status_code == 413, path
        assert "MAX_CONTENT_LENGTH" in r.get_json()["error"] and "1000" in r.get_json()["error"]


def test_saves_have_their_own_body_limit(tmp_path):
    """A saved topology may carry a recording larger than MAX_CONTENT_LENGTH (SHARE_MAX_BYTES)."""
    app = create_app(
        {
            "TESTING": True,
            "MAX_CONTENT_LENGTH": 1000,
            "SHARE_MAX_BYTES": 5000,
            "STORAGE_PATH": str(tmp_path / "s.sqlite3"),
            "LEDGER_PATH": str(tmp_path / "ledger.sqlite3"),
        }
    )
    c = app.test_client()
    r = c.post("/api/topologies", data=b"x" * 2000)  # over 1000, under 5000: parsed, not a 413
    assert r.status_code == 400 and "JSON" in r.get_json()["error"]
    r = c.post("/api/topologies", data=b"x" * 6000)
    assert r.status_code == 413 and "SHARE_MAX_BYTES" in r.get_json()["error"]


def test_a_chunked_body_over_the_limit_is_refused_not_cut():
    import io

    c = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 1000}).test_client()
    body = b'{"version": 1, "nodes": [], "links": []}' + b" " * 3000
    r = c.post(
        "/api/validate",
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert r.status_code == 413 and "MAX_CONTENT_LENGTH" in r.get_json()["error"]


def test_security_headers_on_every_page(client):
    static = f"/static/{client.application.config['STATIC_HASH']}"
    for path in (
        "/",
        "/api/meta",
        "/api/presets",
        "/static/js/main.js",  # a redirect to the file's current URL
        f"{static}/js/main.js",  # served by WhiteNoise (app/web/assets.py)
        f"{static}/css/app.css",
        "/api/presets/nope",
        "/nope",
    ):
        r = client.get(path)
        h = r.headers
        csp = h["Content-Security-Policy"]
        for directive in (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ):
            assert directive in csp, (path, csp)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["X-Frame-Options"] == "DENY"
        assert h["Referrer-Policy"] and h["Permissions-Policy"]


def test_a_route_may_override_a_header():
    app = create_app({"TESTING": True})

    @app.get("/_custom")
    def custom():
        return "ok", 200, {"Referrer-Policy": "no-referrer", "Content-Security-Policy": "img-src *"}

    r = app.test_client().get("/_custom")
    assert r.headers["Referrer-Policy"] == "no-referrer"
    csp = r.headers["Content-Security-Policy"]
    assert "img-src *" in csp and "img-src 'self'" not in csp and "default-src 'self'" in csp


def test_debug_endpoint_only_when_enabled(client):
    assert client.get("/api/debug/resources").status_code == 404
    on = create_app({"TESTING": True, "DEBUG_RESOURCES": True}).test_client()
    body = on.get("/api/debug/resources").get_json()
    assert {"fds", "greenlets", "zmq_sockets", "runs", "sessions", "pid"} <= set(body)


def test_configured_topology_limits_reach_meta_and_validation():
    app = create_app({"TESTING": True, "MAX_NODES": 2, "MAX_HWM": 500, "MAX_MESSAGE_BYTES": 100})
    c = app.test_client()
    limits = c.get("/api/meta").get_json()["limits"]
    assert limits["max_nodes"] == 2 and limits["max_hwm"] == 500
    assert limits["max_message_bytes"] == 100
    doc = {
        "version": 1,
        "nodes": [
            {
                "id": f"n{i}",
                "kind": "sink",
                "sockets": [
                    {"name": "i", "type": "PULL", "mode": "bind", "options": {"rcvhwm": 501}}
                ],
                "behaviour": {"socket": "i"},
            }
            for i in range(3)
        ],
    }
    errors = c.post(
        "/api/validate", data=json.dumps(doc), content_type="application/json"
    ).get_json()["errors"]
    messages = " | ".join(e["message"] for e in errors)
    assert "3 nodes, at most 2 allowed" in messages
    assert "rcvhwm must be at most 500" in messages and "max_hwm" in messages
    assert {e["field"] for e in errors} >= {"nodes", "rcvhwm"}
