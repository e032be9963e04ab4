"""SQLAlchemy models. Reference tables mirror data/*.yaml so that aggregates run in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    func,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Objective(Base):
    __tablename__ = "objective"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hub_id: Mapped[int] = mapped_column(Integer)
    title_en: Mapped[str] = mapped_column(Text)
    title_es: Mapped[str] = mapped_column(Text)
    short_en: Mapped[str] = mapped_column(String(200))
    short_es: Mapped[str] = mapped_column(String(200))


class CountryGroup(Base):
    __tablename__ = "country_group"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_es: Mapped[str] = mapped_column(String(300))


class Country(Base):
    __tablename__ = "country"
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[str] = mapped_column(String(200))


class CountryMembership(Base):
    __tablename__ = "country_membership"
    group_key: Mapped[str] = mapped_column(ForeignKey("country_group.key"), primary_key=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), primary_key=True)


class Grouping(Base):
    __tablename__ = "grouping"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_es: Mapped[str] = mapped_column(String(300))
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)


class GroupingSection(Base):
    """One round table (or thematic area) of a grouping."""

    __tablename__ = "grouping_section"
    __table_args__ = (UniqueConstraint("grouping_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grouping_id: Mapped[str] = mapped_column(ForeignKey("grouping.id"))
    number: Mapped[int] = mapped_column(Integer)
    title_en: Mapped[str] = mapped_column(Text)
    title_es: Mapped[str] = mapped_column(Text)


class SectionObjective(Base):
    """Places an objective in one section; unique per grouping, so each objective sits in one section."""

    __tablename__ = "section_objective"
    __table_args__ = (UniqueConstraint("grouping_id", "objective"),)
    section_id: Mapped[int] = mapped_column(ForeignKey("grouping_section.id", ondelete="CASCADE"), primary_key=True)
    objective: Mapped[int] = mapped_column(ForeignKey("objective.number"), primary_key=True)
    grouping_id: Mapped[str] = mapped_column(ForeignKey("grouping.id"))


class Cycle(Base):
    __tablename__ = "cycle"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_es: Mapped[str] = mapped_column(String(300))
    # the name where room is tight; a cycle without one is shown by its name
    short_en: Mapped[str | None] = mapped_column(String(80), nullable=True)
    short_es: Mapped[str | None] = mapped_column(String(80), nullable=True)
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    grouping_id: Mapped[str] = mapped_column(ForeignKey("grouping.id"))
    grouping_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    is_locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


# The narratives that findings quote, ranked by length (`gcm.findings`). Each has a `<name>_length` column kept by
# every write: an insert through the column's default, an update through `text_lengths` (the save service) or the
# ORM's flush (`_keep_text_lengths`); a Core `update()` of a text must add `text_lengths` itself. With the lengths
# in the covering index, the ranking reads no narrative.
QUOTED_TEXTS = ("challenges", "priorities", "good_practice")


def length_column(name: str) -> str:
    """The name of the column that keeps the length of the quoted narrative `name`."""
    return f"{name}_length"


def text_lengths(values: Mapping[str, Any]) -> dict[str, int]:
    """The `<name>_length` values for the quoted narratives among `values` (column name: text)."""
    return {length_column(name): len(values[name] or "") for name in QUOTED_TEXTS if name in values}


def _length_on_insert(name: str) -> Callable[[DefaultExecutionContext], int]:
    """An insert default: the length of the row's `name` (empty when the insert leaves it out)."""

    def length(context: DefaultExecutionContext) -> int:
        return len(context.get_current_parameters().get(name) or "")

    return length


