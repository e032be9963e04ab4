"""A process keeps the connections a burst of script runs opened, so the next burst opens none: on PostgreSQL a
new connection is a new server process that has planned none of a save's statements yet."""

from __future__ import annotations

import contextlib

from sqlalchemy import event, literal, select

from gcm import db
from gcm.db import read_session


def test_a_room_saving_at_once_on_postgresql_opens_its_connections_once(postgres_url: str) -> None:
    """As many sessions at once as the pool allows, twice: the second burst opens no connection."""
    engine = db.get_engine(postgres_url)
    opened: list[int] = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    for burst in range(2):
        with contextlib.ExitStack() as stack:  # every session holds its connection at once
            for _ in range(db.pool_size()):
                stack.enter_context(read_session(engine)).scalar(select(literal(1)))
        if not burst:
            first = len(opened)
    assert first == db.pool_size() and len(opened) == first
    assert engine.pool.checkedin() == db.pool_size()
