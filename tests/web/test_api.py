"""The JSON API: metadata, presets, validation; errors are JSON with the right status."""


def test_editor_page(client):
    r = client.get("/")
    assert r.status_code == 200 and b"<html" in r.data.lower()


def test_meta_has_the_pair_table(client):
    meta = client.get("/api/meta").get_json()
    assert meta["pairs"]["PUB"] == ["SUB", "XSUB"]
    assert set(meta["kinds"]) >= {"source", "replier", "worker", "sink"}


def test_presets_list_and_load(client):
    ids = [p["id"] for p in client.get("/api/presets").get_json()]
    assert {"reqrep-hello", "pubsub-weather", "pipeline"} <= set(ids)
    one = client.get("/api/presets/pipeline").get_json()
    assert one["topology"]["version"] == 1 and one["explain"]["ko"]


def test_unknown_preset_is_a_json_404(client):
    r = client.get("/api/presets/nope")
    assert r.status_code == 404 and "nope" in r.get_json()["error"]


def test_validate_names_node_socket_and_field(client):
    doc = {
        "version": 1,
        "nodes": [
            {
                "id": "a",
                "kind": "source",
                "sockets": [
                    {"name": "o", "type": "PUB", "mode": "bind", "options": {"sndhwm": -5}}
                ],
                "behaviour": {"socket": "o"},
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
    body = client.post("/api/validate", json=doc).get_json()
    assert body["ok"] is False
    by_field = {(e["node"], e["socket"], e["field"]) for e in body["errors"]}
    assert ("a", "o", "sndhwm") in by_field
    assert any("PULL talks only to PUSH, not PUB" in e["message"] for e in body["errors"])


def test_validate_survives_garbage(client):
    for body in (
        b"",
        b"{",
        b"[]",
        b"null",
        b'{"version": 99}',
        "\udcff".encode("utf-8", "surrogatepass"),
        b'{"nodes": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ):
        r = client.post("/api/validate", data=body, content_type="application/json")
        assert r.status_code == 200
        assert r.get_json()["ok"] is False and r.get_json()["errors"]


def test_request_body_limit_is_413(client):
    r = client.post("/api/validate", data=b"x" * 2_000_000, content_type="application/json")
    assert r.status_code == 413 and "error" in r.get_json()


def test_validate_adds_warnings_that_teach_to_a_valid_document(client):
    doc = {
        "version": 1,
        "nodes": [
            {
                "id": "a",
                "kind": "source",
                "sockets": [{"name": "o", "type": "PUB", "mode": "bind"}],
                "behaviour": {"socket": "o"},
            }
        ],
        "links": [],
    }
    body = client.post("/api/validate", json=doc).get_json()
    assert body["ok"] is True and body["errors"] == []
    codes = {w["code"]: w for w in body["warnings"]}
    assert set(codes) == {"unwired-node", "no-peer-drop"}
    assert (
        codes["no-peer-drop"]["socket"] == "o"
        and "drops every message" in (codes["no-peer-drop"]["message"])
    )