class ObjectiveReport(Base):
    """A country's report on one objective in one cycle."""

    __tablename__ = "objective_report"
    __table_args__ = (
        UniqueConstraint("country_iso3", "cycle_id", "objective", name="uq_report_country_cycle_objective"),
        # Covering index for the overview's hot queries and the findings' quotations: they never touch the narrative
        # columns (the quotations read the lengths here, then the texts of the few they quote).
        Index(
            "ix_report_cycle_cover",
            "cycle_id",
            "objective",
            "country_iso3",
            "status",
            "national_priority",
            *map(length_column, QUOTED_TEXTS),
        ),
        # The same columns for reads that join the reports to a group's countries: SQLite then looks each country
        # up here instead of in the unique index, which would read the row and, for `national_priority`, the
        # narrative columns stored before it (4.5 ms against 1.6 ms for a cycle of 193 countries).
        Index("ix_report_country_cover", "country_iso3", "cycle_id", "objective", "status", "national_priority"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"))
    cycle_id: Mapped[str] = mapped_column(ForeignKey("cycle.id"))
    objective: Mapped[int] = mapped_column(ForeignKey("objective.number"))
    status: Mapped[str] = mapped_column(String(32))
    progress: Mapped[str] = mapped_column(Text, default="")
    challenges: Mapped[str] = mapped_column(Text, default="")
    priorities: Mapped[str] = mapped_column(Text, default="")
    good_practice: Mapped[str] = mapped_column(Text, default="")
    national_priority: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence_links: Mapped[list] = mapped_column(JSON, default=list)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    challenges_length: Mapped[int] = mapped_column(Integer, default=_length_on_insert("challenges"), server_default="0")
    priorities_length: Mapped[int] = mapped_column(Integer, default=_length_on_insert("priorities"), server_default="0")
    good_practice_length: Mapped[int] = mapped_column(
        Integer, default=_length_on_insert("good_practice"), server_default="0"
    )

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}

    @classmethod
    def length_of(cls, name: str) -> Any:
        """The stored length column of the quoted narrative `name`."""
        return getattr(cls, length_column(name))


@event.listens_for(ObjectiveReport, "before_update")
def _keep_text_lengths(_mapper: Any, _connection: Any, report: ObjectiveReport) -> None:
    """A report changed through the ORM keeps its stored lengths."""
    for name, length in text_lengths({name: getattr(report, name) for name in QUOTED_TEXTS}).items():
        setattr(report, name, length)


class ReportTag(Base):
    """A guiding principle, challenge category or priority category attached to a report.

    Kept as rows (not a JSON list) so that "most cited" counts run in SQL.
    """

    __tablename__ = "report_tag"
    __table_args__ = (Index("ix_report_tag_kind_key", "kind", "key"),)
    report_id: Mapped[int] = mapped_column(ForeignKey("objective_report.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)


# The kinds of `ReportTag` and the field of a report each one fills (a form's, an export's, a workbook's).
TAG_FIELDS = {"principle": "principles", "challenge": "challenge_categories", "priority": "priority_categories"}


# Rows of `data_revision`: a write moves the counters of one slot, the one of its database connection, so
# concurrent writers on PostgreSQL do not queue on one hot row for each other's commits
# (see gcm.services._revision_slot).
REVISION_SLOTS = 64


class DataRevision(Base):
    """Four counters cached reads are keyed on, each the sum over `REVISION_SLOTS` rows. `revision` moves on
    with every write; `published` with every write except a save of a draft: what readers who do not see
    drafts read changes only when `published` does, so their caches survive the delegates' saves. `tallied`
    moves with every write except a save that changes only a report's narrative text (what a delegate does
    most while writing): reads of statuses, priorities and counts survive it whoever reads them. Whatever
    moves `published` moves `tallied`. `setup` moves with every write except a save of a report (not a demo
    one) and a step of a report's workflow (submit, return, validate, reopen): reads of cycles, groupings,
    countries and groups, settings and the demo count survive the reporting itself.

    A write adds one to a single slot in its own transaction, so a reader who sees a sum sees every write
    counted in it; the sums only grow."""

    __tablename__ = "data_revision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    tallied: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    setup: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CountryRevision(Base):
    """The counters of `DataRevision` but `setup`, for one country's reporting in one cycle: each the sum over
    the rows of the country (and cycle), one per slot (a write moves the row of its connection's slot, as for
    `DataRevision`, so that the delegates of one country saving together do not queue on one row). `revision`
    moves with every save of the country's reports in the cycle and every step of their workflow; `published`
    and `tallied` with those of them that move the data revisions of the same name. The reads of one country's
    reporting (`queries.of_one_country`) are cached on `setup` and on the country's counter of their kind, summed
    over every cycle, so another country's save leaves them in place; the reads of one cycle's reporting
    (`queries.of_cycle`) on the counters of that cycle only, so a save in another cycle leaves them in place. A
    row is made by the country's first write in the cycle in its slot."""

    __tablename__ = "country_revision"
    __table_args__ = (Index("ix_country_revision_cycle", "cycle_id", "country_iso3"),)
    country_iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    cycle_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    published: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    tallied: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class UserAccount(Base):
    """A local account; `password_hash` is Argon2id, None for single-sign-on-only accounts."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True, nullable=True)
    role: Mapped[str] = mapped_column(String(16))
    country_iso3: Mapped[str | None] = mapped_column(ForeignKey("country.iso3"), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(256), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# User names are unique without regard to case ("admin" and "Admin" are one account).
Index("uq_user_account_username_nocase", func.lower(UserAccount.username), unique=True)


class AuthSession(Base):
    """A signed-in browser: only the SHA-256 of the cookie's random token is stored."""

    __tablename__ = "auth_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEvent(Base):
    """Every workflow event (saves, submissions, reviews, restores, cycle and declaration changes), sign-ins,
    refusals and account changes, kept for the secretariat; report events name their country and cycle."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_kind_at", "kind", "at"),
        Index("ix_audit_scope", "country_iso3", "cycle_id", "at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    country_iso3: Mapped[str | None] = mapped_column(String(3), nullable=True)
    cycle_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Submission(Base):
    """Workflow state of one country's report in one cycle: draft, submitted, validated, returned."""

    __tablename__ = "submission"
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), primary_key=True)
    cycle_id: Mapped[str] = mapped_column(ForeignKey("cycle.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # The objectives the secretariat pointed at when it returned the report (None: none).
    flagged: Mapped[list | None] = mapped_column(JSON, nullable=True)


class ReportRevision(Base):
    """Append-only history: one row per change of a report, with a full snapshot and the diff."""

    __tablename__ = "report_revision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("objective_report.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(200))
    changes: Mapped[dict] = mapped_column(JSON)
    snapshot: Mapped[dict] = mapped_column(JSON)


class AppSetting(Base):
    """Switches the secretariat sets in the app (e.g. rehearsal mode), shared by every server process."""

    __tablename__ = "app_setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class ReviewEvent(Base):
    """A consultation or meeting of a regional review process (e.g. the 2021 LAC review)."""

    __tablename__ = "review_event"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_es: Mapped[str] = mapped_column(String(300))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)


class ReviewFigure(Base):
    """One figure of a review event: participants of a stage, registrations of a stakeholder group, or an audience."""

    __tablename__ = "review_figure"
    __table_args__ = (UniqueConstraint("event_id", "kind", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("review_event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # stage | group | audience
    key: Mapped[str] = mapped_column(String(64))
    label_en: Mapped[str] = mapped_column(String(300))
    label_es: Mapped[str] = mapped_column(String(300))
    value: Mapped[int] = mapped_column(Integer)
    start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Declaration(Base):
    """The regional declaration drafted for a cycle; once a version is adopted it is frozen."""

    __tablename__ = "declaration"
    cycle_id: Mapped[str] = mapped_column(ForeignKey("cycle.id"), primary_key=True)
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    adopted_version: Mapped[int | None] = mapped_column(Integer, nullable=True)


class DeclarationVersion(Base):
    """Every saved text of a declaration, kept (append-only)."""

    __tablename__ = "declaration_version"
    __table_args__ = (UniqueConstraint("cycle_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[str] = mapped_column(ForeignKey("declaration.cycle_id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(200))


# Full-text search structures made by migration 0005 (SQLite FTS5 table and its shadow tables,
# PostgreSQL expression indexes), kept in sync by the database itself, not by the ORM.
SEARCH_OBJECT_PREFIX = "report_search"


def include_in_autogenerate(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic `include_name` hook: leave the search structures of migration 0005 alone."""
    return not (
        (type_ == "table" and (name or "").startswith(SEARCH_OBJECT_PREFIX))
        or (type_ == "index" and (name or "").startswith(f"ix_{SEARCH_OBJECT_PREFIX}_"))
    )
