"""A connection pool that hands its connections out in the order threads asked for them.

SQLAlchemy's `QueuePool` wakes one waiting thread when a connection comes back, but a thread that returns
a connection and asks again at once (a delegate's save reads its version, then writes) usually takes it
back before the woken thread runs. With more threads than connections, some threads lose that race again
and again: in the benchmark's storm on PostgreSQL (35 writers, 15 connections) the unluckiest save waited
8.8–9.1 s while the median waited 40 ms. Here threads wait in line: only the first in line may take a
connection, and a thread that asks again goes to the back.
"""

from __future__ import annotations

import collections
import threading

from sqlalchemy import exc
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool


class FairQueuePool(QueuePool):
    """`QueuePool` with a first-come, first-served line in front of its checkout."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._line: collections.deque[threading.Event] = collections.deque()
        self._line_lock = threading.Lock()
        self._holder = threading.local()  # .turn: this thread is first in line (QueuePool's own retries)

    def _do_get(self) -> ConnectionPoolEntry:
        if getattr(self._holder, "turn", False):
            return super()._do_get()
        turn = threading.Event()
        with self._line_lock:
            self._line.append(turn)
            if self._line[0] is turn:
                turn.set()
        if not turn.wait(self._timeout):
            with self._line_lock:
                if not turn.is_set():  # still waiting: leave the line
                    self._line.remove(turn)
                    raise exc.TimeoutError(
                        f"no connection of the pool became free for this thread within {self._timeout:.0f} s",
                        code="3o7r",
                    )
        self._holder.turn = True
        try:
            return super()._do_get()
        finally:
            self._holder.turn = False
            with self._line_lock:
                self._line.popleft()  # this thread's turn, always the first
                if self._line:
                    self._line[0].set()
