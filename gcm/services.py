"""Writes to reports: validate, authorize and write in one transaction, with an append-only history.

Services take a `Session` already inside a transaction (see `gcm.db.write_session`), the
acting user and plain values; they raise `DomainError`s whose message key and parameters the
pages translate for the user.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from gcm import models, permissions
from gcm.accounts import audit
from gcm.errors import ConflictError, DomainError, PermissionDenied, ValidationError
from gcm.permissions import SYSTEM, Actor
from gcm.reference import OBJECTIVE_COUNT, Reference

__all__ = ["SYSTEM", "Actor", "ConflictError", "DomainError", "PermissionDenied", "ValidationError"]

TEXT_LIMITS = {"progress": 5000, "challenges": 5000, "priorities": 5000, "good_practice": 3000}
MAX_LINKS = 10
MAX_LINK_LENGTH = 500
MAX_AUTHOR_LENGTH = 120
# Control characters other than tab and newline are stripped from user text.
# Removed from every stored text: C0 controls but tab and newline, DEL, C1 controls, bidirectional
# embeddings/overrides/isolates (U+202A–202E, U+2066–2069: they can make text read backwards) and
# invisible zero-width characters (U+200B, U+2060, U+FEFF). Zero-width (non-)joiners U+200C/U+200D
# stay: Persian, Indic scripts and emoji need them to spell words.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")


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
    """Text as stored: Unicode NFC, line breaks as newlines, control/bidi-override/zero-width characters
    removed (see _CONTROL), surrounding blanks stripped; letters of every script kept as typed."""
    # Removal first, composition last: removing a character may bring a letter and its accent together.
    text = _CONTROL.sub("", _LINE_BREAKS.sub("\n", value or ""))
    return unicodedata.normalize("NFC", text).strip()


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


def _check_target(session: Session, country: str, cycle_id: str, objective: int) -> models.Cycle:
    if session.get(models.Country, country) is None:
        raise ValidationError([DomainError("unknown_value", "country", value=country)])
    cycle = session.get(models.Cycle, cycle_id)
    if cycle is None:
        raise ValidationError([DomainError("unknown_value", "cycle", value=cycle_id)])
    if not isinstance(objective, int) or isinstance(objective, bool) or not 1 <= objective <= OBJECTIVE_COUNT:
        raise ValidationError([DomainError("unknown_value", "objective", value=objective)])
    return cycle


def today() -> dt.date:
    """Today in UTC: deadlines are compared with it."""
    return dt.datetime.now(dt.UTC).date()


def cycle_window(cycle: models.Cycle) -> permissions.CycleWindow:
    return permissions.CycleWindow(is_open=cycle.is_open, is_locked=cycle.is_locked, deadline=cycle.deadline)


def submission_state(session: Session, country: str, cycle_id: str) -> str:
    """The workflow state of a country's report in a cycle ("draft" until anything else happens)."""
    row = session.get(models.Submission, (country, cycle_id))
    return row.state if row else "draft"


def _author(actor: Actor) -> str:
    return clean_text(actor.name)[:MAX_AUTHOR_LENGTH]


SNAPSHOT_FIELDS = tuple(ReportInput.__dataclass_fields__)


def _snapshot(data: ReportInput) -> dict:
    """A report's values as plain JSON-ready data (lists, not tuples)."""
    return {name: list(v) if isinstance(v, tuple) else v for name in SNAPSHOT_FIELDS for v in [getattr(data, name)]}


def stored_snapshot(session: Session, row: models.ObjectiveReport) -> dict:
    """What is stored for a report now, in the same form as `_snapshot`."""
    tags = session.execute(
        select(models.ReportTag.kind, models.ReportTag.key).where(models.ReportTag.report_id == row.id)
    )
    by_kind: dict[str, list[str]] = {"principle": [], "challenge": [], "priority": []}
    for kind, key in tags:
        by_kind[kind].append(key)
    return {
        "status": row.status,
        "progress": row.progress,
        "challenges": row.challenges,
        "priorities": row.priorities,
        "good_practice": row.good_practice,
        "principles": sorted(by_kind["principle"]),
        "challenge_categories": sorted(by_kind["challenge"]),
        "priority_categories": sorted(by_kind["priority"]),
        "national_priority": row.national_priority,
        "evidence_links": list(row.evidence_links or []),
    }


