"""Backup and restore of the whole database, safe while the app is running.

SQLite: SQLite's online backup API copies a consistent snapshot page by page while other
connections keep writing (each step sees one committed state). PostgreSQL: `pg_dump` in its custom
format and `pg_restore`, when the client tools are installed (the README gives the recipe).
A restore checks the file first, refuses to overwrite a database that holds data unless told,
and migrates the restored database to the current schema.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select, update
from sqlalchemy.engine import make_url

from gcm import models, queries
from gcm.bootstrap import refresh_statistics
from gcm.db import migrate, read_session, write_session

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
PAGES_PER_STEP = 256  # pages copied per step of the online backup; writers get the lock in between


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Contents:
    """What a database holds, to report after a backup and to refuse overwriting data by accident."""

    reports: int
    accounts: int
    revision: int

    @property
    def empty(self) -> bool:
        return self.reports == 0 and self.accounts == 0


def contents(engine: Engine) -> Contents:
    """Count reports and accounts; an uninitialised database is empty."""
    if not inspect(engine).has_table("objective_report"):
        return Contents(0, 0, 0)
    with read_session(engine) as session:
        return Contents(
            reports=session.scalar(select(func.count()).select_from(models.ObjectiveReport)) or 0,
            accounts=session.scalar(select(func.count()).select_from(models.UserAccount)) or 0,
            revision=queries.data_revision(session),
        )


def _file_contents(path: Path) -> Contents:
    """What an SQLite backup file holds."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        count = lambda table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
        revision = connection.execute("SELECT coalesce(sum(revision), 0) FROM data_revision").fetchone()[0]
        return Contents(count("objective_report"), count("user_account"), revision)
    finally:
        connection.close()


def _sqlite_path(engine: Engine) -> str:
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return database


def _pg_url(engine: Engine) -> str:
    """The URL the PostgreSQL client tools understand (no SQLAlchemy driver suffix)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed. Install PostgreSQL's client tools (Debian: apt-get install postgresql-client) "
            "or follow the README's pg_dump recipe."
        )
    return path


def backup(engine: Engine, output: Path) -> Contents:
    """Write a consistent snapshot of the database to `output`; returns what it holds (PostgreSQL: the
    database's content as the dump finished)."""
    if output.exists():
        raise BackupError(f"{output} exists already: choose a new file name")
    if not output.parent.is_dir():
        raise BackupError(f"folder {output.parent} does not exist")
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(engine), timeout=30)
        target = sqlite3.connect(output)
        try:
            source.backup(target, pages=PAGES_PER_STEP)
        finally:
            target.close()
            source.close()
        return _file_contents(output)
    elif engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            schema = connection.scalar(select(func.current_schema()))
        command = [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--schema={schema}",
            f"--file={output}",
            _pg_url(engine),
        ]
        _run(command, "pg_dump")
    else:
        raise BackupError(f"backups of {engine.dialect.name} databases are not supported")
    return contents(engine)


def check_file(path: Path, dialect: str) -> None:
    """Refuse a file that is not a backup of this kind of database, or an SQLite file that is damaged."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    head = path.read_bytes()[:16]
    if dialect == "sqlite":
        if not head.startswith(SQLITE_HEADER):
            raise BackupError(f"{path} is not an SQLite database (a backup written by python -m gcm backup)")
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            status = connection.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is damaged: {exc}") from exc
        finally:
            connection.close()
        if status != "ok":
            raise BackupError(f"{path} is damaged: {status}")
        if not {"alembic_version", "objective_report"} <= tables:
            raise BackupError(f"{path} is an SQLite database but not a GCM tracker backup")
    elif not head.startswith(PG_DUMP_HEADER):
        raise BackupError(f"{path} is not a pg_dump file in custom format (a backup written by python -m gcm backup)")


def restore(engine: Engine, path: Path, force: bool = False) -> Contents:
    """Replace the database's content with the backup in `path`, then migrate it to the current schema.

    Refused when the database holds reports or accounts, unless `force`.
    """
    check_file(path, engine.dialect.name)
    current = contents(engine)
    if not current.empty and not force:
        raise BackupError(
            f"the database holds {current.reports} reports and {current.accounts} accounts; "
            "restoring would replace them. Run again with --force to do so."
        )
    if engine.dialect.name == "sqlite":
        engine.dispose()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(engine), timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        command = [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            f"--dbname={_pg_url(engine)}",
            str(path),
        ]
        _run(command, "pg_restore")
    engine.dispose()
    migrate(engine)
    _after_restore(engine, current.revision)
    return contents(engine)


def _after_restore(engine: Engine, revision_before: int) -> None:
    """Move the data revisions past both the old and the restored ones, so no process serves a cached read."""
    with write_session(engine) as session:
        # `published`, `tallied` and `setup` never pass `revision`, so all four end past every value a process
        # may have cached
        moved_on = max(queries.data_revision(session), revision_before) + 1
        session.execute(update(models.DataRevision).values(revision=0, published=0, tallied=0, setup=0))
        session.execute(
            update(models.DataRevision)
            .where(models.DataRevision.id == 1)
            .values(revision=moved_on, published=moved_on, tallied=moved_on, setup=moved_on)
        )
        refresh_statistics(session, force=True)  # a restored database arrives without planner statistics


def _run(command: list[str], name: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip()[:500]}")
