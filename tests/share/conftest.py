"""Fixtures for the share tests: an app on a temp SQLite file, and a real PostgreSQL server."""

import pytest
from support.postgres import private_postgres

from app import create_app


@pytest.fixture
def sqlite_path(tmp_path):
    return str(tmp_path / "share.sqlite3")


@pytest.fixture
def app(sqlite_path):
    return create_app({"TESTING": True, "STORAGE_PATH": sqlite_path, "DATABASE_URL": None})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def pg_url():
    """A real PostgreSQL (started here, or TEST_DATABASE_URL); failing to start fails the test."""
    with private_postgres() as url:
        yield url


@pytest.fixture
def pg_db(pg_url):
    """pg_url with an empty shared_items table."""
    import psycopg

    with psycopg.connect(pg_url) as db:
        db.execute("DROP TABLE IF EXISTS shared_items")
    return pg_url
