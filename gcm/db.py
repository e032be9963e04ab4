"""Database setup: one engine per process, SQLite tuned for a multi-user server, migrations."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from gcm.config import load_config
from gcm.connection_check import ping_when_in_doubt
from gcm.fair_pool import FairQueuePool

try:
    import fcntl
except ImportError:  # not on this platform: processes meet at SQLite's busy handler instead
    fcntl = None  # type: ignore[assignment]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# This module owns both per-process caches: the engines, and which of them were prepared (migrated
# and loaded with reference data, see gcm.bootstrap), so clearing them never needs another import.
_engines: dict[str, Engine] = {}
_prepared: dict[tuple[str, str], Engine] = {}
_lock = threading.Lock()
_prepare_lock = threading.Lock()
BUSY_TIMEOUT_S = 15
# Connections a process keeps open to an SQLite file, and no more at once: each script run reads through its
# own connection. SQLAlchemy's default (5 kept, 10 more at once, each opened and closed) had a room of 35
# delegates pressing Save open and close a connection, and run its PRAGMAs, for most saves; keeping 20 took a
# save's CPU in a storm of saves from 1.84 to about 1.4 ms. More at once would hold more result sets in memory
# at the same time: after 35 simultaneous reads of a cycle's texts at global scale the process kept 270 MB with
# 20, 345–375 MB with 60 (BENCHMARKS.md, section 3).
SQLITE_POOL_SIZE = 20
SQLITE_POOL_OVERFLOW = 0
# The writers of each SQLite file within this process (see `_group_commit`), keyed by database URL.
_writers: dict[str, _Writers] = {}


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

    _explicit_begin(engine)
    _plain_savepoints(engine)


# Whether the transaction being begun on this thread takes SQLite's write lock at once (`_Batch`).
_immediate: ContextVar[bool] = ContextVar("sqlite_immediate", default=False)


def _explicit_begin(engine: Engine) -> None:
    """BEGIN sent by the dialect (pysqlite's own is switched off): BEGIN IMMEDIATE where `_immediate` is set.

    SQLAlchemy's recipe sends it from a "begin" event listener, but an engine with any connection event
    listener has SQLAlchemy dispatch events around every statement it runs: 10–15 % of a save's CPU in a storm
    of saves (BENCHMARKS.md, section 3). A failure is raised as SQLAlchemy raises the others, naming the SQL."""
    dialect = engine.dialect

    def do_begin(connection: Any) -> None:
        sql = "BEGIN IMMEDIATE" if _immediate.get() else "BEGIN"
        try:
            connection.dbapi_connection.execute(sql)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, None, exc, sqlite3.Error, dialect=dialect) from exc

    dialect.do_begin = do_begin  # type: ignore[method-assign]


def _plain_savepoints(engine: Engine) -> None:
    """Savepoints sent straight to the driver. SQLAlchemy compiles each SAVEPOINT, RELEASE and ROLLBACK TO
    afresh and runs it through its whole statement path; a burst of saves sharing one transaction
    (`_group_commit`) takes a savepoint for each save but the first. The names are SQLAlchemy's own; a driver
    error is raised as SQLAlchemy raises the others (`sqlalchemy.exc.DBAPIError`)."""
    dialect = engine.dialect

    def run(connection: Connection, sql: str) -> None:
        try:
            connection.connection.dbapi_connection.execute(sql)  # type: ignore[union-attr]
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, None, exc, sqlite3.Error, dialect=dialect) from exc

    dialect.do_savepoint = lambda connection, name: run(connection, f"SAVEPOINT {name}")  # type: ignore[method-assign]
    dialect.do_release_savepoint = lambda connection, name: run(connection, f"RELEASE SAVEPOINT {name}")  # type: ignore[method-assign]
    dialect.do_rollback_to_savepoint = lambda connection, name: run(  # type: ignore[method-assign]
        connection, f"ROLLBACK TO SAVEPOINT {name}"
    )


# Connections a process keeps open to PostgreSQL, and no more at once (`GCM_DATABASE_CONNECTIONS`, 8 by default).
# All are kept: opening more under load had every burst of saves start new server processes, which had planned none
# of a save's statements yet. Not more: PostgreSQL runs a server process per connection, and on two cores a room of
# 35 saving at once from two app processes was slowest with 15 each and fastest with 5–8 (BENCHMARKS.md, section 3).
def pool_size() -> int:
    """How many connections a process keeps open to PostgreSQL, and no more at once (`GCM_DATABASE_CONNECTIONS`)."""
    return load_config().database_connections


def create_db_engine(url: str) -> Engine:
    """Build an engine for `url`; an SQLite file's folder is created if missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        on_disk = bool(parsed.database) and parsed.database != ":memory:"
        if on_disk:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        pool = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": SQLITE_POOL_OVERFLOW} if on_disk else {}
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}, **pool)
        _tune_sqlite(engine)
        return engine
    engine = create_engine(url, poolclass=FairQueuePool, pool_size=pool_size(), max_overflow=0)
    ping_when_in_doubt(engine)
    return engine


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
        for writers in _writers.values():
            writers.turn.close()
        _writers.clear()


