"""full-text search over the reports' narrative fields

Revision ID: 0005
Revises: 0004

SQLite: an FTS5 table `report_search`, one row per report x narrative field (rowid = report id * 4
+ field number), kept in sync by triggers on objective_report, so every write (save, restore, demo
load and removal, imports) updates it in its own transaction. PostgreSQL: one expression GIN index
per narrative field over to_tsvector('simple', gcm_unaccent(field)).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Field numbers are part of the FTS rowid: keep this order (gcm.explore.search.FIELDS mirrors it).
FIELDS = ("progress", "challenges", "priorities", "good_practice")
# Private-use characters that mark a hit in highlight(); stripped from the indexed copy of the
# text so that no report can fake a match marker.
MARK_OPEN, MARK_CLOSE = 0xE000, 0xE001


def _clean(expr: str) -> str:
    return f"replace(replace(coalesce({expr}, ''), char({MARK_OPEN}), ''), char({MARK_CLOSE}), '')"


def _insert_rows(prefix: str) -> str:
    return "\n".join(
        f"INSERT INTO report_search (rowid, body) SELECT {prefix}.id * 4 + {number}, {_clean(f'{prefix}.{name}')} "
        f"WHERE coalesce({prefix}.{name}, '') <> '';"
        for number, name in enumerate(FIELDS)
    )


def _upgrade_sqlite() -> None:
    op.execute("CREATE VIRTUAL TABLE report_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')")
    for number, name in enumerate(FIELDS):
        op.execute(
            f"INSERT INTO report_search (rowid, body) SELECT id * 4 + {number}, {_clean(name)} "
            f"FROM objective_report WHERE coalesce({name}, '') <> ''"
        )
    op.execute(
        f"CREATE TRIGGER report_search_insert AFTER INSERT ON objective_report BEGIN\n{_insert_rows('new')}\nEND"
    )
    op.execute(
        "CREATE TRIGGER report_search_update AFTER UPDATE OF id, progress, challenges, priorities, good_practice "
        "ON objective_report BEGIN\n"
        "DELETE FROM report_search WHERE rowid BETWEEN old.id * 4 AND old.id * 4 + 3;\n"
        f"{_insert_rows('new')}\nEND"
    )
    op.execute(
        "CREATE TRIGGER report_search_delete AFTER DELETE ON objective_report BEGIN\n"
        "DELETE FROM report_search WHERE rowid BETWEEN old.id * 4 AND old.id * 4 + 3;\nEND"
    )


def _unaccent_schema(bind: sa.engine.Connection) -> str:
    """The schema holding the unaccent extension, installing it first when the database has none.

    A database holds one copy of an extension, whatever the search_path. When it is missing it
    goes into `public` when we may create there (it then outlives any one application schema,
    e.g. the per-test schemas), else into the current schema. The advisory lock makes concurrent
    first migrations wait for each other instead of both creating it.
    """
    bind.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('gcm_unaccent_extension'))"))
    find = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'"
    )
    schema = bind.execute(find).scalar()
    if schema is None:
        target = bind.execute(
            sa.text(
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') "
                "AND has_schema_privilege('public', 'CREATE') THEN 'public' ELSE current_schema() END"
            )
        ).scalar_one()
        bind.execute(sa.text(f'CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA "{target}"'))
        schema = bind.execute(find).scalar_one()
    return schema


def _upgrade_postgresql() -> None:
    bind = op.get_bind()
    schema = _unaccent_schema(bind).replace('"', '""')
    # unaccent() is only STABLE (its dictionary could change); the wrapper is declared IMMUTABLE so
    # that an index can use it, and names the extension's schema so that it works whatever the
    # search_path of the caller (autovacuum, another schema).
    op.execute(
        "CREATE OR REPLACE FUNCTION gcm_unaccent(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS "
        f'$$ SELECT "{schema}".unaccent(\'"{schema}".unaccent\'::regdictionary, $1) $$'
    )
    for name in FIELDS:
        op.execute(
            f"CREATE INDEX ix_report_search_{name} ON objective_report "
            f"USING gin (to_tsvector('simple'::regconfig, gcm_unaccent({name})))"
        )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
    else:
        _upgrade_sqlite()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in FIELDS:
            op.execute(f"DROP INDEX IF EXISTS ix_report_search_{name}")
        # The extension may serve other schemas: it stays.
        op.execute("DROP FUNCTION IF EXISTS gcm_unaccent(text)")
    else:
        for suffix in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS report_search_{suffix}")
        op.execute("DROP TABLE IF EXISTS report_search")
