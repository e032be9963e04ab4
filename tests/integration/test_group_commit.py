"""Group commit on SQLite: writers queued behind each other share one commit, and each stays all or nothing."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.exc import OperationalError

from gcm import db, models
from gcm.db import read_session, write_session


def _stored(engine: Engine) -> set[str]:
    with read_session(engine) as session:
        return set(session.scalars(select(models.AppSetting.key).where(models.AppSetting.key.startswith("w-"))))


def _commits(engine: Engine) -> list[int]:
    counted: list[int] = []
    event.listen(engine, "commit", lambda _connection: counted.append(1))
    return counted


def _three_writers(engine: Engine, body: Callable[[str], None]) -> dict[str, BaseException | None]:
    """Writer A holds its turn until B and C are queued behind it, so all three join A's transaction."""
    writers = db._writers_for(engine)
    outcome: dict[str, BaseException | None] = {}

    def write(name: str) -> None:
        try:
            with write_session(engine) as session:
                session.add(models.AppSetting(key=f"w-{name}", value=name))
                session.flush()
                if name == "a":
                    deadline = time.monotonic() + 5
                    while writers.queued < 2 and time.monotonic() < deadline:
                        time.sleep(0.001)
                body(name)
            outcome[name] = None
        except BaseException as exc:  # recorded for the assertions
            outcome[name] = exc

    first = threading.Thread(target=write, args=("a",))
    first.start()
    while not writers.lock.locked():
        time.sleep(0.001)
    others = [threading.Thread(target=write, args=(n,)) for n in ("b", "c")]
    for t in others:
        t.start()
    for t in (first, *others):
        t.join(10)
    return outcome


def _can_write(engine: Engine) -> bool:
    """Whether a second connection, not waiting, can take the write lock of `engine`'s SQLite file now."""
    other = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    return sqlite_engine


def test_writers_queued_together_share_one_commit(engine: Engine) -> None:
    commits = _commits(engine)
    outcome = _three_writers(engine, lambda _name: None)
    assert outcome == {"a": None, "b": None, "c": None}
    assert _stored(engine) == {"w-a", "w-b", "w-c"}
    assert len(commits) == 1


def test_a_writer_that_fails_undoes_only_its_own_writes(engine: Engine) -> None:
    def body(name: str) -> None:
        if name == "b":
            raise ValueError("b fails after writing")

    outcome = _three_writers(engine, body)
    assert isinstance(outcome["b"], ValueError)
    assert outcome["a"] is None and outcome["c"] is None
    assert _stored(engine) == {"w-a", "w-c"}


def test_the_first_writer_failing_leaves_the_next_writers_unharmed(engine: Engine) -> None:
    def body(name: str) -> None:
        if name == "a":
            raise ValueError("a fails")

    outcome = _three_writers(engine, body)
    assert isinstance(outcome["a"], ValueError)
    assert outcome["b"] is None and outcome["c"] is None
    assert _stored(engine) == {"w-b", "w-c"}


def test_a_failed_commit_fails_every_writer_of_the_transaction(engine: Engine) -> None:
    failed = []

    def refuse(_connection) -> None:
        if not failed:
            failed.append(1)
            raise OSError("disk full")

    event.listen(engine, "commit", refuse)
    outcome = _three_writers(engine, lambda _name: None)
    assert all(isinstance(outcome[n], OSError) for n in "abc"), outcome
    assert _stored(engine) == set()
    with write_session(engine) as session:  # the next writer starts a new transaction
        session.add(models.AppSetting(key="w-d", value="d"))
    assert _stored(engine) == {"w-d"}


def _put(session, key: str) -> None:
    session.add(models.AppSetting(key=key, value="1"))
    session.flush()


def test_a_write_session_inside_another_is_part_of_it(engine: Engine) -> None:
    """Three levels of savepoints (sent to SQLite's driver by `gcm.db._plain_savepoints`): the innermost fails and
    is caught, then the middle one fails; the outer one keeps its own writes and those of a later inner one."""
    with write_session(engine) as outer:
        _put(outer, "w-outer")
        with pytest.raises(KeyError), write_session(engine) as middle:
            _put(middle, "w-middle")
            with pytest.raises(ValueError), write_session(engine) as inner:
                _put(inner, "w-undone")
                raise ValueError("inner fails")
            _put(middle, "w-middle-2")
            raise KeyError("middle fails after its inner one")
        with write_session(engine) as inner:
            _put(inner, "w-inner")
    assert _stored(engine) == {"w-outer", "w-inner"}


def test_a_writer_returns_only_once_its_save_is_durable(engine: Engine) -> None:
    """A reader in another connection sees the write as soon as write_session has returned."""
    seen = []
    for n in range(20):
        with write_session(engine) as session:
            session.add(models.AppSetting(key=f"w-{n}", value=str(n)))
        seen.append(f"w-{n}" in _stored(engine))
    assert all(seen)


def test_a_room_of_readers_reuses_its_connections(engine: Engine) -> None:
    """As many script runs as the pool keeps, reading at once, then again: the second burst opens no connection
    (each new SQLite connection runs its PRAGMAs: in a storm of saves, most of them opened one)."""
    opened: list[int] = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    for burst in range(2):
        with contextlib.ExitStack() as stack:  # every reader holds its connection at once
            for _ in range(db.SQLITE_POOL_SIZE):
                stack.enter_context(read_session(engine)).scalar(select(models.AppSetting.key).limit(1))
        if not burst:
            first = len(opened)
    assert first <= db.SQLITE_POOL_SIZE and len(opened) == first


def test_a_write_session_holds_the_write_lock_from_its_start_and_a_read_does_not(engine: Engine) -> None:
    """A write session begins with BEGIN IMMEDIATE (a read then write cannot fail half-way with "database is
    locked"); a read session takes no lock. Seen from a second connection that may not wait."""

    def can_write() -> bool:
        return _can_write(engine)

    with read_session(engine) as session:
        session.scalar(select(models.AppSetting.key).limit(1))
        assert session.connection().exec_driver_sql("SELECT 1").scalar() == 1
        assert can_write()
    with write_session(engine) as session:
        session.connection()  # the transaction has begun; nothing written yet
        assert not can_write()
    assert can_write()


def test_a_write_that_cannot_take_the_write_lock_fails_cleanly(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program holds SQLite's write lock past the busy timeout: the save fails with SQLAlchemy's error
    naming BEGIN IMMEDIATE, and leaves nothing held, so the next save and the next read go through."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.2)
    url = engine.url.render_as_string(hide_password=False)
    quick = db.create_db_engine(url)  # its connections wait 0.2 s for a lock
    monkeypatch.delitem(db._writers, url, raising=False)  # this test's writers use it
    holder = sqlite3.connect(engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError) as failed, write_session(quick) as session:
            session.add(models.AppSetting(key="w-blocked", value="x"))
        assert failed.value.statement == "BEGIN IMMEDIATE"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    writers = db._writers_for(quick)
    assert writers.batch is None and not writers.lock.locked()
    with write_session(quick) as session:
        session.add(models.AppSetting(key="w-after", value="x"))
    assert _stored(quick) == {"w-after"}
    with read_session(quick) as session:  # a read after the failure begins plainly, without the write lock
        session.scalar(select(models.AppSetting.key).limit(1))
        assert session.connection().connection.dbapi_connection.in_transaction and _can_write(quick)
    quick.dispose()
