"""Saving and reading reports on a real database (SQLite file; PostgreSQL when configured)."""

import datetime as dt
import threading
from dataclasses import replace

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from gcm import models, queries
from gcm.bootstrap import prepare_database
from gcm.config import load_config
from gcm.db import read_session, write_session
from gcm.reference import Reference
from gcm.services import (
    SYSTEM,
    TEXT_FIELDS,
    Actor,
    ConflictError,
    DomainError,
    ReportInput,
    ValidationError,
    save_objective_report,
)

DELEGATE = Actor(name="Ana Pérez", role="delegate", country="MEX")
FULL = ReportInput(
    status="advanced",
    progress="Se aprobó la ley <b>migratoria</b>.",
    challenges="Financiamiento",
    priorities="Datos desglosados",
    good_practice="Ventanilla única",
    principles=("a", "f", "i"),
    challenge_categories=("funding",),
    priority_categories=("data", "coordination"),
    national_priority=True,
    evidence_links=("https://example.org/ley",),
)


def _save(engine: Engine, ref: Reference, data: ReportInput = FULL, version: int | None = None, **target):
    where = {"country": "MEX", "cycle_id": "imrf2026", "objective": 5} | target
    with write_session(engine) as session:
        return save_objective_report(session, ref, DELEGATE, data=data, expected_version=version, **where)


def test_save_and_reload_every_field(engine: Engine, ref: Reference) -> None:
    saved = _save(engine, ref)
    assert saved.version == 1
    with read_session(engine) as session:
        report = queries.get_report(session, "MEX", "imrf2026", 5, queries.EVERYTHING)
    assert report["status"] == "advanced"
    assert report["progress"] == "Se aprobó la ley <b>migratoria</b>."
    assert (report["challenges"], report["priorities"], report["good_practice"]) == (
        "Financiamiento",
        "Datos desglosados",
        "Ventanilla única",
    )
    assert report["principles"] == ["a", "f", "i"]
    assert report["challenge_categories"] == ["funding"]
    assert report["priority_categories"] == ["coordination", "data"]
    assert report["national_priority"] is True
    assert report["evidence_links"] == ["https://example.org/ley"]
    assert report["updated_by"] == "Ana Pérez" and report["updated_at"].tzinfo is not None
    assert report["version"] == 1 and report["is_demo"] is False


def test_update_increments_version_and_replaces_tags(engine: Engine, ref: Reference) -> None:
    _save(engine, ref)
    saved = _save(engine, ref, ReportInput(status="full", principles=("b",)), version=1)
    assert saved.version == 2
    with read_session(engine) as session:
        report = queries.get_report(session, "MEX", "imrf2026", 5, queries.EVERYTHING)
    assert (report["status"], report["principles"], report["challenge_categories"]) == ("full", ["b"], [])


def test_stale_version_is_refused_and_nothing_is_overwritten(engine: Engine, ref: Reference) -> None:
    _save(engine, ref)
    _save(engine, ref, ReportInput(status="full", progress="second writer"), version=1)
    with pytest.raises(ConflictError) as info:
        _save(engine, ref, ReportInput(status="planning", progress="first writer, stale"), version=1)
    assert info.value.params["version"] == 2
    with read_session(engine) as session:
        assert queries.get_report(session, "MEX", "imrf2026", 5, queries.EVERYTHING)["progress"] == "second writer"


def test_creating_an_existing_report_is_a_conflict(engine: Engine, ref: Reference) -> None:
    _save(engine, ref)
    with pytest.raises(ConflictError):
        _save(engine, ref, version=None)


def test_invalid_input_writes_nothing(engine: Engine, ref: Reference) -> None:
    with read_session(engine) as session:
        before = queries.data_revision(session)
    with pytest.raises(ValidationError) as info:
        _save(engine, ref, ReportInput(status="bogus", progress="x"))
    assert info.value.errors[0].field == "status"
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(models.ObjectiveReport)) == 0
        assert queries.data_revision(session) == before


def test_author_is_required(engine: Engine, ref: Reference) -> None:
    with pytest.raises(ValidationError) as info, write_session(engine) as session:
        save_objective_report(
            session,
            ref,
            Actor(name="  ", role="delegate", country="MEX"),
            country="MEX",
            cycle_id="imrf2026",
            objective=1,
            data=FULL,
            expected_version=None,
        )
    assert [(e.field, e.code) for e in info.value.errors] == [("author", "required")]


