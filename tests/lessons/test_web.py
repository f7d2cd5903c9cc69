"""The course's routes (app/web/lessons.py) through Flask's test client."""

from __future__ import annotations

import pytest

from app import create_app
from app.lessons import get_lesson, resolve_topology


@pytest.fixture
def client(tmp_path):
    app = create_app(
        {"TESTING": True, "STORAGE_PATH": str(tmp_path / "t.sqlite"), "DATABASE_URL": None}
    )
    return app.test_client()


def authored():
    step = get_lesson("pipeline")["steps"][0]
    out = {k: v for k, v in step.items() if k not in ("preset", "patch", "reference")}
    out["topology"] = resolve_topology(step)
    return out


def test_course_outline_and_lesson(client):
    outline = client.get("/api/lessons").get_json()["lessons"]
    assert [x["id"] for x in outline][:2] == ["reqrep", "pubsub"]
    lesson = client.get("/api/lessons/hwm").get_json()
    for step in lesson["steps"]:
        assert "topology" in step and "seconds" in step
        assert not {"reference", "solution", "preset", "patch"} & set(step)
    assert client.get("/api/lessons/nope").status_code == 404


def test_pages_and_friendly_404s(client):
    assert client.get("/learn").status_code == 200
    r = client.get("/learn/pipeline")
    assert r.status_code == 302 and r.headers["Location"].endswith("/learn/pipeline/task-4")
    page = client.get("/learn/pipeline/share")
    assert page.status_code == 200 and b'"step": "share"' in page.data
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    for bad in ("/learn/nope", "/learn/pipeline/nope", "/learn/s/zzzzzzzzzzzz"):
        r = client.get(bad)
        assert r.status_code == 404 and b"not-found" in r.data
    embed = client.get("/learn/embed/pipeline/share")
    assert embed.status_code == 200 and b"learn-embed" in embed.data
    assert embed.headers["Content-Security-Policy"].startswith("frame-ancestors *")
    assert "X-Frame-Options" not in embed.headers
    assert client.get("/learn/embed/pipeline/nope").status_code == 404


def test_save_an_authored_step(client):
    r = client.post("/api/lessons/steps", json=authored())
    assert r.status_code == 201
    body = r.get_json()
    assert body["url"].endswith(f"/learn/s/{body['id']}")
    assert body["embed"].endswith(f"/learn/embed/s/{body['id']}")
    again = client.post("/api/lessons/steps", json=authored()).get_json()
    assert again["id"] == body["id"]  # content-addressed
    got = client.get(f"/api/lessons/steps/{body['id']}").get_json()
    assert got["step"]["question"] == authored()["question"] and "reference" not in got["step"]
    assert client.get(f"/learn/s/{body['id']}").status_code == 200
    framed = client.get(f"/learn/embed/s/{body['id']}")
    assert (
        framed.status_code == 200
        and "frame-ancestors *" in framed.headers["Content-Security-Policy"]
    )
    assert client.get(f"/t/{body['id']}").status_code == 200  # the topology opens as a share
    assert client.get("/api/lessons/steps/zzzzzzzzzzzz").status_code == 404


def test_a_bad_authored_step_is_refused_naming_the_field(client):
    step = authored()
    step["question"]["options"][0]["when"] = {"cmp": [1, "~", 2]}
    r = client.post("/api/lessons/steps", json=step)
    assert r.status_code == 422
    errors = r.get_json()["errors"]
    assert errors[0]["field"] == "question.options[0].when.cmp[1]"
    assert errors[0]["message"].startswith("lesson authored, step task-4: ")
    r = client.post("/api/lessons/steps", data="{nope", content_type="application/json")
    assert r.status_code == 400 and "error" in r.get_json()
