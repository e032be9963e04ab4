"""The PostgreSQL engine's pool serves threads in the order they asked, so no save waits behind others' retries."""

from __future__ import annotations

import gc
import sqlite3
import threading
import time

import pytest
from sqlalchemy import exc

from gcm import fair_pool
from gcm.db import create_db_engine
from gcm.fair_pool import FairQueuePool


def _pool(size: int = 1, timeout: float = 10, overflow: int = 0) -> FairQueuePool:
    return FairQueuePool(
        lambda: sqlite3.connect(":memory:", check_same_thread=False),
        pool_size=size,
        max_overflow=overflow,
        timeout=timeout,
    )


def _until(condition, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def _waiter_with(event: type[threading.Event]) -> type:
    """The pool's waiter, waiting on `event` (a subclass of threading.Event that misbehaves)."""

    class Waiter(fair_pool._Waiter):
        __slots__ = ()

        def __init__(self) -> None:
            super().__init__()
            self.given = event()

    return Waiter


def _run_all(threads: list[threading.Thread], seconds: float = 5) -> None:
    """Start the threads together and wait for each to end."""
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds)


def test_a_thread_that_returns_a_connection_and_asks_again_waits_behind_those_already_waiting() -> None:
    pool = _pool()
    held = pool.connect()
    order: list[str] = []

    def take(name: str) -> None:
        connection = pool.connect()
        order.append(name)
        connection.close()

    threads = []
    for number, name in enumerate("BCD", start=1):
        threads.append(threading.Thread(target=take, args=(name,)))
        threads[-1].start()
        _until(lambda n=number: len(pool._line) == n)  # each in line before the next asks
    held.close()
    again = pool.connect()  # stock QueuePool gives it straight back to this thread
    order.append("A")
    again.close()
    for thread in threads:
        thread.join(5)
    assert order == ["B", "C", "D", "A"]
    assert not pool._line


def test_a_thread_that_waits_too_long_gets_a_timeout_and_leaves_the_line() -> None:
    pool = _pool(timeout=0.2)
    held = pool.connect()
    errors: list[BaseException] = []

    def take() -> None:
        try:
            pool.connect()
        except exc.TimeoutError as error:
            errors.append(error)

    _run_all([threading.Thread(target=take) for _ in range(2)])
    assert len(errors) == 2 and not pool._line
    held.close()
    pool.connect().close()  # the pool still serves the next thread


@pytest.mark.parametrize(("size", "overflow"), [(3, 0), (2, 2)])
def test_threads_share_a_pool_without_losing_a_connection(size: int, overflow: int) -> None:
    pool = _pool(size=size, overflow=overflow)
    start = threading.Barrier(8)
    done = []

    def work() -> None:
        start.wait()
        for _ in range(30):
            connection = pool.connect()
            connection.cursor().execute("select 1")
            time.sleep(0.001)  # held a moment, so that threads overlap and some wait in line
            connection.close()
        done.append(True)

    threads = [threading.Thread(target=work) for _ in range(8)]
    _run_all(threads, seconds=30)
    assert len(done) == 8 and not any(t.is_alive() for t in threads)
    assert not pool._line and pool.checkedout() == 0
    assert pool.checkedin() <= size  # connections beyond the pool's size were closed once nobody waited


@pytest.mark.parametrize("failures", [1, 2])
def test_room_left_by_a_connection_that_failed_to_open_goes_to_the_thread_in_line(failures: int) -> None:
    """The database is briefly away: connections fail to open while other threads wait; each failure leaves
    its room to the next in line, and the first attempt after the database is back succeeds."""
    opened = []

    def creator() -> sqlite3.Connection:
        opened.append(1)
        if len(opened) <= failures:
            time.sleep(0.2)
            raise sqlite3.OperationalError("the database is restarting")
        return sqlite3.connect(":memory:", check_same_thread=False)

    pool = FairQueuePool(creator, pool_size=1, max_overflow=0, timeout=5)
    outcome: dict[int, str] = {}

    def take(number: int) -> None:
        try:
            pool.connect().close()
            outcome[number] = "connected"
        except sqlite3.OperationalError:
            outcome[number] = "failed"

    threads = [threading.Thread(target=take, args=(0,))]
    threads[0].start()
    _until(lambda: len(opened) == 1)
    for number in range(1, failures + 1):
        threads.append(threading.Thread(target=take, args=(number,)))
        threads[-1].start()
        _until(lambda n=number: len(pool._line) == n)
    for thread in threads:
        thread.join(5)
    assert outcome == {n: "failed" for n in range(failures)} | {failures: "connected"}
    assert pool.checkedout() == 0 and pool.checkedin() == 1 and not pool._line


