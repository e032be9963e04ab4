"""The submission workflow (draft → submitted → validated, or returned) and cycle administration."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gcm import models, permissions
from gcm.accounts import audit
from gcm.errors import DomainError, ValidationError
from gcm.permissions import Actor
from gcm.reference import OBJECTIVE_COUNT
from gcm.services import bump_published, bump_revision, clean_text, cycle_window, today

MAX_COMMENT = 2000


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def unchanged_since_return(session: Session, country: str, cycle_id: str) -> bool:
    """True when the report was returned and no objective has been saved since: resubmitting asks first."""
    row = session.get(models.Submission, (country, cycle_id))
    if row is None or row.state != "returned":
        return False
    r = models.ObjectiveReport
    latest = session.scalar(select(func.max(r.updated_at)).where(r.country_iso3 == country, r.cycle_id == cycle_id))
    return latest is None or _utc(latest) <= _utc(row.updated_at)


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


def _move(
    session: Session, row: models.Submission, actor: Actor, state: str, comment: str | None = None, detail: str = ""
) -> str:
    row.state = state
    if comment is not None:
        row.comment = comment
    row.updated_by = actor.name
    row.updated_at = dt.datetime.now(dt.UTC)
    audit(session, f"report_{state}", actor.name, detail=detail, country=row.country_iso3, cycle_id=row.cycle_id)
    bump_published(session, row.country_iso3, row.cycle_id)  # no cycle, country or demo report changed
    return state


def submit_country_report(
    session: Session, actor: Actor, *, country: str, cycle_id: str, confirm_unchanged: bool = False
) -> str:
    """The delegate hands the country report to the secretariat; it can no longer be edited.

    A returned report that nobody changed since is resubmitted only with `confirm_unchanged`.
    """
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
    if not confirm_unchanged and unchanged_since_return(session, country, cycle_id):
        raise DomainError("unchanged_resubmit", None)
    return _move(session, row, actor, "submitted", detail=f"{reported} of {OBJECTIVE_COUNT} objectives")


def validate_country_report(session: Session, actor: Actor, *, country: str, cycle_id: str) -> str:
    """The secretariat accepts a submitted report: it becomes public (where the public view is on)."""
    row = _submission(session, country, cycle_id)
    permissions.check_review(actor, row.state)
    row.flagged = None
    return _move(session, row, actor, "validated", "")


def return_country_report(
    session: Session, actor: Actor, *, country: str, cycle_id: str, comment: str, objectives: tuple[int, ...] = ()
) -> str:
    """The secretariat sends a submitted report back for revision, with a comment for the delegates
    and, optionally, the objectives it points at."""
    row = _submission(session, country, cycle_id)
    permissions.check_review(actor, row.state)
    text = clean_text(comment)
    errors = []
    if not text:
        errors.append(DomainError("required", "comment"))
    if len(text) > MAX_COMMENT:
        errors.append(DomainError("too_long", "comment", limit=MAX_COMMENT, length=len(text)))
    flagged = sorted({int(n) for n in objectives})
    errors += [DomainError("unknown_value", "objective", value=n) for n in flagged if not 1 <= n <= OBJECTIVE_COUNT]
    if errors:
        raise ValidationError(errors)
    row.flagged = flagged or None
    detail = text + (f" [objectives {', '.join(map(str, flagged))}]" if flagged else "")
    return _move(session, row, actor, "returned", text, detail=detail)


def update_cycle(
    session: Session, actor: Actor, *, cycle_id: str, is_open: bool, is_locked: bool, deadline: dt.date | None
) -> None:
    """Open, close, lock or reopen a cycle and set its deadline (admins only)."""
    permissions.check_admin(actor)
    cycle = session.get(models.Cycle, cycle_id)
    if cycle is None:
        raise ValidationError([DomainError("unknown_value", "cycle", value=cycle_id)])
    before = (cycle.is_open, cycle.is_locked, cycle.deadline)
    cycle.is_open, cycle.is_locked, cycle.deadline = bool(is_open), bool(is_locked), deadline
    events = []
    if before[1] != cycle.is_locked:
        events.append("cycle_locked" if cycle.is_locked else "cycle_unlocked")
    if before[0] != cycle.is_open:
        events.append("cycle_reopened" if cycle.is_open else "cycle_closed")
    if before[2] != deadline:
        events.append("cycle_deadline")
    for kind in events:
        audit(session, kind, actor.name, detail=f"deadline {deadline or '-'}", cycle_id=cycle_id)
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
    audit(session, "cycle_grouping", actor.name, detail=f"{grouping_id} confirmed={bool(confirmed)}", cycle_id=cycle_id)
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
