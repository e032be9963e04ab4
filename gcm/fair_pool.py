"""A connection pool that hands its connections out in the order threads asked for them.

SQLAlchemy's `QueuePool` wakes one waiting thread when a connection comes back, but a thread that returns
a connection and asks again at once (a delegate's save reads its version, then writes) usually takes it
back before the woken thread runs. With more threads than connections, some threads lose that race again
and again: in the benchmark's storm on PostgreSQL (35 writers, 15 connections) the unluckiest save waited
8.5–11 s while the median waited 40 ms. Here a thread that finds no free connection waits in line, and a
connection coming back goes straight to the first in line (one wake-up, no race); only when nobody waits
does it go back to the pool. Room freed for a new connection (one was closed, or failed to open) goes to
the first in line too, who opens it.

The rule every change keeps, inside `_section`: while anyone waits in line, no connection is idle in the
pool and there is no room to open another.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from sqlalchemy import exc
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool
from sqlalchemy.util import queue as sqla_queue

# Given to a waiter instead of a connection: room was made for one more connection; the waiter opens it.
_OPEN_ONE = object()


class _Waiter:
    __slots__ = ("given", "record")

    def __init__(self) -> None:
        self.given = threading.Event()
        self.record: ConnectionPoolEntry | object | None = None


class FairQueuePool(QueuePool):
    """`QueuePool` whose waiting threads are served first come, first served."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._line: collections.deque[_Waiter] = collections.deque()
        self._line_lock = threading.RLock()
        self._local = threading.local()  # .depth: how deep this thread is in `_section`
        self._deferred: list[ConnectionPoolEntry | object] = []

    @contextmanager
    def _section(self) -> Iterator[None]:
        """The lock around every change of the line, the idle connections and the room.

        SQLAlchemy returns a connection dropped without `close()` from a finalizer, in whichever thread the
        garbage collector runs, possibly this one in the middle of a change. Such a return (or the room it
        frees) is kept aside and handled once the change is complete.
        """
        with self._line_lock:
            self._local.depth = self._depth() + 1
            try:
                yield
            finally:
                self._local.depth -= 1
        while self._deferred and not self._depth():
            self._pass_on(self._deferred.pop())

    def _depth(self) -> int:
        """How deep this thread is in `_section`: above 0 in the middle of a change."""
        return getattr(self._local, "depth", 0)

    def _do_get(self) -> ConnectionPoolEntry:
        waiter = _Waiter()  # made before taking the lock: making it may run the garbage collector
        held: ConnectionPoolEntry | object | None = None
        try:
            with self._section():
                held = self._take_or_queue(waiter)
            if held is None:
                waiter.given.wait(self._timeout)
                self._leave(waiter)  # nothing to do if it was given something, if only as the wait timed out
                if waiter.record is None:
                    raise exc.TimeoutError(
                        f"QueuePool limit of size {self.size()} overflow {self.overflow()} reached, "
                        f"connection timed out, timeout {self._timeout:.2f}",
                        code="3o7r",
                    )
                held = waiter.record
        except BaseException:  # timed out or interrupted: leave the line; pass on anything given meanwhile
            self._leave(waiter)
            leftover = held if held is not None else waiter.record
            if leftover is not None:
                self._pass_on(leftover)
            raise
        return self._open() if held is _OPEN_ONE else held  # type: ignore[return-value]

    def _take_or_queue(self, waiter: _Waiter) -> ConnectionPoolEntry | object | None:
        """An idle connection, `_OPEN_ONE` if there is room for one more, else None with `waiter` in line.
        Nobody waiting before this thread is passed over."""
        if not self._line:
            try:
                return self._pool.get(False)
            except sqla_queue.Empty:
                if self._inc_overflow():
                    return _OPEN_ONE
        self._line.append(waiter)
        return None

    def _leave(self, waiter: _Waiter) -> None:
        with self._section():
            if waiter.record is None and waiter in self._line:
                self._line.remove(waiter)

    def _open(self) -> ConnectionPoolEntry:
        """A new connection, in room already counted for it."""
        try:
            return self._create_connection()
        except BaseException:
            self._pass_on(_OPEN_ONE)
            raise

    def _pass_on(self, record: ConnectionPoolEntry | object) -> None:
        """Hand a connection, or room for one (`_OPEN_ONE`), to the first in line; else keep it or free it."""
        if self._depth():
            self._deferred.append(record)
            return
        with self._section():
            if self._line:  # a connection stays counted as checked out; room stays counted, for the waiter
                waiter = self._line.popleft()
                waiter.record = record
                waiter.given.set()
                return
            if record is _OPEN_ONE:
                self._dec_overflow()
                return
            try:
                self._pool.put(record, False)
                return
            except sqla_queue.Full:
                pass
        try:  # more connections than the pool keeps, and nobody waiting: close this one (as QueuePool does)
            record.close()  # type: ignore[attr-defined]
        finally:
            self._pass_on(_OPEN_ONE)

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        self._pass_on(record)

    # Room is counted only inside `_section`, so QueuePool's separate lock for it is not taken: a connection
    # closed by the garbage collector while that plain lock was held would wait for it forever.
    def _inc_overflow(self) -> bool:
        if self._max_overflow == -1 or self._overflow < self._max_overflow:
            self._overflow += 1
            return True
        return False

    def _dec_overflow(self) -> Literal[True]:
        self._overflow -= 1
        return True
