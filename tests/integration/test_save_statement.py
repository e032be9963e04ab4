"""A save on PostgreSQL: its writes go in one statement, and a save that loses a race writes none of them."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from types import SimpleNamespace

import psycopg
import pytest
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql

from gcm import driver_sql, models, queries, save_statement, services
from gcm.bootstrap import prepare_database
from gcm.config import load_config
from gcm.db import read_session, write_session
from gcm.reference import Reference
from gcm.services import Actor, ConflictError, ReportInput, save_objective_report

DELEGATE = Actor(name="Ana Pérez", role="delegate", country="MEX")
DRAFT = ReportInput(status="planning", progress="Primer borrador", principles=("a",), evidence_links=("https://a.org",))


@pytest.fixture
def pg_engine(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("GCM_DATABASE_URL", postgres_url)
    yield prepare_database(load_config())


def _save(engine: Engine, ref: Reference, data: ReportInput, version: int | None, objective: int = 5):
    with write_session(engine) as session:
        return save_objective_report(
            session, ref, DELEGATE, country="MEX", cycle_id="imrf2026", objective=objective, data=data,
            expected_version=version,
        )  # fmt: skip


def _logged(engine: Engine) -> tuple[int, int, tuple[int, int, int, int], tuple[int, int, int]]:
    """How many revisions and audit events are stored, and the data revision's and Mexico's counters."""
    with read_session(engine) as session:
        revisions = session.scalar(select(func.count()).select_from(models.ReportRevision))
        events = session.scalar(select(func.count()).select_from(models.AuditEvent))
        return revisions, events, queries.data_revisions(session), queries.country_revisions(session, "MEX")


def test_a_save_sends_its_read_and_one_statement_for_its_writes(
    pg_engine: Engine, ref: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    _save(pg_engine, ref, DRAFT, None)
    sent: list[str] = []
    execute = psycopg.Cursor.execute

    def counted(cursor, query, *args, **kwargs):
        sent.append(str(query))
        return execute(cursor, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counted)
    before = _logged(pg_engine)
    sent.clear()
    saved = _save(pg_engine, ref, replace(DRAFT, progress="Segundo borrador", status="advanced"), 1)
    monkeypatch.undo()
    assert len(sent) == 2 and sent[1].startswith("WITH written AS")  # the read, then every write
    revisions, events, counters, mexico = _logged(pg_engine)
    assert (revisions, events) == (before[0] + 1, before[1] + 1)
    assert counters == (before[2][0] + 1, before[2][1], before[2][2] + 1, before[2][3])  # a draft: not published
    assert mexico == (before[3][0] + 1, before[3][1], before[3][2] + 1)
    with read_session(pg_engine) as session:
        report = queries.get_report(session, "MEX", "imrf2026", 5, queries.EVERYTHING)
        history = queries.report_history(session, saved.id)
    assert (report["version"], report["status"], report["progress"]) == (2, "advanced", "Segundo borrador")
    assert report["principles"] == ["a"] and report["evidence_links"] == ["https://a.org"]
    assert history[0]["changes"] == {
        "status": ["planning", "advanced"],
        "progress": ["Primer borrador", "Segundo borrador"],
    }


def _losing(engine: Engine, ref: Reference, monkeypatch: pytest.MonkeyPatch, other_write, data: ReportInput, version):
    """Save `data` while `other_write` (run on its own connection, committed) lands between this save's read and its
    write; the conflict is caught inside the save's transaction, which then commits whatever it holds."""
    read_target = services._read_target

    def read_then_lose(session, connection, *args):
        target = read_target(session, connection, *args)
        with engine.begin() as other:
            other.execute(other_write)
        return target

    monkeypatch.setattr(services, "_read_target", read_then_lose)
    with write_session(engine) as session, pytest.raises(ConflictError):
        save_objective_report(
            session, ref, DELEGATE, country="MEX", cycle_id="imrf2026", objective=5, data=data,
            expected_version=version,
        )  # fmt: skip
    monkeypatch.undo()


