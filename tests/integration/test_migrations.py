"""The Alembic migrations create exactly the schema the models describe, and run twice safely."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from gcm.db import migrate
from gcm.models import Base, include_in_autogenerate


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"include_name": include_in_autogenerate}), Base.metadata
        )
    assert diff == []


def test_migrate_is_idempotent(engine: Engine) -> None:
    migrate(engine)
    migrate(engine)


def test_upgrading_a_database_with_reports_keeps_them(db_url: str) -> None:
    """A database created by the first release, holding reports, upgrades without losing any."""
    from alembic import command
    from sqlalchemy import text

    from gcm.db import alembic_config, create_db_engine

    engine = create_db_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO country (iso3, name_en, name_es) VALUES ('MEX', 'Mexico', 'México')"))
        conn.execute(text("INSERT INTO objective VALUES (1, 279, 'a', 'a', 'a', 'a')"))
        conn.execute(text("INSERT INTO \"grouping\" (id, name_en, name_es, provisional) VALUES ('g', 'g', 'g', false)"))
        conn.execute(
            text(
                'INSERT INTO cycle (id, name_en, name_es, start, "end", grouping_id, grouping_confirmed, is_open) '
                "VALUES ('c', 'c', 'c', '2026-01-01', '2026-01-02', 'g', true, true)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO objective_report (country_iso3, cycle_id, objective, status, progress, challenges, "
                "priorities, good_practice, national_priority, evidence_links, is_demo, updated_by, updated_at, "
                "version) "
                "VALUES ('MEX', 'c', 1, 'planning', 'texto', 'Niñez', '', 'Ventanilla', false, '[]', false, 'x', "
                "'2026-01-01', 1)"
            )
        )
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT progress FROM objective_report")).scalar_one() == "texto"
        assert conn.execute(text("SELECT is_locked FROM cycle")).scalar_one() in (False, 0)
        lengths = "SELECT challenges_length, priorities_length, good_practice_length FROM objective_report"
        assert tuple(conn.execute(text(lengths)).one()) == (5, 0, 10)  # the quoted texts' lengths, filled in
    engine.dispose()


def test_the_text_lengths_come_and_go_without_touching_the_search_index(sqlite_engine: Engine) -> None:
    """Migration 0013 down and up again on SQLite: the search index's triggers stay (a table rebuilt in batch
    mode would have lost them, and search would have gone stale without an error)."""
    from alembic import command
    from sqlalchemy import text

    from gcm.db import alembic_config

    def triggers() -> set[str]:
        with sqlite_engine.connect() as conn:
            return set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))

    before = triggers()
    assert {"report_search_insert", "report_search_update", "report_search_delete"} <= before
    for step, revision in ((command.downgrade, "0012"), (command.upgrade, "head")):
        with sqlite_engine.begin() as conn:
            step(alembic_config(conn), revision)
        assert triggers() == before
    test_models_and_migrations_agree(sqlite_engine)