def alembic_config(connection: Connection) -> AlembicConfig:
    """Alembic's configuration of this project's migrations, run on `connection`."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Apply every Alembic migration up to the latest (idempotent).

    On SQLite, foreign keys are switched off while migrating (outside the transaction, where
    SQLite honours it), so a migration that rebuilds a table never fails on existing rows.
    """
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), "head")
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reads; nothing it does is committed."""
    with Session(engine) as session:
        yield session


# Group commit on SQLite: the saves of several threads share one transaction, each in its own savepoint, and
# one commit (one fsync under synchronous=FULL) makes them all durable. A batch is committed by the writer that
# finds nobody queued behind it, or once it holds GROUP_MAX saves or has been open GROUP_MAX_S.
GROUP_MAX = 64
GROUP_MAX_S = 0.02


class _ProcessTurn:
    """Whose turn it is among the processes writing one SQLite file: an advisory lock on a file beside it.

    Without it a second process meets the write lock at BEGIN IMMEDIATE, where SQLite's busy handler
    sleeps 1, 2, 5, 10 … ms between tries; this lock is tried every half millisecond instead. The
    kernel drops it if a process dies. Not used where fcntl is missing or for an in-memory database.
    """

    POLL_S = 0.0005

    def __init__(self, database: str | None) -> None:
        self.fd: int | None = None
        if fcntl is not None and database and database != ":memory:":
            self.fd = os.open(f"{database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self) -> None:
        if self.fd is None:
            return
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return  # go on to BEGIN IMMEDIATE and its busy timeout, as without this lock
                time.sleep(self.POLL_S)

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class _Batch:
    """One open write transaction that queued writers join, and what its commit did."""

    def __init__(self, engine: Engine, turn: _ProcessTurn) -> None:
        turn.acquire()
        self.turn = turn
        try:
            self.connection = engine.connect()
        except BaseException:
            turn.release()
            raise
        try:
            token = _immediate.set(True)
            try:
                self.transaction = self.connection.begin()  # BEGIN IMMEDIATE: the database's write lock
            finally:
                _immediate.reset(token)
        except BaseException:
            self.connection.close()
            turn.release()
            raise
        self.opened = time.monotonic()
        self.members = 0
        self.committed = threading.Event()
        self.error: BaseException | None = None

    def commit(self) -> None:
        try:
            self.transaction.commit()
        except BaseException as exc:  # every member is told: none of their saves is durable
            self.error = exc
            self.connection.invalidate()  # whatever state it was left in, the connection is not reused
        finally:
            self.connection.close()
            self.turn.release()
            self.committed.set()

    def abandon(self) -> None:
        """Its only member failed: roll back and close (nobody waits on it)."""
        try:
            if self.transaction.is_active:  # the member's session may have rolled it back already
                self.transaction.rollback()
        except BaseException:
            self.connection.invalidate()
            raise
        finally:
            self.connection.close()
            self.turn.release()


class _Writers:
    """A process's writers to one SQLite file: they queue on `lock` and join the open batch in turn."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.turn = _ProcessTurn(engine.url.database)
        self.lock = threading.Lock()
        self.count_lock = threading.Lock()
        self.queued = 0
        self.batch: _Batch | None = None
        self.local = threading.local()  # .inside: this thread is running its body in the batch

    def due(self, batch: _Batch) -> bool:
        with self.count_lock:
            nobody_queued = self.queued == 0
        return nobody_queued or batch.members >= GROUP_MAX or time.monotonic() - batch.opened >= GROUP_MAX_S


def _writers_for(engine: Engine) -> _Writers:
    key = str(engine.url)
    with _lock:
        if key not in _writers:
            _writers[key] = _Writers(engine)
        return _writers[key]


@contextmanager
def _group_commit(engine: Engine) -> Iterator[Session]:
    """A write session on SQLite that commits together with the writers queued behind it (see GROUP_MAX).

    Writers wait on a Python lock, not SQLite's busy handler (which sleeps in growing steps and wakes in no
    order: under a burst the unluckiest writer waited seconds). The body runs in a savepoint of the shared
    transaction: if it fails, only its own writes are undone; the writer returns only once the transaction
    is committed, and fails if that commit fails. A write session opened inside another in the same thread
    is a savepoint of the same transaction. Processes writing the same file take turns (`_ProcessTurn`).
    """
    writers = _writers_for(engine)
    if getattr(writers.local, "inside", False):
        with _joined_session(writers.batch.connection, savepoint=True) as session:  # type: ignore[union-attr]
            yield session
        return
    with writers.count_lock:
        writers.queued += 1
    acquired = writers.lock.acquire(timeout=BUSY_TIMEOUT_S)
    with writers.count_lock:
        writers.queued -= 1
    if not acquired:
        raise TimeoutError(f"no turn to write within {BUSY_TIMEOUT_S} s")
    failure: BaseException | None = None
    try:
        if writers.batch is None:
            writers.batch = _Batch(writers.engine, writers.turn)
        batch = writers.batch
        first = batch.members == 0  # alone in the transaction: no savepoint needed, a failure rolls it all back
        writers.local.inside = True
        try:
            with _joined_session(batch.connection, savepoint=not first) as session:
                yield session
            batch.members += 1
        except BaseException as exc:
            failure = exc
        finally:
            writers.local.inside = False
        if failure is not None and first:
            writers.batch = None
            batch.abandon()
        elif writers.due(batch):
            writers.batch = None
            batch.commit()
    finally:
        writers.lock.release()
    if failure is not None:
        raise failure
    batch.committed.wait()
    if batch.error is not None:
        raise batch.error


@contextmanager
def _joined_session(connection: Connection, savepoint: bool) -> Iterator[Session]:
    """A session in `connection`'s transaction, which it never commits; with `savepoint`, its work is in a
    savepoint (committing the session releases it, an error rolls back to it); else an error rolls back
    the whole transaction."""
    mode = "create_savepoint" if savepoint else "rollback_only"
    with Session(connection, join_transaction_mode=mode, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose single transaction commits on success and rolls back on any error.

    On SQLite the transaction may be shared with other threads' write sessions (group commit, see
    `_group_commit`): the session's own work is still all or nothing, and it returns once durable.
    """
    if engine.dialect.name != "sqlite":  # PostgreSQL commits concurrent writers on its own
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
        return
    with _group_commit(engine) as session:
        yield session
