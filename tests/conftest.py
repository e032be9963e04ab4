"""Shared fixtures: a fresh database per test (SQLite file, and PostgreSQL when configured)."""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from streamlit.components.v2 import manifest_scanner

from gcm.bootstrap import prepare_database, reference_for
from gcm.config import ROOT, load_config
from gcm.db import dispose_engines
from gcm.reference import Reference

PG_ENV = "GCM_TEST_DATABASE_URL"
REQUIRE_ENV = "GCM_REQUIRE_ALL_TESTS"

# Every new AppTest scans the metadata of every installed package for Streamlit components (0.35 s with this
# project's test dependencies on a 2-core machine, more than most pages' tests take): the packages do not change
# while the tests run, so they are scanned once. The app uses no such component.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


def skip_or_fail(reason: str) -> None:
    """Skip locally; in CI (GCM_REQUIRE_ALL_TESTS=1) a missing prerequisite is a failure."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} (required because {REQUIRE_ENV}=1)")
    pytest.skip(reason)


@pytest.fixture
def ref() -> Reference:
    return reference_for(str(ROOT / "data"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gcm.sqlite'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        skip_or_fail(f"{PG_ENV} is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("GCM_DATABASE_URL", db_url)
    yield prepare_database(load_config())
    dispose_engines()


@pytest.fixture
def sqlite_engine(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("GCM_DATABASE_URL", sqlite_url)
    yield prepare_database(load_config())
    dispose_engines()
