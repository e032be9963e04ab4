"""Database setup: one engine per process, SQLite tuned for a multi-user server, migrations."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# This module owns both per-process caches: the engines, and which of them were prepared (migrated
# and loaded with reference data, see gcm.bootstrap), so clearing them never needs another import.
_engines: dict[str, Engine] = {}
_prepared: dict[tuple[str, str], Engine] = {}
_lock = threading.Lock()
_prepare_lock = threading.Lock()
BUSY_TIMEOUT_S = 15
# One writer at a time per SQLite file within a process (see `_one_writer`), keyed by database URL.
_writers: dict[str, threading.RLock] = {}


def _tune_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for write transactions.

    pysqlite's own transaction handling is switched off (SQLAlchemy's documented recipe) so
    that we emit BEGIN ourselves: a write session begins with BEGIN IMMEDIATE and takes the
    write lock up front, so a read-then-write transaction cannot fail half-way with
    "database is locked".
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_db_engine(url: str) -> Engine:
    """Build an engine for `url`; an SQLite file's folder is created if missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})
        _tune_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def get_engine(url: str) -> Engine:
    """The process-wide engine for `url` (created once)."""
    with _lock:
        if url not in _engines:
            _engines[url] = create_db_engine(url)
        return _engines[url]


def prepared_engine(url: str, key: str, prepare: Callable[[Engine], None]) -> Engine:
    """The engine for `url`, on which `prepare(engine)` has run once per process for `key`."""
    with _prepare_lock:
        if (url, key) not in _prepared:
            engine = get_engine(url)
            prepare(engine)
            _prepared[(url, key)] = engine
        return _prepared[(url, key)]


def forget_prepared() -> None:
    """Make the next `prepared_engine` call prepare again (the engines stay open)."""
    with _prepare_lock:
        _prepared.clear()


def dispose_engines() -> None:
    """Close every engine (tests, CLI shutdown); the record of prepared engines goes too."""
    forget_prepared()
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def migrate(engine: Engine) -> None:
    """Apply every Alembic migration up to the latest (idempotent).

    On SQLite, foreign keys are switched off while migrating (outside the transaction, where
    SQLite honours it), so a migration that rebuilds a table never fails on existing rows.
    """
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reads; nothing it does is committed."""
    with Session(engine) as session:
        yield session


@contextmanager
def _one_writer(engine: Engine) -> Iterator[None]:
    """Queue this process's SQLite writers on a lock before BEGIN IMMEDIATE.

    A writer that finds the write lock taken is left to SQLite's busy handler, which sleeps in
    growing steps (up to 100 ms) and wakes in no order: under a burst of saves most of the wait was
    that sleep, and the unluckiest writer waited seconds. Waiting on a Python lock instead wakes the
    next writer as soon as the previous one commits. Writers in other processes still meet at
    BEGIN IMMEDIATE and its busy timeout. Re-entrant, so a write session opened inside another (in
    the same thread) behaves as before; after the busy timeout the writer goes on to SQLite as before.
    """
    key = str(engine.url)
    with _lock:
        lock = _writers.setdefault(key, threading.RLock())
    acquired = lock.acquire(timeout=BUSY_TIMEOUT_S)
    try:
        yield
    finally:
        if acquired:
            lock.release()


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose single transaction commits on success and rolls back on any error."""
    if engine.dialect.name != "sqlite":
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
        return
    bind = engine.execution_options(sqlite_immediate=True)
    with _one_writer(engine), Session(bind, expire_on_commit=False) as session, session.begin():
        yield session
