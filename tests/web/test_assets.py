"""Static files (app/web/assets.py): compressed, cached for good under content-addressed URLs,
pages revalidated, old URLs redirected to the current file."""

import gzip
import re
import shutil

import brotli
import pytest

from app import create_app
from app.web import assets

STATIC = assets.ROOT


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "STATIC_CACHE_DIR": str(tmp_path / "cache")})


@pytest.fixture
def client(app):
    return app.test_client()


def url(app, path):
    return f"/static/{app.config['STATIC_HASH']}/{path}"


@pytest.mark.parametrize(
    "accept, encoding, decode",
    [
        ("gzip, deflate, br, zstd", "br", brotli.decompress),  # what Chromium sends
        ("gzip", "gzip", gzip.decompress),
        ("", None, bytes),
    ],
)
def test_an_asset_is_compressed_as_the_browser_accepts(app, client, accept, encoding, decode):
    for path in ("js/main.js", "css/app.css", "i18n/ko.json", "vendor/d3.mjs"):
        r = client.get(url(app, path), headers={"Accept-Encoding": accept})
        assert r.status_code == 200, path
        assert r.headers.get("Content-Encoding") == encoding, path
        assert "Accept-Encoding" in r.headers["Vary"]
        assert decode(r.data) == (STATIC / path).read_bytes(), path
        if encoding:
            assert len(r.data) < 0.6 * (STATIC / path).stat().st_size, path


def test_an_asset_is_cached_for_good_and_revalidates(app, client):
    r = client.get(url(app, "js/main.js"), headers={"Accept-Encoding": "br"})
    assert r.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert r.headers["Content-Type"].startswith("text/javascript")
    again = client.get(
        url(app, "js/main.js"),
        headers={"Accept-Encoding": "br", "If-None-Match": r.headers["ETag"]},
    )
    assert again.status_code == 304 and again.data == b""


def test_an_asset_has_the_security_headers_of_every_response(app, client):
    h = client.get(url(app, "css/app.css")).headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert "script-src 'self'" in h["Content-Security-Policy"]
    assert "Access-Control-Allow-Origin" not in h


def test_pages_are_revalidated_and_name_only_current_urls(app, client):
    for page in ("/", "/embed", "/t/0000000000zz"):
        r = client.get(page)
        assert r.headers["Cache-Control"] == "no-cache", page
        refs = re.findall(r'(?:href|src)="(/static/[^"]+)"', r.get_data(as_text=True))
        assert refs, page
        for ref in refs:
            assert ref.startswith(url(app, "")), ref
            assert client.get(ref).status_code == 200, ref


def test_an_old_or_missing_hash_redirects_to_the_current_file(app, client):
    for old in ("/static/0123456789ab/js/main.js", "/static/js/main.js"):
        r = client.get(old)
        assert r.status_code == 302, old
        assert r.headers["Location"] == url(app, "js/main.js")
        assert r.headers["Cache-Control"] == "no-cache"
    for missing in (
        "/static/0123456789ab/js/nope.js",
        "/static/nope.js",
        "/static/0123456789ab/../app/config.py",
        "/static/%2e%2e/app/config.py",
    ):
        assert client.get(missing).status_code == 404, missing


def test_a_changed_file_changes_every_url_and_old_urls_lead_to_it(tmp_path, monkeypatch):
    tree = tmp_path / "static"
    shutil.copytree(STATIC, tree)
    monkeypatch.setattr(assets, "ROOT", tree)
    cache = str(tmp_path / "cache")
    before = create_app({"TESTING": True, "STATIC_CACHE_DIR": cache})
    (tree / "css" / "embed.css").write_text((tree / "css" / "embed.css").read_text() + "\n/**/")
    after = create_app({"TESTING": True, "STATIC_CACHE_DIR": cache})
    old, new = before.config["STATIC_HASH"], after.config["STATIC_HASH"]
    assert old != new
    c = after.test_client()
    # every file moved, not only the changed one: relative imports stay within one version
    r = c.get(f"/static/{old}/js/main.js")
    assert r.status_code == 302 and r.headers["Location"] == f"/static/{new}/js/main.js"
    assert c.get(f"/static/{new}/css/embed.css").data.endswith(b"/**/")
    # the page of the new version names the new URLs
    assert f"/static/{new}/css/app.css" in c.get("/").get_data(as_text=True)


def test_the_compressed_copy_is_made_once_per_version(tmp_path):
    first = assets.compressed_copy(STATIC, "v1", str(tmp_path))
    made = first.stat().st_mtime_ns
    assert (first / "js" / "main.js.br").is_file() and (first / "js" / "main.js.gz").is_file()
    assert (first / "i18n" / "en.json.br").is_file()
    again = assets.compressed_copy(STATIC, "v1", str(tmp_path))
    assert again == first and again.stat().st_mtime_ns == made
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no work dir left behind


def test_the_hash_covers_names_and_bytes(tmp_path):
    (tmp_path / "a.js").write_text("x")
    h1 = assets.tree_hash(tmp_path)
    (tmp_path / "a.js").rename(tmp_path / "b.js")
    h2 = assets.tree_hash(tmp_path)
    (tmp_path / "b.js").write_text("y")
    h3 = assets.tree_hash(tmp_path)
    assert len({h1, h2, h3}) == 3 and all(re.fullmatch(r"[0-9a-f]{12}", h) for h in (h1, h2, h3))
