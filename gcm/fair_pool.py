"""A connection pool that hands its connections out in the order threads asked for them.

SQLAlchemy's `QueuePool` wakes one waiting thread when a connection comes back, but a thread that returns
a connection and asks again at once (a delegate's save reads its version, then writes) usually takes it
back before the woken thread runs. With more threads than connections, some threads lose that race again
and again: in the benchmark's storm on PostgreSQL (35 writers, 15 connections) the unluckiest save waited
8.5–11 s while the median waited 40 ms. Here a thread that finds no free connection waits in line, and a
connection coming back goes straight to the first in line (one wake-up, no race); only when nobody waits
does it go back to the pool. Room freed for a new connection (one was closed, or failed to open) goes to
the first in line too, who opens it.

The rule every method keeps, under `_line_lock`: while anyone waits in line, no connection is idle in the
pool and there is no room to open another.
"""

from __future__ import annotations

import collections
import threading

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
        # Re-entrant, as QueuePool's own queue: the garbage collector may return a connection someone dropped
        # (SQLAlchemy's finalizer calls `_do_return_conn`) in whichever thread it runs, this lock held or not.
        self._line_lock = threading.RLock()

    def _do_get(self) -> ConnectionPoolEntry:
        waiter = _Waiter()  # made before taking the lock: making it may run the garbage collector
        with self._line_lock:
            record = self._take_or_queue(waiter)
        if record is None:
            try:
                given = waiter.given.wait(self._timeout)
            except BaseException:  # interrupted while waiting: pass on whatever it was given meanwhile
                if not self._leave(waiter):
                    self._pass_on(waiter.record)
                raise
            if not given and self._leave(waiter):
                raise exc.TimeoutError(
                    f"QueuePool limit of size {self.size()} overflow {self.overflow()} reached, "
                    f"connection timed out, timeout {self._timeout:.2f}",
                    code="3o7r",
                )
            record = waiter.record  # given, if only as the wait timed out
        return self._open() if record is _OPEN_ONE else record  # type: ignore[return-value]

    def _take_or_queue(self, waiter: _Waiter) -> ConnectionPoolEntry | object | None:
        """Under the lock: an idle connection, `_OPEN_ONE` if there is room for one more, else None with
        `waiter` in line. Nobody waiting before this thread is passed over."""
        if not self._line:
            found = self._idle_or_room()
            if found is not None:
                return found
        self._line.append(waiter)
        if self._line[0] is waiter and waiter.record is None:
            # The collector may have returned a connection (or closed one) while this thread held the lock,
            # before it stood in line: nobody was given it.
            found = self._idle_or_room()
            if found is not None:
                self._line.popleft()
                return found
        return None

    def _idle_or_room(self) -> ConnectionPoolEntry | object | None:
        try:
            return self._pool.get(False)
        except sqla_queue.Empty:
            return _OPEN_ONE if self._inc_overflow() else None

    def _leave(self, waiter: _Waiter) -> bool:
        """Take `waiter` out of line; False if it was given something first (`waiter.record`)."""
        with self._line_lock:
            if waiter.record is None:
                self._line.remove(waiter)
                return True
            return False

    def _pass_on(self, record: ConnectionPoolEntry | object | None) -> None:
        if record is _OPEN_ONE:
            self._room_freed()
        elif record is not None:
            self._do_return_conn(record)  # type: ignore[arg-type]

    def _open(self) -> ConnectionPoolEntry:
        """A new connection, in room already counted for it (`_inc_overflow`)."""
        try:
            return self._create_connection()
        except BaseException:
            self._room_freed()
            raise

    def _room_freed(self) -> None:
        """A connection was closed or failed to open: the first in line may open one, else there is room."""
        with self._line_lock:
            if self._line:
                self._give(_OPEN_ONE)  # the room stays counted, now for the waiter's connection
                return
            self._dec_overflow()

    def _give(self, record: ConnectionPoolEntry | object) -> None:
        waiter = self._line.popleft()
        waiter.record = record
        waiter.given.set()

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        with self._line_lock:
            if self._line:  # the first in line takes it as it is, still counted as checked out
                self._give(record)
                return
            try:
                self._pool.put(record, False)
                return
            except sqla_queue.Full:
                pass
        try:  # more connections than the pool keeps, and nobody waiting: close this one (as QueuePool does)
            record.close()
        finally:
            self._room_freed()
