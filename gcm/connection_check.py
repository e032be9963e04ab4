"""Checking a pooled PostgreSQL connection before use, only when there is reason to doubt it.

SQLAlchemy's `pool_pre_ping` sends a ping at every checkout: one round trip more for every connection a thread
takes from the pool (a save takes one), and in a room of 35 pressing Save at once each round trip is a wake-up of
a thread competing for the interpreter (BENCHMARKS.md, section 3). A connection back in the pool for a moment is
not in doubt unless the server has spoken on it since: a server that shuts down or ends a backend (restart,
`pg_terminate_backend`, idle timeouts) sends a message and closes the socket, which leaves it readable while
nothing was asked. So the ping is sent when the connection has been idle longer than `TRUSTED_IDLE_S` (a
network that drops idle connections silently is caught there) or its socket has something to read; otherwise
the checkout costs one poll of the socket. A failed ping makes the pool discard that connection and open
another (once), as `pool_pre_ping` does.
"""

from __future__ import annotations

import select
import time
from typing import Any

from sqlalchemy import Engine, event, exc
from sqlalchemy.pool import ConnectionPoolEntry

TRUSTED_IDLE_S = 10.0
_RETURNED_AT = "returned_at"


def _server_spoke(dbapi_connection: Any) -> bool:
    """Whether the idle connection's socket has something to read (a notice, or the server closing it). `poll`,
    not `select`, which refuses a socket numbered 1024 or more (a server with many browser sessions open)."""
    try:
        fd = dbapi_connection.pgconn.socket
    except Exception:  # no socket any more: the connection is closed or broken
        return True
    if not hasattr(select, "poll"):  # not on this platform: a ping at every checkout, as pool_pre_ping
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


def in_doubt(dbapi_connection: Any, record: ConnectionPoolEntry, now: float) -> bool:
    """Whether a connection leaving the pool must be pinged first."""
    returned_at = record.info.get(_RETURNED_AT)  # set when opened and at every return (`ping_when_in_doubt`)
    return returned_at is None or now - returned_at > TRUSTED_IDLE_S or _server_spoke(dbapi_connection)


def ping_when_in_doubt(engine: Engine) -> None:
    """Ping a connection at checkout only when `in_doubt`; one that fails is replaced by a new connection."""
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _opened(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED_AT] = time.monotonic()  # just opened: as fresh as one just returned

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        if not in_doubt(dbapi_connection, record, time.monotonic()):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(f"the pooled connection failed its ping: {error}") from error