def _find(session: Session, country: str, cycle_id: str, objective: int) -> models.ObjectiveReport | None:
    return session.scalars(
        select(models.ObjectiveReport).where(
            models.ObjectiveReport.country_iso3 == country,
            models.ObjectiveReport.cycle_id == cycle_id,
            models.ObjectiveReport.objective == objective,
        )
    ).one_or_none()


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
    action: str = "edit",
) -> SavedReport:
    """Create or update one objective report and append a revision, in the caller's transaction.

    Only the delegate of `country` may write, while the cycle accepts edits and the country
    report is a draft or was returned. `expected_version` is the version the user saw when the
    form was drawn (None for a new report); if the stored report has moved on, `ConflictError`
    carries what is stored now and nothing is written. Saving unchanged values writes nothing.
    """
    cycle = _check_target(session, country, cycle_id, objective)
    permissions.check_edit(actor, country, cycle_window(cycle), submission_state(session, country, cycle_id), today())
    errors = [] if clean_text(actor.name) else [DomainError("required", "author")]
    try:
        clean = validate_report(ref, data)
    except ValidationError as exc:
        raise ValidationError(errors + exc.errors) from None
    if errors:
        raise ValidationError(errors)
    row = _find(session, country, cycle_id, objective)
    if (row.version if row else None) != expected_version:
        raise ConflictError(row.version if row else 0, stored_snapshot(session, row) if row else None)
    before = stored_snapshot(session, row) if row else {}
    after = _snapshot(clean)
    changes = {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
    if row is not None and not changes and row.is_demo == is_demo:
        return SavedReport(id=row.id, version=row.version, updated_at=row.updated_at)
    now = dt.datetime.now(dt.UTC)
    if row is None:
        row = models.ObjectiveReport(country_iso3=country, cycle_id=cycle_id, objective=objective)
        session.add(row)
    for name in TEXT_LIMITS:
        setattr(row, name, after[name])
    row.status = clean.status or ""
    row.national_priority = clean.national_priority
    row.evidence_links = after["evidence_links"]
    row.is_demo = is_demo
    row.updated_by = _author(actor)
    row.updated_at = now
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as exc:
        raise ConflictError(0) from exc
    session.execute(delete(models.ReportTag).where(models.ReportTag.report_id == row.id))
    tags = [("principle", k) for k in clean.principles]
    tags += [("challenge", k) for k in clean.challenge_categories]
    tags += [("priority", k) for k in clean.priority_categories]
    session.add_all(models.ReportTag(report_id=row.id, kind=kind, key=key) for kind, key in tags)
    session.add(
        models.ReportRevision(
            report_id=row.id,
            version=row.version,
            action="create" if not before and action == "edit" else action,  # an import stays "import"
            at=now,
            by=row.updated_by,
            changes=changes,
            snapshot=after,
        )
    )
    if not is_demo:  # the demo loader's thousands of saves would drown the log
        audit(
            session,
            "report_restored" if action == "restore" else "report_saved",
            row.updated_by,
            detail=f"objective {objective} v{row.version}: {', '.join(changes)}",
            country=country,
            cycle_id=cycle_id,
        )
    bump_revision(session)
    session.flush()
    return SavedReport(id=row.id, version=row.version, updated_at=now)


def restore_revision(
    session: Session, ref: Reference, actor: Actor, *, revision_id: int, expected_version: int
) -> SavedReport:
    """Make an earlier revision current again. This writes a new revision; nothing is deleted."""
    revision = session.get(models.ReportRevision, revision_id)
    if revision is None:
        raise ValidationError([DomainError("unknown_value", "revision", value=revision_id)])
    report = session.get(models.ObjectiveReport, revision.report_id)
    snapshot = revision.snapshot
    data = ReportInput(**{name: tuple(v) if isinstance(v, list) else v for name, v in snapshot.items()})
    return save_objective_report(
        session,
        ref,
        actor,
        country=report.country_iso3,
        cycle_id=report.cycle_id,
        objective=report.objective,
        data=data,
        expected_version=expected_version,
        action="restore",
    )


def remove_demo_reports(session: Session) -> int:
    """Delete every demo report (and only those) with their history; return how many were deleted."""
    ids = select(models.ObjectiveReport.id).where(models.ObjectiveReport.is_demo.is_(True))
    session.execute(delete(models.ReportTag).where(models.ReportTag.report_id.in_(ids)))
    session.execute(delete(models.ReportRevision).where(models.ReportRevision.report_id.in_(ids)))
    count = session.execute(delete(models.ObjectiveReport).where(models.ObjectiveReport.is_demo.is_(True))).rowcount
    sub, report = models.Submission, models.ObjectiveReport
    has_reports = (
        select(report.id).where(report.country_iso3 == sub.country_iso3, report.cycle_id == sub.cycle_id).exists()
    )
    session.execute(delete(sub).where(sub.updated_by == DEMO_AUTHOR, ~has_reports))
    bump_revision(session)
    return count


DEMO_AUTHOR = "demo"
