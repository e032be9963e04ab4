"""The save's statements run straight on the driver (`gcm.driver_sql`) read and write what SQLAlchemy's own
statement path reads and writes, on SQLite and PostgreSQL (when configured)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, bindparam, exc, insert, literal, select

from gcm import driver_sql, models, services
from gcm.db import write_session
from gcm.reference import Reference
from gcm.services import Actor, ReportInput, save_objective_report

DELEGATE = Actor(name="Ana Pérez", role="delegate", country="MEX")
WHERE = {"country": "MEX", "cycle": "imrf2026", "objective": 5}


def _saved(engine: Engine, ref: Reference) -> None:
    data = ReportInput(
        status="advanced",
        progress="Ley <b>migratoria</b>; 'comillas' y \"dobles\"",
        principles=("a", "f"),
        challenge_categories=("funding",),
        national_priority=True,
        evidence_links=("https://example.org/ley",),
    )
    with write_session(engine) as session:
        save_objective_report(
            session, ref, DELEGATE, country="MEX", cycle_id="imrf2026", objective=5, data=data, expected_version=None
        )


def test_the_save_target_reads_the_same_row_both_ways(engine: Engine, ref: Reference) -> None:
    _saved(engine, ref)
    with engine.connect() as connection:
        ours = driver_sql.run(connection, services._TARGET, WHERE).first()
        theirs = connection.execute(services._TARGET, WHERE).first()
        unknown = driver_sql.run(connection, services._TARGET, WHERE | {"country": "XXX"}).first()
    assert isinstance(ours, tuple) and not isinstance(ours, type(theirs))  # run on the driver, not by SQLAlchemy
    assert tuple(ours) == tuple(theirs)
    assert ours._fields == tuple(theirs._mapping.keys())
    assert ours.national_priority is True and ours.evidence_links == ["https://example.org/ley"]
    assert isinstance(ours.updated_at, dt.datetime) and ours.tags  # converted as SQLAlchemy converts them
    assert unknown is None or unknown.country_known is None


def test_a_write_changes_what_it_says_and_counts_its_rows(engine: Engine, ref: Reference) -> None:
    _saved(engine, ref)
    with write_session(engine) as session:
        connection = session.connection()
        target = driver_sql.run(connection, services._TARGET, WHERE).first()
        params = {"status": "initial", "version": 2, "b_id": target.id, "b_version": target.version}
        assert driver_sql.run(connection, services._UPDATE, params).rowcount == 1
        assert driver_sql.run(connection, services._UPDATE, params).rowcount == 0  # that version has moved on
    with engine.connect() as connection:
        stored = connection.execute(services._TARGET, WHERE).first()
    assert (stored.status, stored.version, stored.national_priority) == ("initial", 2, True)


def test_a_failure_is_raised_as_sqlalchemy_raises_it_and_leaves_nothing(engine: Engine, ref: Reference) -> None:
    _saved(engine, ref)
    event = {"at": dt.datetime.now(dt.UTC), "kind": "k", "username": "", "address": "", "detail": "d"}
    revision = {"version": 2, "at": event["at"], "by": "x", "changes": {}, "snapshot": {}}
    with pytest.raises(exc.IntegrityError), write_session(engine) as session:
        connection = session.connection()
        driver_sql.run(connection, services._INSERT_AUDIT, event | {"country_iso3": "MEX", "cycle_id": None})
        target = driver_sql.run(connection, services._TARGET, WHERE).first()
        driver_sql.run(connection, services._INSERT_REVISION, revision | {"report_id": target.id, "action": None})
    with engine.connect() as connection:  # the event written before the failure went with it
        assert connection.execute(select(models.AuditEvent).where(models.AuditEvent.kind == "k")).first() is None


def test_a_statement_that_needs_sqlalchemy_is_run_by_it(engine: Engine) -> None:
    """An insert whose columns have defaults worked out in Python, and one expanding a list when run."""
    table = models.AuditEvent.__table__
    with write_session(engine) as session:
        connection = session.connection()
        with_defaults = driver_sql.run(connection, insert(table), {"at": dt.datetime.now(dt.UTC), "kind": "x"})
        assert with_defaults.inserted_primary_key[0]  # SQLAlchemy's own result
        kinds = select(table.c.kind).where(table.c.kind.in_(bindparam("kinds", expanding=True)))
        assert driver_sql.run(connection, kinds, {"kinds": ["x", "y"]}).scalars().all() == ["x"]


def _stored_row(engine: Engine) -> tuple:
    with engine.connect() as connection:
        report = models.ObjectiveReport.__table__
        row = connection.execute(select(report).where(report.c.country_iso3 == "MEX", report.c.objective == 5)).one()
    return tuple(value for key, value in row._mapping.items() if key not in ("id",))


def test_updates_of_different_columns_store_what_sqlalchemy_stores(engine: Engine, ref: Reference) -> None:
    """The same three updates (text with its lengths; status, JSON and a flag; one text again), once run on the
    driver and once by `Connection.execute`, from the same saved report: the same row stored."""
    at = dt.datetime(2026, 12, 6, 8, 30, 15, 123456, tzinfo=dt.UTC)
    updates = [
        {"progress": "Avances «nuevos»", "progress_length": 16, "updated_at": at, "updated_by": "Ana"},
        {"status": "full", "evidence_links": ["https://example.org/a", "b"], "national_priority": False},
        {"challenges": "", "challenges_length": 0, "updated_at": at + dt.timedelta(seconds=1)},
    ]
    stored = []
    for run in (driver_sql.run, lambda connection, statement, values: connection.execute(statement, values)):
        _saved(engine, ref)
        for values in updates:
            with write_session(engine) as session:
                connection = session.connection()
                target = connection.execute(services._TARGET, WHERE).first()
                params = values | {"version": target.version + 1, "b_id": target.id, "b_version": target.version}
                assert run(connection, services._UPDATE, params).rowcount == 1
        stored.append(_stored_row(engine))
        with write_session(engine) as session:  # the next round saves the report afresh
            session.execute(models.ReportTag.__table__.delete())
            session.execute(models.ReportRevision.__table__.delete())
            session.execute(models.ObjectiveReport.__table__.delete())
    ours, theirs = stored
    assert ours == theirs
    assert ["https://example.org/a", "b"] in ours and False in ours


def test_a_statement_begins_the_connection_s_transaction_as_sqlalchemy_would(engine: Engine) -> None:
    with engine.connect() as connection:
        before = connection.execute(select(models.DataRevision.revision).where(models.DataRevision.id == 1)).scalar()
        connection.rollback()
        assert not connection.in_transaction()
        assert driver_sql.run(connection, services._BUMPS[("revision",)], {"slot": 1}).rowcount == 1
        assert connection.in_transaction()
        connection.rollback()  # undone: it ran in the transaction it began
        after = connection.execute(select(models.DataRevision.revision).where(models.DataRevision.id == 1)).scalar()
    assert after == before


def test_a_value_written_into_the_sql_is_the_caller_s_when_the_caller_gives_it(engine: Engine) -> None:
    """A parameter SQLAlchemy writes into the SQL when run (`literal_execute`): the statement's own value is written
    in once; one the caller gives goes through SQLAlchemy, as each value must be written in afresh."""
    own = select(literal(1) + bindparam("n", 2, literal_execute=True))
    given = select(literal(1) + bindparam("m", literal_execute=True))
    with engine.connect() as connection:
        assert driver_sql.run(connection, own, {}).first()[0] == 3
        assert driver_sql.run(connection, given, {"m": 5}).scalar() == 6
        assert driver_sql.run(connection, given, {"m": 7}).scalar() == 8
