"""Storage backends (app/storage): SQLite and a real PostgreSQL, the same contract for both."""

import json

import pytest
from share_helpers import preset_topology

from app.links import content_id
from app.storage import SQLiteStorage, StorageError, open_storage
from app.storage.postgres import PostgresStorage

ITEM = {"topology": preset_topology("pipeline")}


@pytest.fixture(params=["sqlite", "postgres"])
def make(request, tmp_path):
    """A factory of fresh backend instances on one database (a new instance = a restart).

    Every instance is closed after the test: a PostgreSQL pool left to the garbage collector was
    collected in one of its own worker threads, which cannot join itself (a warning in CI)."""
    made = []
    if request.param == "sqlite":
        path = str(tmp_path / "sub" / "items.sqlite3")
        opener = lambda: SQLiteStorage(path)  # noqa: E731
    else:
        url = request.getfixturevalue("pg_db")
        opener = lambda: PostgresStorage(url)  # noqa: E731

    def make_one():
        made.append(opener())
        return made[-1]

    yield make_one
    for store in made:
        store.close()


def test_save_then_load(make):
    store = make()
    item_id = store.save(ITEM)
    assert item_id == content_id(ITEM)
    assert store.load(item_id) == ITEM


def test_same_content_same_id_and_nothing_overwritten(make):
    store = make()
    a = store.save(ITEM)
    assert store.save(json.loads(json.dumps(ITEM))) == a
    other = {"topology": {**ITEM["topology"], "title": "edited"}}
    b = store.save(other)
    assert b != a
    assert store.load(a) == ITEM and store.load(b) == other


def test_document_unchanged_after_restart(make):
    item = {
        "topology": preset_topology("pubsub-weather"),
        "recording": {"note": "ünïcode ☃ 😀 한국어", "numbers": [1, 2.5, -0.0001, 10**15]},
    }
    item_id = make().save(item)
    again = make()  # a new instance, as after a server restart
    assert again.load(item_id) == item
    assert json.dumps(again.load(item_id), sort_keys=True) == json.dumps(item, sort_keys=True)


def test_unknown_and_malformed_ids(make):
    store = make()
    assert store.load("0000000000zz") is None
    for bad in ["", "nope", "'; DROP TABLE shared_items; --", "../x", "A" * 12]:
        assert store.load(bad) is None


def test_a_hash_prefix_collision_lengthens_the_id(make, monkeypatch):
    store = make()
    first = store.save(ITEM)
    import app.storage.base as base

    real = base.content_id
    monkeypatch.setattr(
        base, "content_id", lambda item, length=12: first if length == 12 else real(item, length)
    )
    other = {"topology": {**ITEM["topology"], "title": "collides"}}
    second = store.save(other)
    assert second != first and len(second) == 16
    assert store.load(first) == ITEM and store.load(second) == other


def test_open_storage_picks_the_backend(tmp_path, pg_db):
    for url, path, kind in (
        (None, "a.sqlite3", SQLiteStorage),
        (pg_db, "b.sqlite3", PostgresStorage),
    ):
        store = open_storage(url, str(tmp_path / path))
        assert isinstance(store, kind)
        store.close()


def test_unreachable_postgres_is_a_storage_error():
    from support.server import free_port

    store = PostgresStorage(
        f"postgresql://postgres@127.0.0.1:{free_port()}/postgres?connect_timeout=2"
    )
    with pytest.raises(StorageError):
        store.save(ITEM)
    store.close()
