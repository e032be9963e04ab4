"""Writes: validate, authorize and write in one transaction.

Services take a `Session` already inside a transaction (see `gcm.db.write_session`), the
acting user and plain values; they raise `DomainError`s whose message key and parameters the
pages translate for the user.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from gcm import models
from gcm.reference import OBJECTIVE_COUNT, Reference

TEXT_LIMITS = {"progress": 5000, "challenges": 5000, "priorities": 5000, "good_practice": 3000}
MAX_LINKS = 10
MAX_LINK_LENGTH = 500
MAX_AUTHOR_LENGTH = 120
# Control characters other than tab and newline are stripped from user text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Actor:
    """Who is acting. Issue #3 adds roles and per-country permissions on top of this."""

    name: str
    role: str = "delegate"
    country: str | None = None

    @property
    def is_system(self) -> bool:
        return self.role == "system"


SYSTEM = Actor(name="system", role="system")


class DomainError(Exception):
    """An error fit for a user: `code` is a catalogue key under `error.`, `params` fill it in."""

    def __init__(self, code: str, field: str | None = None, **params: object) -> None:
        self.code, self.field, self.params = code, field, params
        super().__init__(f"{code} ({field})" if field else code)


class ValidationError(DomainError):
    """One or more fields are invalid; `errors` lists every problem, not just the first."""

    def __init__(self, errors: list[DomainError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.code, first.field, **first.params)


class ConflictError(DomainError):
    """Someone else saved the report since the form was drawn."""


@dataclass(frozen=True)
class ReportInput:
    """The fields of an objective report, as typed by the user."""

    status: str | None
    progress: str = ""
    challenges: str = ""
    priorities: str = ""
    good_practice: str = ""
    principles: tuple[str, ...] = ()
    challenge_categories: tuple[str, ...] = ()
    priority_categories: tuple[str, ...] = ()
    national_priority: bool = False
    evidence_links: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SavedReport:
    id: int
    version: int
    updated_at: dt.datetime


def clean_text(value: str | None) -> str:
    """Strip control characters and surrounding blanks; keep everything else as typed."""
    return _CONTROL.sub("", (value or "").replace("\r\n", "\n")).strip()


def parse_links(value: str) -> tuple[str, ...]:
    """Split the evidence-links text area (one link per line) into links."""
    return tuple(line.strip() for line in clean_text(value).splitlines() if line.strip())


def _valid_link(link: str) -> bool:
    parts = urlsplit(link)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in link


def validate_report(ref: Reference, data: ReportInput) -> ReportInput:
    """Return the cleaned input, or raise `ValidationError` listing every field problem."""
    errors: list[DomainError] = []
    statuses = {s.key for s in ref.statuses}
    if not data.status:
        errors.append(DomainError("required", "status"))
    elif data.status not in statuses:
        errors.append(DomainError("unknown_value", "status", value=data.status))
    texts = {name: clean_text(getattr(data, name)) for name in TEXT_LIMITS}
    for name, text in texts.items():
        if len(text) > TEXT_LIMITS[name]:
            errors.append(DomainError("too_long", name, limit=TEXT_LIMITS[name], length=len(text)))
    known = {
        "principles": {p.key for p in ref.principles},
        "challenge_categories": {c.key for c in ref.categories},
        "priority_categories": {c.key for c in ref.categories},
    }
    for name, allowed in known.items():
        for value in getattr(data, name):
            if value not in allowed:
                errors.append(DomainError("unknown_value", name, value=value))
    links = tuple(clean_text(link) for link in data.evidence_links if clean_text(link))
    if len(links) > MAX_LINKS:
        errors.append(DomainError("too_many_links", "evidence_links", limit=MAX_LINKS))
    for link in links:
        if len(link) > MAX_LINK_LENGTH or not _valid_link(link):
            errors.append(DomainError("bad_link", "evidence_links", value=link[:80]))
    if errors:
        raise ValidationError(errors)
    return ReportInput(
        status=data.status,
        principles=tuple(dict.fromkeys(data.principles)),
        challenge_categories=tuple(dict.fromkeys(data.challenge_categories)),
        priority_categories=tuple(dict.fromkeys(data.priority_categories)),
        national_priority=bool(data.national_priority),
        evidence_links=tuple(dict.fromkeys(links)),
        **texts,
    )


def bump_revision(session: Session) -> None:
    """Mark that data changed, so every process's cached reads refresh."""
    session.execute(
        update(models.DataRevision).where(models.DataRevision.id == 1).values(revision=models.DataRevision.revision + 1)
    )


def _check_target(session: Session, actor: Actor, country: str, cycle_id: str, objective: int) -> None:
    if session.get(models.Country, country) is None:
        raise ValidationError([DomainError("unknown_value", "country", value=country)])
    cycle = session.get(models.Cycle, cycle_id)
    if cycle is None:
        raise ValidationError([DomainError("unknown_value", "cycle", value=cycle_id)])
    if not isinstance(objective, int) or not 1 <= objective <= OBJECTIVE_COUNT:
        raise ValidationError([DomainError("unknown_value", "objective", value=objective)])
    if not cycle.is_open and not actor.is_system:
        raise DomainError("cycle_closed", "cycle", cycle=cycle_id)


def _author(actor: Actor) -> str:
    return clean_text(actor.name)[:MAX_AUTHOR_LENGTH]


def save_objective_report(
    session: Session,
    ref: Reference,
    actor: Actor,
    *,
    country: str,
    cycle_id: str,
    objective: int,
    data: ReportInput,
    expected_version: int | None,
    is_demo: bool = False,
) -> SavedReport:
    """Create or update one objective report.

    `expected_version` is the version the user saw when the form was drawn (None for a new
    report). If the stored report has moved on, `ConflictError` is raised and nothing is
    written. Must run inside a write transaction; the caller commits.
    """
    _check_target(session, actor, country, cycle_id, objective)
    errors = [] if clean_text(actor.name) else [DomainError("required", "author")]
    try:
        clean = validate_report(ref, data)
    except ValidationError as exc:
        raise ValidationError(errors + exc.errors) from None
    if errors:
        raise ValidationError(errors)
    row = session.scalars(
        select(models.ObjectiveReport).where(
            models.ObjectiveReport.country_iso3 == country,
            models.ObjectiveReport.cycle_id == cycle_id,
            models.ObjectiveReport.objective == objective,
        )
    ).one_or_none()
    if (row.version if row else None) != expected_version:
        raise ConflictError("conflict", None, version=row.version if row else 0)
    now = dt.datetime.now(dt.UTC)
    if row is None:
        row = models.ObjectiveReport(country_iso3=country, cycle_id=cycle_id, objective=objective)
        session.add(row)
    row.status = clean.status or ""
    row.progress, row.challenges, row.priorities, row.good_practice = (
        clean.progress,
        clean.challenges,
        clean.priorities,
        clean.good_practice,
    )
    row.national_priority = clean.national_priority
    row.evidence_links = list(clean.evidence_links)
    row.is_demo = is_demo
    row.updated_by = _author(actor)
    row.updated_at = now
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as exc:
        raise ConflictError("conflict", None, version=0) from exc
    session.execute(delete(models.ReportTag).where(models.ReportTag.report_id == row.id))
    tags = [("principle", k) for k in clean.principles]
    tags += [("challenge", k) for k in clean.challenge_categories]
    tags += [("priority", k) for k in clean.priority_categories]
    session.add_all(models.ReportTag(report_id=row.id, kind=kind, key=key) for kind, key in tags)
    bump_revision(session)
    session.flush()
    return SavedReport(id=row.id, version=row.version, updated_at=now)


def remove_demo_reports(session: Session) -> int:
    """Delete every demo report (and only those); return how many were deleted."""
    ids = select(models.ObjectiveReport.id).where(models.ObjectiveReport.is_demo.is_(True))
    session.execute(delete(models.ReportTag).where(models.ReportTag.report_id.in_(ids)))
    count = session.execute(delete(models.ObjectiveReport).where(models.ObjectiveReport.is_demo.is_(True))).rowcount
    bump_revision(session)
    return count
