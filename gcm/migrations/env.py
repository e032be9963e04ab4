"""Alembic environment: runs on the connection handed over by gcm.db.migrate()."""

from alembic import context

from gcm.models import Base, include_in_autogenerate

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through 'python -m gcm init' (gcm.db.migrate).")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_name=include_in_autogenerate,
)
with context.begin_transaction():
    context.run_migrations()