def test_a_save_that_loses_the_race_after_its_read_writes_nothing(
    pg_engine: Engine, ref: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another save commits between this save's read and its write: the write finds the version moved, and
    neither the report nor its revision, audit event or counters are written, though the transaction commits."""
    _save(pg_engine, ref, DRAFT, None)
    before = _logged(pg_engine)
    moved = update(models.ObjectiveReport).values(version=2, progress="El otro")
    _losing(pg_engine, ref, monkeypatch, moved, replace(DRAFT, progress="Mi cambio"), 1)
    assert _logged(pg_engine) == before
    with read_session(pg_engine) as session:
        assert queries.get_report(session, "MEX", "imrf2026", 5, queries.EVERYTHING)["progress"] == "El otro"


def test_a_new_report_that_another_save_created_first_is_a_conflict(
    pg_engine: Engine, ref: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _logged(pg_engine)
    created = insert(models.ObjectiveReport).values(
        country_iso3="MEX", cycle_id="imrf2026", objective=5, status="full", progress="El otro",
        updated_by="Otra", updated_at=dt.datetime.now(dt.UTC), version=1,
    )  # fmt: skip
    _losing(pg_engine, ref, monkeypatch, created, DRAFT, None)  # the unique violation ended the transaction
    assert _logged(pg_engine) == before
    with read_session(pg_engine) as session:
        assert queries.get_report(session, "MEX", "imrf2026", 5, queries.EVERYTHING)["progress"] == "El otro"


def test_a_save_without_the_data_revision_s_rows_fails_and_writes_nothing(pg_engine: Engine, ref: Reference) -> None:
    with pytest.raises(RuntimeError, match="run the migrations"), write_session(pg_engine) as session:
        session.execute(delete(models.DataRevision))
        save_objective_report(
            session, ref, DELEGATE, country="MEX", cycle_id="imrf2026", objective=5, data=DRAFT, expected_version=None
        )
    with read_session(pg_engine) as session:
        assert queries.get_report(session, "MEX", "imrf2026", 5, queries.EVERYTHING) is None
        assert session.scalar(select(func.count()).select_from(models.DataRevision)) == models.REVISION_SLOTS


def test_a_new_report_with_tags_and_a_demo_report_are_written_whole(pg_engine: Engine, ref: Reference) -> None:
    before = _logged(pg_engine)
    with write_session(pg_engine) as session:
        save_objective_report(
            session, ref, services.SYSTEM, country="MEX", cycle_id="imrf2026", objective=7,
            data=replace(DRAFT, challenge_categories=("funding",)), expected_version=None, is_demo=True,
        )  # fmt: skip
    revisions, events, counters, _ = _logged(pg_engine)
    assert (revisions, events) == (before[0] + 1, before[1])  # a demo save is not in the audit log
    assert counters == tuple(count + 1 for count in before[2])  # and it moves every counter
    with read_session(pg_engine) as session:
        report = queries.get_report(session, "MEX", "imrf2026", 7, queries.EVERYTHING)
        lengths = session.execute(
            select(models.ObjectiveReport.challenges_length, models.ObjectiveReport.is_demo).where(
                models.ObjectiveReport.objective == 7
            )
        ).one()
    assert report["principles"] == ["a"] and report["challenge_categories"] == ["funding"]
    assert tuple(lengths) == (0, True)


@pytest.mark.parametrize("new", [True, False])
def test_the_write_statement_is_run_on_the_driver_with_only_the_values_the_save_gives(new: bool) -> None:
    """Every value the statement binds is one the save gives (no column default left for SQLAlchemy to fill in,
    which it would not do for a write inside a CTE), so `driver_sql` runs it on the driver's cursor."""
    after = services._snapshot(DRAFT)
    fields = {"is_demo": False, "updated_by": "Ana", "updated_at": None}
    fields |= {"country_iso3": "MEX", "cycle_id": "imrf2026", "objective": 5} if new else {}
    target = SimpleNamespace(id=None if new else 1)
    values = services._report_values(target, after, {"progress": ["", "Primer borrador"]}, fields) | {"version": 1}
    statement = save_statement.write_statement(tuple(values), new, True, ("revision", "tallied"))
    compiled = statement.compile(dialect=postgresql.psycopg.dialect())
    given = {save_statement.REPORT + name for name in values} | {"slot", "country", "cycle"}
    given |= {save_statement.REVISION + name for name in save_statement.REVISION_COLUMNS}
    given |= {save_statement.AUDIT + name for name in save_statement.AUDIT_COLUMNS}
    given |= set() if new else {"b_id", "b_version"}
    constants = {name for name, bind in compiled.binds.items() if bind.value is not None}
    assert set(compiled.binds) - constants == given
    assert driver_sql._prepare(statement, postgresql.psycopg.dialect(), frozenset(given)) is not None
