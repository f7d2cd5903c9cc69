"""The share routes (app/web/share.py, framing.py, export.py) through Flask and real servers."""

import json
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from share_helpers import preset_topology
from support.server import live_server

from app.links import encode_state

PIPELINE = preset_topology("pipeline")


def save(client, body):
    r = client.post("/api/topologies", json=body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def recording(events=None):
    return {
        "version": 1,
        "libzmq": "4.3.5",
        "pyzmq": "27.3.0",
        "speed": 1.0,
        "duration_ms": 50.0,
        "truncated": False,
        "started": {"run": "r1"},
        "events": events
        or [
            {"ev": "sent", "t": 1.0, "node": "a", "socket": "o", "msg": "1"},
            {"ev": "stats", "t": 40.0, "links": {"l1": {"delivered": 1}}},
        ],
        "stopped": {"reason": "user", "totals": {}},
    }


def test_save_and_load_round_trip(client):
    out = save(client, {"topology": PIPELINE})
    assert out["url"].endswith(f"/t/{out['id']}") and out["embed"].endswith(f"/embed/{out['id']}")
    assert out["full"].split("/", 3)[3].startswith("#v=1&t=")
    got = client.get(f"/api/topologies/{out['id']}").get_json()
    assert got["id"] == out["id"]
    assert got["topology"] == {k: v for k, v in PIPELINE.items() if k != "view"}


def test_a_bare_topology_saves_to_the_same_id(client):
    assert save(client, PIPELINE)["id"] == save(client, {"topology": PIPELINE})["id"]


def test_editing_makes_a_new_id_and_the_old_one_stays(client):
    a = save(client, PIPELINE)["id"]
    edited = json.loads(json.dumps(PIPELINE))
    edited["nodes"][0]["behaviour"]["interval_ms"] = 100
    b = save(client, edited)["id"]
    assert a != b
    assert (
        client.get(f"/api/topologies/{a}").get_json()["topology"]["nodes"][0]["behaviour"][
            "interval_ms"
        ]
        == 300
    )


def test_recording_saved_with_its_topology(client):
    out = save(client, {"topology": PIPELINE, "recording": recording()})
    assert out["recording"] is True and out["id"] != save(client, PIPELINE)["id"]
    got = client.get(f"/api/topologies/{out['id']}").get_json()
    assert got["recording"]["libzmq"] == "4.3.5" and len(got["recording"]["events"]) == 2


@pytest.mark.parametrize(
    "body, status, words",
    [
        ({"version": 1, "nodes": []}, 422, "problem"),
        ({"topology": PIPELINE, "extra": 1}, 400, "extra"),
        ({"topology": PIPELINE, "recording": {"version": 1}}, 422, "recording"),
        (
            {
                "topology": PIPELINE,
                "recording": recording([{"ev": "sent", "t": 5}, {"ev": "sent", "t": 1}]),
            },
            422,
            "time order",
        ),
    ],
)
def test_refusals_are_json(client, body, status, words):
    r = client.post("/api/topologies", json=body)
    assert r.status_code == status and words in r.get_json()["error"]


def test_garbage_bodies_are_json_400s(client):
    for body in (b"", b"{", b"null", b"\xff\xfe"):
        r = client.post("/api/topologies", data=body, content_type="application/json")
        assert r.status_code in (400, 422) and "error" in r.get_json()


def test_unknown_ids_are_friendly_404s_never_500s(client):
    for path in (
        "/t/0000000000zz",
        "/t/nope",
        "/t/%00",
        "/embed/0000000000zz",
        "/embed/..%2F..%2Fx",
    ):
        r = client.get(path)
        assert r.status_code == 404, path
        assert b"isn't here" in r.data and b"<html" in r.data
    r = client.get("/api/topologies/0000000000zz")
    assert r.status_code == 404 and "0000000000zz" in r.get_json()["error"]
    assert client.get("/badge/0000000000zz.svg").status_code == 404


def test_topology_page_inlines_the_item_and_advertises_oembed(client):
    out = save(client, {"topology": PIPELINE, "recording": recording()})
    html = client.get(f"/t/{out['id']}").get_data(as_text=True)
    assert 'type="application/json+oembed"' in html
    assert quote(f"http://localhost/t/{out['id']}", safe="") in html
    assert 'id="zpg-shared"' in html and "Pipeline" in html and '"libzmq"' in html


def test_embed_routes_may_be_framed_and_nothing_else(client):
    out = save(client, PIPELINE)
    for path in (f"/embed/{out['id']}", "/embed", "/embed/0000000000zz"):
        r = client.get(path)
        csp = r.headers["Content-Security-Policy"]  # app/web/headers.py may add other directives
        assert "frame-ancestors *" in csp and "frame-ancestors 'none'" not in csp, path
        assert "X-Frame-Options" not in r.headers
    for path in (
        "/",
        f"/t/{out['id']}",
        "/api/meta",
        f"/api/topologies/{out['id']}",
        f"/badge/{out['id']}.svg",
        "/oembed?url=x",
        "/t/0000000000zz",
    ):
        r = client.get(path)
        assert r.headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"], path


def test_oembed_for_short_links_embeds_and_full_links(client):
    out = save(client, PIPELINE)
    for url in (out["url"], out["embed"], f"https://elsewhere.example/t/{out['id']}"):
        body = client.get(f"/oembed?url={quote(url, safe='')}&format=json").get_json()
        assert body["type"] == "rich" and body["version"] == "1.0"
        assert f'src="http://localhost/embed/{out["id"]}"' in body["html"]
        assert (
            body["width"] == 800 and body["height"] == 450 and body["title"].startswith("Pipeline")
        )
        assert body["thumbnail_url"].endswith(f"/badge/{out['id']}.svg")
    full = "http://localhost/" + encode_state(PIPELINE)
    body = client.get(f"/oembed?url={quote(full, safe='')}&maxwidth=500&maxheight=300").get_json()
    assert (
        'src="http://localhost/embed#v=1&amp;t=' in body["html"]
        or 'src="http://localhost/embed#v=1&t=' in body["html"]
    )
    assert (body["width"], body["height"]) == (500, 300)


def test_oembed_errors(client):
    out = save(client, PIPELINE)
    r = client.get(f"/oembed?url={quote(out['url'], safe='')}&format=xml")
    assert r.status_code == 501 and "json" in r.get_json()["error"]
    for url in (
        "http://localhost/t/0000000000zz",
        "http://localhost/nothing",
        "http://localhost/#t=junk",
    ):
        assert client.get(f"/oembed?url={quote(url, safe='')}").status_code == 404, url
    assert client.get("/oembed").status_code == 400


def test_badge_is_an_svg_picture_of_the_topology(client):
    out = save(client, PIPELINE)
    r = client.get(f"/badge/{out['id']}.svg")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    svg = r.get_data(as_text=True)
    assert svg.startswith("<svg") and "Ventilator" in svg and "Worker 3" in svg
    assert "immutable" in r.headers["Cache-Control"]


def test_python_export_endpoint(client):
    r = client.post("/api/export/python", json=PIPELINE)
    assert r.status_code == 200 and r.mimetype == "text/x-python"
    assert 'filename="pipeline-ventilator-workers-sink.py"' in r.headers["Content-Disposition"]
    compile(r.get_data(as_text=True), "exported.py", "exec")
    bad = client.post("/api/export/python", json={"version": 1, "nodes": []})
    assert bad.status_code == 422 and bad.get_json()["errors"]


def _http(url, data=None):
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_saved_topology_survives_a_server_restart(backend, tmp_path, request):
    env = {"STORAGE_PATH": str(tmp_path / "restart.sqlite3"), "DATABASE_URL": ""}
    if backend == "postgres":
        env["DATABASE_URL"] = request.getfixturevalue("pg_db")
    body = json.dumps({"topology": PIPELINE, "recording": recording()}).encode()
    with live_server(env) as (url, _proc):
        status, out = _http(url + "/api/topologies", body)
        assert status == 201
        _, first = _http(f"{url}/api/topologies/{out['id']}")
    with live_server(env) as (url, _proc):  # a new process: nothing cached survives
        status, again = _http(f"{url}/api/topologies/{out['id']}")
        assert status == 200 and again == first
        status, missing = _http(f"{url}/api/topologies/0000000000zz")
        assert status == 404 and "error" in missing