@pytest.mark.parametrize(
    ("target", "field"),
    [({"country": "XXX"}, "country"), ({"cycle_id": "nope"}, "cycle"), ({"objective": 24}, "objective")],
)
def test_unknown_targets_are_refused(engine: Engine, ref: Reference, target: dict, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        _save(engine, ref, **target)
    assert info.value.errors[0].field == field


def test_closed_cycle_is_read_only(engine: Engine, ref: Reference) -> None:
    with pytest.raises(DomainError) as info:
        _save(engine, ref, cycle_id="imrf2022")
    assert info.value.code == "cycle_closed"


def test_every_save_bumps_the_data_revision(engine: Engine, ref: Reference) -> None:
    with read_session(engine) as session:
        before = queries.data_revision(session)
    _save(engine, ref)
    with read_session(engine) as session:
        assert queries.data_revision(session) == before + 1


def test_a_draft_save_moves_only_the_revisions_that_drafts_readers_key_on(engine: Engine, ref: Reference) -> None:
    with read_session(engine) as session:
        revision, published, tallied, setup = queries.data_revisions(session)
    _save(engine, ref)  # MEX's report in the open cycle is a draft
    with read_session(engine) as session:
        assert queries.data_revisions(session) == (revision + 1, published, tallied + 1, setup)


def test_a_save_moves_its_countrys_counters_of_its_kind_and_no_other_countrys(engine: Engine, ref: Reference) -> None:
    with read_session(engine) as session:
        mexico, guatemala = (queries.country_revisions(session, c) for c in ("MEX", "GTM"))
    _save(engine, ref)  # MEX's draft, new: every write and tallied
    _save(engine, ref, replace(FULL, progress="A second save"), version=1)  # its text alone: every write
    with read_session(engine) as session:
        assert queries.country_revisions(session, "MEX") == (mexico[0] + 2, mexico[1], mexico[2] + 1)
        assert queries.country_revisions(session, "GTM") == guatemala


@pytest.mark.parametrize("field", sorted(TEXT_FIELDS))
def test_a_save_of_narrative_text_alone_leaves_the_tallied_revision(engine: Engine, ref: Reference, field: str) -> None:
    """Statuses, priorities and counts are cached on `tallied`: a delegate rewriting a text leaves them cached."""
    saved = _save(engine, ref)
    with read_session(engine) as session:
        revision, published, tallied, setup = queries.data_revisions(session)
    edited = {"evidence_links": ("https://example.org/otra",)}.get(field, "Otro texto")
    saved = _save(engine, ref, replace(FULL, **{field: edited}), version=saved.version)
    with read_session(engine) as session:
        assert queries.data_revisions(session) == (revision + 1, published, tallied, setup)
    _save(engine, ref, replace(FULL, **{field: edited, "national_priority": False}), version=saved.version)
    with read_session(engine) as session:
        assert queries.data_revisions(session) == (revision + 2, published, tallied + 1, setup)


@pytest.mark.parametrize(
    "change",
    [
        {"status": "planning"},
        {"principles": ("a",)},
        {"priority_categories": ()},
        {"progress": "x", "status": "planning"},
    ],
)
def test_a_save_that_changes_more_than_text_moves_the_tallied_revision(
    engine: Engine, ref: Reference, change: dict
) -> None:
    saved = _save(engine, ref)
    with read_session(engine) as session:
        tallied = queries.data_revisions(session)[2]
    _save(engine, ref, replace(FULL, **change), version=saved.version)
    with read_session(engine) as session:
        assert queries.data_revisions(session)[2] == tallied + 1


def test_a_save_every_reader_sees_moves_published_and_a_demo_save_setup_too(engine: Engine, ref: Reference) -> None:
    _save(engine, ref)
    with write_session(engine) as session:
        session.add(
            models.Submission(
                country_iso3="MEX",
                cycle_id="imrf2026",
                state="submitted",
                updated_by="x",
                updated_at=dt.datetime.now(dt.UTC),
            )
        )
    with read_session(engine) as session:
        revision, published, tallied, setup = queries.data_revisions(session)
        version = session.scalar(select(models.ObjectiveReport.version))
    with write_session(engine) as session:  # only the system may still write a submitted report
        save_objective_report(
            session,
            ref,
            SYSTEM,
            data=replace(FULL, status="planning"),
            expected_version=version,
            country="MEX",
            cycle_id="imrf2026",
            objective=5,
        )
    with read_session(engine) as session:  # a real report's save leaves cycles, countries and the demo count
        assert queries.data_revisions(session) == (revision + 1, published + 1, tallied + 1, setup)
    with write_session(engine) as session:
        save_objective_report(  # a demo report is counted on every page (the demo banner)
            session,
            ref,
            SYSTEM,
            data=FULL,
            expected_version=None,
            country="CRI",
            cycle_id="imrf2026",
            objective=5,
            is_demo=True,
        )
    with read_session(engine) as session:
        assert queries.data_revisions(session) == (revision + 2, published + 2, tallied + 2, setup + 1)


def test_two_concurrent_writers_one_wins_one_gets_a_conflict(engine: Engine, ref: Reference) -> None:
    _save(engine, ref)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def writer(text: str) -> None:
        barrier.wait()
        try:
            _save(engine, ref, ReportInput(status="full", progress=text), version=1)
            results.append("saved")
        except ConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=writer, args=(f"writer {i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["conflict", "saved"]
    with read_session(engine) as session:
        report = queries.get_report(session, "MEX", "imrf2026", 5, queries.EVERYTHING)
    assert report["version"] == 2 and report["progress"] in {"writer 0", "writer 1"}


def test_concurrent_writers_on_postgres_do_not_wait_for_each_others_commit(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, ref: Reference
) -> None:
    """PostgreSQL holds a row's lock until the writer commits: saves of two delegates that both moved one
    revision row would commit one after the other. Each connection moves a slot of its own; the revision
    still counts every save."""
    monkeypatch.setenv("GCM_DATABASE_URL", postgres_url)
    engine = prepare_database(load_config())
    with read_session(engine) as session:
        before = queries.data_revision(session)
    first, second = engine.connect(), engine.connect()
    try:
        sessions = [Session(bind=first), Session(bind=second)]
        for session, country in zip(sessions, ("MEX", "CRI"), strict=True):
            session.execute(text("SET LOCAL lock_timeout = '2s'"))  # a wait for the other fails, not hangs
            save_objective_report(
                session, ref, Actor(name="D", role="delegate", country=country), data=FULL,
                expected_version=None, country=country, cycle_id="imrf2026", objective=5,
            )  # fmt: skip
        for session in sessions:
            session.commit()
    finally:
        first.close()
        second.close()
    with read_session(engine) as session:
        assert queries.data_revision(session) == before + 2
        assert session.scalar(select(func.count()).select_from(models.DataRevision)) == models.REVISION_SLOTS
