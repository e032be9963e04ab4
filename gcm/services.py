"""Writes to reports: validate, authorize and write in one transaction, with an append-only history.

Services take a `Session` already inside a transaction (see `gcm.db.write_session`), the
acting user and plain values; they raise `DomainError`s whose message key and parameters the
pages translate for the user.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import Connection, Row, UniqueConstraint, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gcm import driver_sql, models, permissions, revision_counters, save_statement
from gcm.accounts import audit_values
from gcm.errors import ConflictError, DomainError, PermissionDenied, ValidationError
from gcm.permissions import SYSTEM, Actor
from gcm.reference import OBJECTIVE_COUNT, Reference

__all__ = ["SYSTEM", "Actor", "ConflictError", "DomainError", "PermissionDenied", "ValidationError"]

TEXT_LIMITS = {"progress": 5000, "challenges": 5000, "priorities": 5000, "good_practice": 3000}
LIST_FIELDS = ("principles", "challenge_categories", "priority_categories")
# A report's fields in the order the form shows them: lists of fields (what changed, what a report holds) follow it.
FORM_FIELDS = ("status", "national_priority", *TEXT_LIMITS, *LIST_FIELDS, "evidence_links")
MAX_LINKS = 10
MAX_LINK_LENGTH = 500
MAX_AUTHOR_LENGTH = 120
# Control characters other than tab and newline are stripped from user text.
# Removed from every stored text: C0 controls but tab and newline, DEL, C1 controls, bidirectional
# embeddings/overrides/isolates (U+202A–202E, U+2066–2069: they can make text read backwards) and
# invisible zero-width characters (U+200B, U+2060, U+FEFF), and lone surrogates (U+D800–DFFF: half of a
# character, which no database can store as UTF-8). Zero-width (non-)joiners U+200C/U+200D stay: Persian,
# Indic scripts and emoji need them to spell words.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\ud800-\udfff]")
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
    """Text as stored: Unicode NFC, line breaks as newlines, control/bidi-override/zero-width characters and
    lone surrogates removed (see _CONTROL), surrounding blanks stripped; letters of every script kept as typed."""
    # Removal first, composition last: removing a character may bring a letter and its accent together.
    text = _CONTROL.sub("", _LINE_BREAKS.sub("\n", value or ""))
    return unicodedata.normalize("NFC", text).strip()


def parse_links(value: str) -> tuple[str, ...]:
    """Split the evidence-links text area (one link per line) into links."""
    return tuple(line.strip() for line in clean_text(value).splitlines() if line.strip())


def _link_problems(link: str) -> list[DomainError]:
    """What is wrong with one evidence link, named as the person can fix it: too long, a space in it, or not
    a web address (no http:// or https://, or no host)."""
    shown = link[:80]
    if len(link) > MAX_LINK_LENGTH:
        return [DomainError("link_too_long", "evidence_links", value=shown, limit=MAX_LINK_LENGTH)]
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return [DomainError("bad_link", "evidence_links", value=shown)]
    if any(character.isspace() for character in link):
        return [DomainError("link_space", "evidence_links", value=shown)]
    return []


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
        errors += _link_problems(link)
    if errors:
        raise ValidationError(errors)
    return ReportInput(  # tags are kept as rows, in no order: sorted, as they are read back (`_stored`)
        status=data.status,
        principles=tuple(sorted(set(data.principles))),
        challenge_categories=tuple(sorted(set(data.challenge_categories))),
        priority_categories=tuple(sorted(set(data.priority_categories))),
        national_priority=bool(data.national_priority),
        evidence_links=tuple(dict.fromkeys(links)),
        **texts,
    )


def bump_revision(session: Session) -> None:
    """Mark that data changed, so every process's cached reads refresh (every counter of `DataRevision`)."""
    _bump(session.connection(), published=True, setup=True)


def bump_published(session: Session, country: str, cycle_id: str) -> None:
    """Mark that a step of `country`'s report's workflow in the cycle changed what readers see (every counter of
    `DataRevision` but `setup`, and the country's own in the cycle): no cycle, grouping, country, group, setting or
    demo report changed, so reads of those stay cached, and so do the reads of every other country's reporting
    and of every other cycle's."""
    _bump(session.connection(), published=True, country=country, cycle=cycle_id)


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


def _stored(row: Row) -> dict:
    """What is stored for a report now (a `_TARGET` row), in the same form as `_snapshot`."""
    by_kind: dict[str, list[str]] = {"principle": [], "challenge": [], "priority": []}
    for pair in row.tags.split(_TAG_SEP) if row.tags else ():
        kind, key = pair.split(_KIND_SEP, 1)
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


# A save runs as a handful of prebuilt Core statements (no ORM unit of work): one read, then only
# the writes that the change needs. Tags are read in the same query, aggregated into one string:
# "kind<US>key" pairs joined by <RS> (ASCII unit/record separators never occur in reference keys).
_KIND_SEP, _TAG_SEP = "\x1f", "\x1e"
_REPORT = models.ObjectiveReport.__table__
_TAG = models.ReportTag.__table__
_CYCLE = models.Cycle.__table__
_SUBMISSION = models.Submission.__table__
# The report columns that hold its values (the rest of the snapshot is tags).
_COLUMNS = ("status", *TEXT_LIMITS, "national_priority", "evidence_links")
_TAG_KINDS = {field: kind for kind, field in models.TAG_FIELDS.items()}
_TAG_PAIRS = (
    select(func.aggregate_strings(_TAG.c.kind + _KIND_SEP + _TAG.c.key, _TAG_SEP))
    .where(_TAG.c.report_id == _REPORT.c.id)
    .scalar_subquery()
)
# The cycle, the country's submission state and its report (if any) with its tags, in one read.
_TARGET = (
    select(
        select(models.Country.__table__.c.iso3)
        .where(models.Country.__table__.c.iso3 == bindparam("country"))
        .scalar_subquery()
        .label("country_known"),
        _CYCLE.c.is_open,
        _CYCLE.c.is_locked,
        _CYCLE.c.deadline,
        _SUBMISSION.c.state,
        _REPORT.c.id,
        _REPORT.c.version,
        _REPORT.c.is_demo,
        _REPORT.c.updated_at,
        *(_REPORT.c[name] for name in _COLUMNS),
        _TAG_PAIRS.label("tags"),
    )
    .select_from(_CYCLE)
    .outerjoin(
        _SUBMISSION,
        and_(_SUBMISSION.c.country_iso3 == bindparam("country"), _SUBMISSION.c.cycle_id == _CYCLE.c.id),
    )
    .outerjoin(
        _REPORT,
        and_(
            _REPORT.c.country_iso3 == bindparam("country"),
            _REPORT.c.cycle_id == _CYCLE.c.id,
            _REPORT.c.objective == bindparam("objective"),
        ),
    )
    .where(_CYCLE.c.id == bindparam("cycle"))
)
# The SET clause follows the parameters given: only changed columns are written, so the search
# index triggers (UPDATE OF the narrative fields) fire only when a narrative field changed.
_UPDATE = update(_REPORT).where(_REPORT.c.id == bindparam("b_id"), _REPORT.c.version == bindparam("b_version"))
_INSERT = insert(_REPORT)
_DELETE_TAGS = delete(_TAG).where(_TAG.c.report_id == bindparam("b_id"))
_INSERT_TAGS = insert(_TAG)
_INSERT_REVISION = insert(models.ReportRevision.__table__).inline()  # its id is not read back
_INSERT_AUDIT = insert(models.AuditEvent.__table__).inline()
# What each write moves (`gcm.revision_counters`), by the counters it moves: the data revision's slot, and on
# SQLite the country's counters in a statement of their own; on PostgreSQL both in one statement (a data-modifying
# CTE), so the country costs no round trip of its own.
_BUMPS = {counters: revision_counters.data_revision_bump(counters) for counters in revision_counters.LEVELS}
_BUMP_COUNTRY = {counters: revision_counters.country_bump(sqlite, counters) for counters in revision_counters.LEVELS}
_BUMP_WITH_COUNTRY = {
    counters: _BUMPS[counters].add_cte(revision_counters.country_bump(postgresql, counters).cte("country_bump"))
    for counters in revision_counters.LEVELS
}
# The report fields no count, status or priority reads: a save that changes only these leaves `tallied`.
TEXT_FIELDS = frozenset({"progress", "challenges", "priorities", "good_practice", "evidence_links"})
# Each pooled connection of this process takes the next slot, from a random start so that processes
# sharing a database mostly take different ones.
_slots = itertools.count(random.randrange(models.REVISION_SLOTS))


def _revision_slot(connection: Connection) -> int:
    """The `data_revision` row this connection's writes move: its own, kept with the pooled connection (whose
    `info` lasts across checkouts, and which one thread uses at a time)."""
    if "revision_slot" not in connection.info:
        connection.info["revision_slot"] = next(_slots) % models.REVISION_SLOTS + 1
    return connection.info["revision_slot"]


def _bump(
    connection: Connection,
    published: bool,
    tallied: bool = True,
    setup: bool = False,
    country: str | None = None,
    cycle: str | None = None,
) -> None:
    """Add one to this connection's slot of `revision` (and of `published`, which implies `tallied`; or of
    `tallied` alone; with `setup`, of all four), and to `country`'s counters of the same kinds in `cycle`, in the
    caller's transaction.

    A write that changes one country's reporting names it and the cycle it changes; one that names none must move
    `setup`, which the reads of one country's or one cycle's reporting are keyed on too (`queries.of_one_country`,
    `queries.of_cycle`)."""
    if (country is None or cycle is None) and not setup:
        raise ValueError("a write of reports names its country and cycle, or moves setup")
    counters = revision_counters.moved(published, tallied, setup)
    statement = _BUMPS[counters]
    values: dict[str, object] = {"slot": _revision_slot(connection)}
    if country is not None:
        if cycle is None:
            raise ValueError("a write of a country's reports names the cycle it changes")
        values |= {"country": country, "cycle": cycle}
        if connection.dialect.name == "postgresql":
            statement = _BUMP_WITH_COUNTRY[counters]
        else:
            driver_sql.run(connection, _BUMP_COUNTRY[counters], values)
    if driver_sql.run(connection, statement, values).rowcount != 1:
        raise RuntimeError("data_revision lacks its slot rows: run the migrations")


def seen_beyond_its_country(state: str | None, is_demo: bool) -> bool:
    """Whether saving a report in this workflow state changes what readers who do not see drafts read.

    A draft or returned report is read only by its own country and the secretariat. Demo reports change
    the demo banner's count, which every reader sees.
    """
    return is_demo or (state or "draft") not in permissions.EDITABLE_STATES


def _read_target(session: Session, connection: Connection, country: str, cycle_id: str, objective: int) -> Row:
    """The `_TARGET` row; raises what `_check_target` raises for an unknown country, cycle or objective."""
    valid = isinstance(objective, int) and not isinstance(objective, bool) and 1 <= objective <= OBJECTIVE_COUNT
    target = (
        driver_sql.run(connection, _TARGET, {"country": country, "cycle": cycle_id, "objective": objective}).first()
        if valid
        else None
    )
    if target is None or target.country_known is None:
        _check_target(session, country, cycle_id, objective)  # raises the first problem, in the usual order
    return target


def _tag_rows(report_id: int, after: dict) -> list[dict]:
    return [
        {"report_id": report_id, "kind": kind, "key": key} for name, kind in _TAG_KINDS.items() for key in after[name]
    ]


def _report_values(target: Row, after: dict, changes: dict, fields: dict) -> dict:
    """The report columns a save writes: every one for a new report, else those that changed, with the lengths of
    the narratives written and the save's own fields (author, time, demo flag; a new report's place)."""
    names = _COLUMNS if target.id is None else tuple(name for name in _COLUMNS if name in changes)
    values = {name: after[name] for name in names} | fields
    return values | models.text_lengths(values)


def _write_report(
    session: Session, connection: Connection, target: Row, after: dict, changes: dict, fields: dict
) -> tuple[int, int]:
    """Insert or update the report row and its tags, statement by statement (SQLite; PostgreSQL writes in one
    statement, `_write_in_one_statement`); return (id, version). A lost race is a conflict."""
    values = _report_values(target, after, changes, fields)
    try:
        if target.id is None:
            report_id, version = connection.execute(_INSERT, values | {"version": 1}).inserted_primary_key[0], 1
        else:
            report_id, version = target.id, target.version + 1
            params = values | {"version": version, "b_id": report_id, "b_version": target.version}
            if driver_sql.run(connection, _UPDATE, params).rowcount != 1:
                raise ConflictError(0)
    except IntegrityError as exc:
        raise ConflictError(0) from exc
    _after_report_write(session, connection, target, report_id, after, changes)
    return report_id, version


def _after_report_write(
    session: Session, connection: Connection, target: Row, report_id: int, after: dict, changes: dict
) -> None:
    """The tags of the report written, where they changed; an ORM copy of the report the caller loaded expired,
    so that it does not show the old values."""
    if target.id is not None:
        stale = session.identity_map.get(session.identity_key(models.ObjectiveReport, report_id))
        if stale is not None:
            session.expire(stale)
    if target.id is None or any(name in changes for name in _TAG_KINDS):
        if target.tags:
            connection.execute(_DELETE_TAGS, {"b_id": report_id})
        tags = _tag_rows(report_id, after)
        if tags:
            connection.execute(_INSERT_TAGS, tags)


@dataclass(frozen=True)
class _Write:
    """What a save writes: the report's values (`after`, `changes`, `fields`, over `target`), its revision's and
    its audit event's (None: none is logged), for `country` in `cycle`."""

    target: Row
    after: dict
    changes: dict
    fields: dict
    revision: dict
    audit: dict | None
    country: str
    cycle: str


# The unique constraint on a report's country, cycle and objective: a new report's write fails on it where another
# save created the report first. Any other constraint failing in a save's one statement is not a conflict.
_ONE_REPORT_A_PLACE = next(
    constraint.name
    for constraint in _REPORT.constraints
    if isinstance(constraint, UniqueConstraint)
    and set(constraint.columns.keys()) == {"country_iso3", "cycle_id", "objective"}
)


def _constraint(error: IntegrityError) -> str | None:
    """The name of the constraint PostgreSQL says `error` broke (psycopg's diagnostics), if it says."""
    diagnostics = getattr(error.orig, "diag", None)
    return getattr(diagnostics, "constraint_name", None)


def _prefixed(prefix: str, values: dict) -> dict:
    return {prefix + name: value for name, value in values.items()}


def _write_in_one_statement(session: Session, connection: Connection, write: _Write, counters: tuple[str, ...]) -> int:
    """The save's writes on PostgreSQL (`gcm.save_statement`), then its tags; the report's id. A lost race is a
    conflict, and then nothing is written."""
    target = write.target
    values = _report_values(target, write.after, write.changes, write.fields) | {"version": write.revision["version"]}
    statement = save_statement.write_statement(tuple(values), target.id is None, write.audit is not None, counters)
    params = _prefixed(save_statement.REPORT, values) | _prefixed(save_statement.REVISION, write.revision)
    params |= _prefixed(save_statement.AUDIT, write.audit or {})
    params |= {"slot": _revision_slot(connection), "country": write.country, "cycle": write.cycle}
    if target.id is not None:
        params |= {"b_id": target.id, "b_version": target.version}
    try:
        row = driver_sql.run(connection, statement, params).first()
    except IntegrityError as exc:
        if _constraint(exc) == _ONE_REPORT_A_PLACE:  # another save created the report first
            raise ConflictError(0) from exc
        raise
    if row.report_id is None:  # another save moved the report's version first
        raise ConflictError(0)
    if row.counted != 1:
        raise RuntimeError("data_revision lacks its slot rows: run the migrations")
    _after_report_write(session, connection, target, row.report_id, write.after, write.changes)
    return row.report_id


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
    session.flush()  # the caller's pending changes (e.g. a submission) must be visible to the read
    connection = session.connection()
    target = _read_target(session, connection, country, cycle_id, objective)
    window = permissions.CycleWindow(is_open=target.is_open, is_locked=target.is_locked, deadline=target.deadline)
    permissions.check_edit(actor, country, window, target.state or "draft", today())
    errors = [] if clean_text(actor.name) else [DomainError("required", "author")]
    try:
        clean = validate_report(ref, data)
    except ValidationError as exc:
        raise ValidationError(errors + exc.errors) from None
    if errors:
        raise ValidationError(errors)
    if target.version != expected_version:
        raise ConflictError(target.version or 0, _stored(target) if target.id is not None else None)
    before = _stored(target) if target.id is not None else {}
    after = _snapshot(clean)
    changes = {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
    if target.id is not None and not changes and target.is_demo == is_demo:
        return SavedReport(id=target.id, version=target.version, updated_at=target.updated_at)
    now = dt.datetime.now(dt.UTC)
    author = _author(actor)
    fields = {"is_demo": is_demo, "updated_by": author, "updated_at": now}
    if target.id is None:
        fields |= {"country_iso3": country, "cycle_id": cycle_id, "objective": objective}
    version = 1 if target.id is None else target.version + 1
    revision = {
        "version": version,
        "action": "create" if not before and action == "edit" else action,  # an import stays "import"
        "at": now,
        "by": author,
        "changes": changes,
        "snapshot": after,
    }
    audit = None  # the demo loader's thousands of saves would drown the log
    if not is_demo:
        audit = audit_values(
            "report_restored" if action == "restore" else "report_saved",
            author,
            detail=f"objective {objective} v{version}: {', '.join(changes)}",
            country=country,
            cycle_id=cycle_id,
            at=now,
        )
    text_only = target.id is not None and changes.keys() <= TEXT_FIELDS  # a demo flag's change moves `published`
    demo = is_demo or bool(target.is_demo)  # a demo report saved (or made a real one) changes the demo count
    counted = {"published": seen_beyond_its_country(target.state, demo), "tallied": not text_only, "setup": demo}
    if connection.dialect.name == "postgresql":
        write = _Write(target, after, changes, fields, revision, audit, country, cycle_id)
        report_id = _write_in_one_statement(session, connection, write, revision_counters.moved(**counted))
    else:
        report_id, _ = _write_report(session, connection, target, after, changes, fields)
        driver_sql.run(connection, _INSERT_REVISION, revision | {"report_id": report_id})
        if audit is not None:
            driver_sql.run(connection, _INSERT_AUDIT, audit)
        _bump(connection, **counted, country=country, cycle=cycle_id)
    return SavedReport(id=report_id, version=version, updated_at=now)


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
