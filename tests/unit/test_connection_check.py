"""A pooled PostgreSQL connection is pinged before use only when in doubt, and a dead one is replaced."""

from __future__ import annotations

import os
import resource
import socket
import time
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine, text

from gcm import connection_check
from gcm.connection_check import TRUSTED_IDLE_S, in_doubt
from gcm.db import create_db_engine


class _Record(SimpleNamespace):
    """What `in_doubt` reads of a pool entry: its `info`."""


@pytest.fixture
def quiet_socket() -> Iterator[tuple[SimpleNamespace, socket.socket]]:
    """An idle connection whose server end is `peer`: nothing to read until `peer` sends or closes."""
    ours, peer = socket.socketpair()
    try:
        yield SimpleNamespace(pgconn=SimpleNamespace(socket=ours.fileno())), peer
    finally:
        ours.close()
        peer.close()


def test_a_connection_back_for_a_moment_on_a_quiet_socket_is_trusted(quiet_socket) -> None:
    connection, _ = quiet_socket
    now = time.monotonic()
    assert not in_doubt(connection, _Record(info={"returned_at": now - 0.01}), now)


def test_a_connection_idle_too_long_is_pinged(quiet_socket) -> None:
    connection, _ = quiet_socket
    now = time.monotonic()
    assert in_doubt(connection, _Record(info={"returned_at": now - TRUSTED_IDLE_S - 1}), now)
    assert in_doubt(connection, _Record(info={}), now)  # no time recorded (the listeners always record one)


def test_a_connection_the_server_spoke_on_or_closed_is_pinged(quiet_socket) -> None:
    connection, peer = quiet_socket
    now = time.monotonic()
    record = _Record(info={"returned_at": now})
    peer.close()  # what a server restart or pg_terminate_backend does to the socket
    assert in_doubt(connection, record, now)


def test_a_socket_numbered_over_1024_is_checked_too(quiet_socket) -> None:
    """`select` refuses such a socket; a server with many browser sessions open has them."""
    connection, peer = quiet_socket
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    high = 1500
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, high + 1), hard))
    try:
        os.dup2(connection.pgconn.socket, high)
        try:
            high_connection = SimpleNamespace(pgconn=SimpleNamespace(socket=high))
            now = time.monotonic()
            record = _Record(info={"returned_at": now})
            assert not in_doubt(high_connection, record, now)
            peer.close()
            assert in_doubt(high_connection, record, now)
        finally:
            os.close(high)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_connection_without_a_socket_is_pinged() -> None:
    now = time.monotonic()
    assert in_doubt(SimpleNamespace(), _Record(info={"returned_at": now}), now)


def _pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    sent: list[object] = []
    real = engine.dialect.do_ping

    def counting(dbapi_connection: object) -> bool:
        sent.append(dbapi_connection)
        return real(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counting)
    return sent


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_postgres_pings_only_a_connection_in_doubt(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = create_db_engine(postgres_url)
    try:
        pings = _pings(engine, monkeypatch)
        first = _backend_pid(engine)  # a new connection: just opened, not pinged
        assert _backend_pid(engine) == first and not pings  # back a moment ago: trusted
        monkeypatch.setattr(connection_check, "TRUSTED_IDLE_S", 0.0)
        assert _backend_pid(engine) == first and len(pings) == 1  # idle "too long": pinged, alive, kept
    finally:
        engine.dispose()


def test_postgres_replaces_a_connection_whose_backend_was_ended(postgres_url: str) -> None:
    """A backend ended while its connection sat in the pool (a restart, an administrator, an idle timeout)
    costs the next user nothing: the pool notices and opens another connection."""
    engine = create_db_engine(postgres_url)
    other = create_db_engine(postgres_url)
    try:
        doomed = _backend_pid(engine)
        with other.connect() as admin:
            assert admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": doomed}).scalar_one()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the server ends the backend asynchronously
            with other.connect() as admin:
                gone = not admin.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": doomed}
                ).scalar_one()
            if gone:
                break
            time.sleep(0.02)
        assert _backend_pid(engine) != doomed  # no error: a fresh connection answered
    finally:
        engine.dispose()
        other.dispose()