def test_a_waiting_thread_that_is_interrupted_gives_its_place_up(monkeypatch: pytest.MonkeyPatch) -> None:
    pool = _pool(timeout=5)
    held = pool.connect()

    class Interrupted(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(fair_pool, "_Waiter", _waiter_with(Interrupted))
        with pytest.raises(KeyboardInterrupt):
            pool.connect()
    assert not pool._line
    held.close()
    pool.connect().close()  # the connection came back to the pool, not to the thread that left
    assert pool.checkedout() == 0


def test_a_thread_interrupted_just_after_it_was_given_a_connection_passes_it_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool = _pool(timeout=5)
    held = pool.connect()
    real_wait = threading.Event.wait

    class InterruptedOnWaking(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            real_wait(self, timeout)
            raise KeyboardInterrupt

    errors: list[BaseException] = []

    def take() -> None:
        try:
            pool.connect()
        except KeyboardInterrupt as error:
            errors.append(error)

    with monkeypatch.context() as patch:
        patch.setattr(fair_pool, "_Waiter", _waiter_with(InterruptedOnWaking))
        waiter = threading.Thread(target=take)
        waiter.start()
        _until(lambda: len(pool._line) == 1)
    held.close()  # handed to the waiting thread, which is interrupted before it takes it
    waiter.join(5)
    assert len(errors) == 1 and not pool._line and pool.checkedout() == 0
    pool.connect().close()


def test_a_connection_returned_by_the_garbage_collector_during_a_checkout_neither_blocks_nor_is_lost() -> None:
    """SQLAlchemy returns a connection dropped without `close()` from a finalizer, in whatever thread the
    collector runs: here inside the pool's own checkout, while it holds its lock."""
    pool = _pool(timeout=3)
    gc.disable()
    try:
        dropped = pool.connect()
        cycle: list = [dropped]
        cycle.append(cycle)  # only the cycle collector frees it
        del dropped, cycle
        take_idle = pool._pool.get

        def collect_then_take(*args, **kwargs):
            gc.collect()
            return take_idle(*args, **kwargs)

        pool._pool.get = collect_then_take  # type: ignore[method-assign]
        got: list = []
        thread = threading.Thread(target=lambda: got.append(pool.connect()), daemon=True)
        thread.start()
        thread.join(5)
        assert not thread.is_alive() and len(got) == 1
        assert pool.checkedout() == 1 and not pool._line  # the dropped one came back and was handed on
    finally:
        gc.enable()


@pytest.mark.parametrize(("setting", "size"), [(None, 8), ("3", 3), ("many", 8), ("0", 8)])
def test_the_postgres_engine_uses_the_fair_pool_of_the_size_set(
    setting: str | None, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GCM_DATABASE_CONNECTIONS sets how many connections a process keeps; unset or not a positive number: 8."""
    if setting is None:
        monkeypatch.delenv("GCM_DATABASE_CONNECTIONS", raising=False)
    else:
        monkeypatch.setenv("GCM_DATABASE_CONNECTIONS", setting)
    engine = create_db_engine("postgresql+psycopg://user@127.0.0.1:1/db")  # nothing connects yet
    assert isinstance(engine.pool, FairQueuePool)
    assert engine.pool.size() == size and engine.pool._max_overflow == 0  # every connection kept, no more
    engine.dispose()
