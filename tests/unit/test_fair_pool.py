"""The PostgreSQL engine's pool serves threads in the order they asked, so no save waits behind others' retries."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import exc

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

    waiters = [threading.Thread(target=take) for _ in range(2)]
    for waiter in waiters:
        waiter.start()
    for waiter in waiters:
        waiter.join(5)
    assert len(errors) == 2 and not pool._line
    held.close()
    pool.connect().close()  # the pool still serves the next thread


@pytest.mark.parametrize(("size", "overflow"), [(3, 0), (2, 2)])
def test_threads_share_a_pool_without_losing_a_connection(size: int, overflow: int) -> None:
    pool = _pool(size=size, overflow=overflow)
    done = []

    def work() -> None:
        for _ in range(50):
            connection = pool.connect()
            connection.cursor().execute("select 1")
            connection.close()
        done.append(True)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert len(done) == 8 and not pool._line and pool.checkedout() == 0
    assert pool.checkedin() == size  # connections beyond the pool's size were closed once nobody waited


@pytest.mark.parametrize("url", ["postgresql+psycopg://user@127.0.0.1:1/db"])
def test_the_postgres_engine_uses_the_fair_pool(url: str) -> None:
    engine = create_db_engine(url)  # nothing connects yet
    assert isinstance(engine.pool, FairQueuePool)
    assert engine.pool.size() == 5
    engine.dispose()
