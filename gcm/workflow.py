"""The submission workflow (draft → submitted → validated, or returned) and cycle administration."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gcm import models, permissions
from gcm.errors import DomainError, ValidationError
from gcm.permissions import Actor
from gcm.services import bump_revision, clean_text, cycle_window, today

MAX_COMMENT = 2000


def _submission(session: Session, country: str, cycle_id: str) -> models.Submission:
    if session.get(models.Country, country) is None:
        raise ValidationError([DomainError("unknown_value", "country", value=country)])
    if session.get(models.Cycle, cycle_id) is None:
        raise ValidationError([DomainError("unknown_value", "cycle", value=cycle_id)])
    row = session.get(models.Submission, (country, cycle_id))
    if row is None:
        row = models.Submission(
            country_iso3=country,
            cycle_id=cycle_id,
            state="draft",
            comment="",
            updated_by="",
            updated_at=dt.datetime.now(dt.UTC),
        )
        session.add(row)
    return row


def _move(row: models.Submission, actor: Actor, state: str, comment: str | None = None) -> str:
    row.state = state
    if comment is not None:
        row.comment = comment
    row.updated_by = actor.name
    row.updated_at = dt.datetime.now(dt.UTC)
    return state


def submit_country_report(session: Session, actor: Actor, *, country: str, cycle_id: str) -> str:
    """The delegate hands the country report to the secretariat; it can no longer be edited."""
    row = _submission(session, country, cycle_id)
    cycle = session.get(models.Cycle, cycle_id)
    permissions.check_submit(actor, country, cycle_window(cycle), row.state, today())
    reported = session.scalar(
        select(func.count())
        .select_from(models.ObjectiveReport)
        .where(models.ObjectiveReport.country_iso3 == country, models.ObjectiveReport.cycle_id == cycle_id)
    )
    if not reported:
        raise DomainError("nothing_to_submit", None)
    state = _move(row, actor, "submitted")
    bump_revision(session)
    return state


def validate_country_report(session: Session, actor: Actor, *, country: str, cycle_id: str) -> str:
    """The secretariat accepts a submitted report: it becomes public (where the public view is on)."""
    row = _submission(session, country, cycle_id)
    permissions.check_review(actor, row.state)
    state = _move(row, actor, "validated", "")
    bump_revision(session)
    return state


def return_country_report(session: Session, actor: Actor, *, country: str, cycle_id: str, comment: str) -> str:
    """The secretariat sends a submitted report back for revision, with a comment for the delegates."""
    row = _submission(session, country, cycle_id)
    permissions.check_review(actor, row.state)
    text = clean_text(comment)
    if not text:
        raise ValidationError([DomainError("required", "comment")])
    if len(text) > MAX_COMMENT:
        raise ValidationError([DomainError("too_long", "comment", limit=MAX_COMMENT, length=len(text))])
    state = _move(row, actor, "returned", text)
    bump_revision(session)
    return state


def update_cycle(
    session: Session, actor: Actor, *, cycle_id: str, is_open: bool, is_locked: bool, deadline: dt.date | None
) -> None:
    """Open, close, lock or reopen a cycle and set its deadline (admins only)."""
    permissions.check_admin(actor)
    cycle = session.get(models.Cycle, cycle_id)
    if cycle is None:
        raise ValidationError([DomainError("unknown_value", "cycle", value=cycle_id)])
    cycle.is_open, cycle.is_locked, cycle.deadline = bool(is_open), bool(is_locked), deadline
    bump_revision(session)
