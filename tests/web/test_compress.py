"""The editor's dynamic responses go out compressed and revalidate with a 304."""

from __future__ import annotations

import gzip
import json

import pytest

from app import create_app


@pytest.fixture
def client(tmp_path):
    app = create_app({"TESTING": True, "STORAGE_PATH": str(tmp_path / "t.sqlite3")})
    return app.test_client()


def test_api_meta_is_gzipped_when_accepted_and_identical_once_decoded(client):
    plain = client.get("/api/meta")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    packed = client.get("/api/meta", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = gzip.decompress(packed.get_data())
    assert json.loads(body) == plain.get_json()
    assert len(packed.get_data()) < len(body) / 4  # 40 KB of JSON compresses well


def test_a_returning_page_gets_304_for_unchanged_meta_and_presets(client):
    for url in ("/api/meta", "/api/presets"):
        first = client.get(url, headers={"Accept-Encoding": "gzip"})
        etag = first.headers["ETag"]
        again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
        assert again.status_code == 304 and again.get_data() == b""
        # the identity and gzip representations have different validators
        plain = client.get(url)
        assert plain.headers["ETag"] != etag


def test_the_editor_page_is_compressed_and_errors_are_left_alone(client):
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(page.get_data()).lower()
    missing = client.get("/api/presets/nope", headers={"Accept-Encoding": "gzip"})
    assert missing.status_code == 404 and "Content-Encoding" not in missing.headers
    assert missing.get_json()["error"]
