"""Running one user action: one write transaction, and refusals written to the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gcm.accounts import audit
from gcm.db import write_session
from gcm.errors import PermissionDenied
from gcm.permissions import Actor

T = TypeVar("T")


def perform(engine: Engine, actor: Actor, action: Callable[[Session], T], *, what: str, address: str = "") -> T:
    """Run `action` in one transaction. A refusal rolls it back and is audited in a transaction of its own."""
    try:
        with write_session(engine) as session:
            return action(session)
    except PermissionDenied as exc:
        with write_session(engine) as session:
            detail = f"{what}: {exc.code} {exc.params}" if exc.params else f"{what}: {exc.code}"
            audit(session, "permission_denied", actor.name or f"({actor.role})", address, detail)
        raise
