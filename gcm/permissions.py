"""Who may do what. Every service calls these checks; pages never decide permissions themselves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gcm.errors import DomainError, PermissionDenied

ROLES = ("admin", "delegate", "analyst")
STATES = ("draft", "submitted", "validated", "returned")
EDITABLE_STATES = ("draft", "returned")


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in account, the public (signed out), or the system (CLI, demo)."""

    name: str
    role: str = "public"
    country: str | None = None
    user_id: int | None = None

    @property
    def is_system(self) -> bool:
        return self.role == "system"

    @property
    def is_admin(self) -> bool:
        return self.role in ("admin", "system")


PUBLIC = Actor(name="", role="public")
SYSTEM = Actor(name="system", role="system")


@dataclass(frozen=True)
class ReadScope:
    """Which reports an actor may read: those in `states` (None: all), plus all of `own_country`."""

    states: tuple[str, ...] | None
    own_country: str | None = None

    @property
    def reads_drafts(self) -> bool:
        """Whether any draft or returned report is readable (an own country's always is)."""
        return self.states is None or self.own_country is not None or bool(set(self.states) & set(EDITABLE_STATES))


def read_scope(actor: Actor, public_view: bool = True) -> ReadScope:
    """Admins read everything; analysts and other delegates read submitted and validated reports;
    a delegate also reads its own country's drafts; the public reads validated reports only."""
    if actor.is_admin:
        return ReadScope(states=None)
    if actor.role == "delegate":
        return ReadScope(states=("submitted", "validated"), own_country=actor.country)
    if actor.role == "analyst":
        return ReadScope(states=("submitted", "validated"))
    return ReadScope(states=("validated",) if public_view else ())


def may_read(scope: ReadScope, country: str, state: str) -> bool:
    return scope.states is None or state in scope.states or country == scope.own_country


@dataclass(frozen=True)
class CycleWindow:
    """The parts of a cycle that decide whether its reports can still be edited."""

    is_open: bool
    is_locked: bool
    deadline: dt.date | None


def cycle_accepts_edits(window: CycleWindow, today: dt.date) -> bool:
    return window.is_open and not window.is_locked and (window.deadline is None or today <= window.deadline)


def check_edit(actor: Actor, country: str, window: CycleWindow, state: str, today: dt.date) -> None:
    """A delegate edits only its own country's report, only while the cycle accepts edits and
    the country report is a draft or was returned for revision."""
    if actor.is_system:
        return
    if actor.role != "delegate" or actor.country != country:
        raise PermissionDenied("not_your_country", "country", country=country)
    if not cycle_accepts_edits(window, today):
        raise DomainError("cycle_closed", "cycle")
    if state not in EDITABLE_STATES:
        raise DomainError("report_not_editable", None, state=state)


def check_submit(actor: Actor, country: str, window: CycleWindow, state: str, today: dt.date) -> None:
    check_edit(actor, country, window, state, today)


def check_review(actor: Actor, state: str) -> None:
    """Only the secretariat validates or returns a report, and only a submitted one."""
    if not actor.is_admin:
        raise PermissionDenied("admin_only", None)
    if state != "submitted":
        raise DomainError("not_submitted", None, state=state)


def check_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied("admin_only", None)


def allowed(check: object, *args: object) -> bool:
    """Whether a check passes, for deciding what to offer (the services still enforce it)."""
    try:
        check(*args)
    except DomainError:
        return False
    return True
