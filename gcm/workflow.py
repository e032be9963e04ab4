"""The submission workflow (draft → submitted → validated, or returned) and cycle administration."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
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


def set_cycle_grouping(session: Session, actor: Actor, *, cycle_id: str, grouping_id: str, confirmed: bool) -> None:
    """Choose which grouping of objectives a cycle uses, and whether that grouping is confirmed for it."""
    permissions.check_admin(actor)
    cycle = session.get(models.Cycle, cycle_id)
    if cycle is None:
        raise ValidationError([DomainError("unknown_value", "cycle", value=cycle_id)])
    if session.get(models.Grouping, grouping_id) is None:
        raise ValidationError([DomainError("unknown_value", "grouping", value=grouping_id)])
    cycle.grouping_id, cycle.grouping_confirmed = grouping_id, bool(confirmed)
    bump_revision(session)


def set_grouping_sections(
    session: Session, actor: Actor, *, grouping_id: str, placement: dict[int, int], provisional: bool
) -> None:
    """Place every objective in one section of a grouping (objective number → section number)."""
    permissions.check_admin(actor)
    grouping = session.get(models.Grouping, grouping_id)
    if grouping is None:
        raise ValidationError([DomainError("unknown_value", "grouping", value=grouping_id)])
    sections = {
        s.number: s.id
        for s in session.scalars(
            select(models.GroupingSection).where(models.GroupingSection.grouping_id == grouping_id)
        )
    }
    objectives = set(session.scalars(select(models.Objective.number)))
    errors = [DomainError("unplaced_objective", "grouping", objective=n) for n in sorted(objectives - set(placement))]
    errors += [
        DomainError("unknown_value", "grouping", value=f"{n} → {s}")
        for n, s in placement.items()
        if n not in objectives or s not in sections
    ]
    if errors:
        raise ValidationError(errors)
    session.execute(delete(models.SectionObjective).where(models.SectionObjective.grouping_id == grouping_id))
    session.flush()
    session.add_all(
        models.SectionObjective(section_id=sections[s], objective=n, grouping_id=grouping_id)
        for n, s in placement.items()
    )
    grouping.provisional = bool(provisional)
    bump_revision(session)
