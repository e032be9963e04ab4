"""Backup while writers are saving, restore into another database: every acknowledged save is there."""

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from gcm import backup, models, queries
from gcm.bootstrap import prepare_database
from gcm.config import load_config
from gcm.db import dispose_engines, read_session, write_session
from gcm.permissions import Actor
from gcm.reference import Reference
from gcm.services import ReportInput, save_objective_report

WRITERS = 4
SAVES = 15
COUNTRIES = ("MEX", "CRI", "GTM", "HND")


def _storm(engine: Engine, ref: Reference, acked: list[tuple[str, int, float]], stop: threading.Event) -> None:
    """Writers each save their own objective over and over; each save acknowledged is recorded with its time."""

    def writer(country: str) -> None:
        actor = Actor(name=f"delegate {country}", role="delegate", country=country)
        for i in range(SAVES):
            if stop.is_set():
                return
            data = ReportInput(status="planning", progress=f"{country} save {i}")
            with write_session(engine) as session:
                saved = save_objective_report(
                    session, ref, actor, country=country, cycle_id="imrf2026", objective=3, data=data,
                    expected_version=None if i == 0 else i,
                )  # fmt: skip
            acked.append((country, saved.version, time.monotonic()))

    threads = [threading.Thread(target=writer, args=(c,)) for c in COUNTRIES[:WRITERS]]
    for thread in threads:
        thread.start()
    return threads


def _versions(engine: Engine) -> dict[str, int]:
    with read_session(engine) as session:
        rows = session.execute(select(models.ObjectiveReport.country_iso3, models.ObjectiveReport.version)).all()
    return dict(rows)


def _engine_at(url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    dispose_engines()
    monkeypatch.setenv("GCM_DATABASE_URL", url)
    return prepare_database(load_config())


def test_a_backup_during_a_write_storm_keeps_every_acknowledged_save(
    engine: Engine, ref: Reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    acked: list[tuple[str, int, float]] = []
    stop = threading.Event()
    threads = _storm(engine, ref, acked, stop)
    while len(acked) < WRITERS * 3:  # let the storm get going
        time.sleep(0.01)
    started = time.monotonic()
    file = tmp_path / "snapshot.backup"
    taken = backup.backup(engine, file)
    for thread in threads:
        thread.join()
    assert 1 <= taken.reports <= WRITERS
    before = {}
    for country, version, at in acked:
        if at < started:
            before[country] = max(before.get(country, 0), version)

    backup.restore(engine, file, force=True)  # back to the snapshot: later saves are undone, none before it
    dispose_engines()
    restored = _versions(_engine_at(db_url, monkeypatch))
    for country, version in before.items():
        assert restored[country] >= version, (country, restored, before)


def test_restore_into_a_fresh_sqlite_database_and_migrate(
    sqlite_engine: Engine, ref: Reference, tmp_path: Path, monkeypatch
) -> None:
    actor = Actor(name="ana", role="delegate", country="MEX")
    with write_session(sqlite_engine) as session:
        save_objective_report(
            session, ref, actor, country="MEX", cycle_id="imrf2026", objective=7,
            data=ReportInput(status="full", progress="Texto con acentos: migración"), expected_version=None,
        )  # fmt: skip
    file = tmp_path / "gcm.backup"
    backup.backup(sqlite_engine, file)
    fresh = _engine_at(f"sqlite:///{tmp_path / 'fresh.sqlite'}", monkeypatch)
    restored = backup.restore(fresh, file)
    assert restored.reports == 1
    with read_session(fresh) as session:
        assert session.scalar(select(models.ObjectiveReport.progress)) == "Texto con acentos: migración"
        assert session.scalar(select(func.count()).select_from(models.DataRevision)) == models.REVISION_SLOTS


def test_restore_refuses_to_overwrite_data_unless_forced(sqlite_engine: Engine, ref: Reference, tmp_path: Path) -> None:
    file = tmp_path / "empty.backup"
    backup.backup(sqlite_engine, file)
    with write_session(sqlite_engine) as session:
        save_objective_report(
            session, ref, Actor(name="ana", role="delegate", country="MEX"), country="MEX", cycle_id="imrf2026",
            objective=1, data=ReportInput(status="planning"), expected_version=None,
        )  # fmt: skip
    with pytest.raises(backup.BackupError, match="--force"):
        backup.restore(sqlite_engine, file)
    assert backup.contents(sqlite_engine).reports == 1  # nothing was touched
    backup.restore(sqlite_engine, file, force=True)
    assert backup.contents(sqlite_engine).reports == 0


def test_a_restore_moves_every_data_revision_past_what_any_process_may_have_cached(
    sqlite_engine: Engine, ref: Reference, tmp_path: Path
) -> None:
    """A cached read is keyed on a revision's value: after a restore, no value of any of the four counters may
    come back, or a process would serve what it cached under it for other data."""
    file = tmp_path / "early.backup"
    backup.backup(sqlite_engine, file)  # counters at their start
    actor = Actor(name="ana", role="delegate", country="MEX")
    version = None
    for status in ("planning", "initial", "advanced", "full"):  # draft status changes: `tallied` moves, not `published`
        with write_session(sqlite_engine) as session:
            version = save_objective_report(
                session, ref, actor, country="MEX", cycle_id="imrf2026", objective=2,
                data=ReportInput(status=status), expected_version=version,
            ).version  # fmt: skip
    with read_session(sqlite_engine) as session:
        before = queries.data_revisions(session)
    backup.restore(sqlite_engine, file, force=True)
    with read_session(sqlite_engine) as session:
        after = queries.data_revisions(session)
    assert all(a > b for a, b in zip(after, before, strict=True)), (before, after)
    # `setup` moves `published`, which moves `tallied`, which never passes `revision`
    assert after[0] >= after[2] >= after[1] >= after[3]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a database at all", "not an SQLite database"), (b"", "not an SQLite database")],
)
def test_restore_checks_the_file_first(sqlite_engine: Engine, tmp_path: Path, content: bytes, message: str) -> None:
    file = tmp_path / "bad.backup"
    file.write_bytes(content)
    with pytest.raises(backup.BackupError, match=message):
        backup.restore(sqlite_engine, file)


def test_restore_refuses_an_sqlite_file_that_is_not_a_tracker_backup(sqlite_engine: Engine, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(backup.BackupError, match="not a GCM tracker backup"):
        backup.restore(sqlite_engine, other)


def test_backup_refuses_to_overwrite_a_file(sqlite_engine: Engine, tmp_path: Path) -> None:
    file = tmp_path / "exists.backup"
    file.write_text("keep me")
    with pytest.raises(backup.BackupError, match="exists already"):
        backup.backup(sqlite_engine, file)
    assert file.read_text() == "keep me"
