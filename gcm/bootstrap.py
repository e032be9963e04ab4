"""Bring a database up to date: migrations, then reference data from data/*.yaml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.orm import Session

from gcm import models
from gcm.config import Config
from gcm.db import forget_prepared, migrate, prepared_engine, write_session
from gcm.reference import Country, Reference, Text, load_reference
from gcm.review_process import load_events, sync_events
from gcm.services import bump_revision


@lru_cache(maxsize=4)
def reference_for(directory: str) -> Reference:
    """Reference data from `directory`, loaded and validated once per process."""
    return load_reference(Path(directory))


def with_database_countries(session: Session, ref: Reference) -> Reference:
    """`ref` plus the countries only the database holds (added by `gcm synth`), with their groups.

    Pages, exports and the briefing name countries through the reference data; this makes every
    country a report can belong to nameable, whether or not `data/countries.yaml` lists it.
    """
    known = {c.iso3 for c in ref.countries}
    rows = session.execute(
        select(models.Country.iso3, models.Country.name_en, models.Country.name_es)
        .where(models.Country.iso3.not_in(known))
        .order_by(models.Country.iso3)
    ).all()
    if not rows:
        return ref
    groups: dict[str, list[str]] = {}
    m = models.CountryMembership
    for key, iso3 in session.execute(select(m.group_key, m.country_iso3).where(m.country_iso3.not_in(known))):
        groups.setdefault(iso3, []).append(key)
    return ref.with_countries(
        Country(iso3=iso3, name=Text(en=en, es=es), groups=tuple(sorted(groups.get(iso3, ())))) for iso3, en, es in rows
    )


def _upsert(session: Session, model: type, key: dict, values: dict) -> object:
    row = session.get(model, tuple(key.values()) if len(key) > 1 else next(iter(key.values())))
    if row is None:
        row = model(**key, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    return row


def sync_reference(session: Session, ref: Reference) -> None:
    """Insert or update reference rows from YAML.

    Titles follow the YAML. A cycle's open/closed state and a grouping's sections are only
    set when they are first created: afterwards the secretariat owns them in the database. Anything inserted or
    changed moves every data revision (`bump_revision`): processes still running read it again, cached reads and
    group-wide frames kept country by country (`gcm.ui.spliced_reads`) alike.
    """
    changed: list[bool] = []

    def note(flushing: Session, *_: object) -> None:  # every flush, the session's own and autoflushes
        changed.append(bool(flushing.new) or any(flushing.is_modified(row) for row in flushing.dirty))

    event.listen(session, "before_flush", note)
    try:
        _sync(session, ref)
        session.flush()
    finally:
        event.remove(session, "before_flush", note)
    if any(changed):
        bump_revision(session)


def _sync(session: Session, ref: Reference) -> None:
    for o in ref.objectives:
        _upsert(
            session,
            models.Objective,
            {"number": o.number},
            {
                "hub_id": o.hub_id,
                "title_en": o.title.en,
                "title_es": o.title.es,
                "short_en": o.short.en,
                "short_es": o.short.es,
            },
        )
    for g in ref.groups:
        _upsert(session, models.CountryGroup, {"key": g.key}, {"name_en": g.name.en, "name_es": g.name.es})
    for c in ref.countries:
        _upsert(session, models.Country, {"iso3": c.iso3}, {"name_en": c.name.en, "name_es": c.name.es})
    session.flush()
    existing = set(
        session.execute(select(models.CountryMembership.group_key, models.CountryMembership.country_iso3)).all()
    )
    joined = [(group, c.iso3) for c in ref.countries for group in c.groups if (group, c.iso3) not in existing]
    for group, iso3 in joined:  # a group's reads are keyed on its members' counters: read its members again
        session.add(models.CountryMembership(group_key=group, country_iso3=iso3))
    for grouping in ref.groupings:
        is_new = session.get(models.Grouping, grouping.id) is None
        _upsert(
            session,
            models.Grouping,
            {"id": grouping.id},
            {"name_en": grouping.name.en, "name_es": grouping.name.es, "provisional": grouping.provisional},
        )
        session.flush()
        if is_new:
            for section in grouping.sections:
                row = models.GroupingSection(
                    grouping_id=grouping.id, number=section.number, title_en=section.title.en, title_es=section.title.es
                )
                session.add(row)
                session.flush()
                session.add_all(
                    models.SectionObjective(section_id=row.id, objective=n, grouping_id=grouping.id)
                    for n in section.objectives
                )
    for cycle in ref.cycles:
        values = {
            "name_en": cycle.name.en,
            "name_es": cycle.name.es,
            "short_en": cycle.short.en,
            "short_es": cycle.short.es,
            "start": cycle.start,
            "end": cycle.end,
        }
        row = session.get(models.Cycle, cycle.id)
        if row is None:
            session.add(
                models.Cycle(
                    id=cycle.id,
                    grouping_id=cycle.grouping,
                    grouping_confirmed=cycle.grouping_confirmed,
                    is_open=cycle.is_open,
                    **values,
                )
            )
        else:
            for name, value in values.items():
                setattr(row, name, value)


# Planner statistics are refreshed when the reports have grown past this factor of the count they describe.
STATISTICS_GROWTH = 2
STATISTICS_MIN_ROWS = 200


def _analyzed_reports(session: Session) -> int | None:
    """How many reports the planner statistics describe (None: never analysed)."""
    if session.get_bind().dialect.name == "sqlite":
        has_table = session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"))
        stat = has_table and session.scalar(
            text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'objective_report' AND idx IS NOT NULL LIMIT 1")
        )
        return int(str(stat).split()[0]) if stat else None
    # pg_class.reltuples is what ANALYZE (or VACUUM) wrote in the catalogue, at once and transactionally
    # (-1: never); pg_stat_user_tables' counters reach other sessions only when the writer flushes its
    # statistics, which PostgreSQL delays by up to a second or more after the commit.
    described = session.scalar(
        text(
            "SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relname = 'objective_report' AND n.nspname = current_schema()"
        )
    )
    return int(described) if described is not None and described >= 0 else None


def refresh_statistics(session: Session, force: bool = False) -> bool:
    """Run ANALYZE when the reports have outgrown the planner's statistics (or `force`); True if it ran.

    Without statistics SQLite drives the findings' category counts from the tag index and reads every
    report row by rowid (180 ms at global scale instead of 18 ms); bulk loaders call this with `force`,
    every process start checks it. PostgreSQL's autovacuum analyses too, but only after a while.
    """
    if not force:
        analysed = _analyzed_reports(session)
        reports = session.scalar(select(func.count()).select_from(models.ObjectiveReport)) or 0
        grown = analysed is None or reports > STATISTICS_GROWTH * analysed
        if reports < STATISTICS_MIN_ROWS or not grown:
            return False
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("ANALYZE"))
    else:  # only the app's tables: a bare ANALYZE would visit every schema of the database
        quote = session.get_bind().dialect.identifier_preparer.quote
        session.execute(text("ANALYZE " + ", ".join(quote(name) for name in models.Base.metadata.tables)))
    return True


def _prepare(engine: Engine, reference_dir: str) -> None:
    ref = reference_for(reference_dir)
    migrate(engine)
    with write_session(engine) as session:
        sync_reference(session, ref)
        sync_events(session, load_events(Path(reference_dir)))
        refresh_statistics(session)


def ready_engine(config: Config) -> Engine:
    """The engine for `config`, migrated and loaded once per process (gcm.db keeps the record)."""
    directory = str(config.reference_dir)
    return prepared_engine(config.database_url, directory, lambda engine: _prepare(engine, directory))


def prepare_database(config: Config) -> Engine:
    """The engine for `config`, migrated and loaded with reference data (every call checks again)."""
    forget_prepared()
    return ready_engine(config)
