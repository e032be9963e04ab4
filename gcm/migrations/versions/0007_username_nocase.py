"""usernames unique without regard to case

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 14:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    names = [row[0] for row in bind.execute(sa.text("SELECT username FROM user_account ORDER BY username"))]
    by_folded: dict[str, list[str]] = {}
    for name in names:
        by_folded.setdefault(name.lower(), []).append(name)
    clashes = [group for group in by_folded.values() if len(group) > 1]
    if clashes:
        listed = "; ".join(", ".join(group) for group in clashes)
        raise RuntimeError(
            "Cannot make user names unique without regard to case: these accounts differ only in case: "
            f"{listed}. Disable and recreate one of each under another name, then migrate again."
        )
    op.create_index("uq_user_account_username_nocase", "user_account", [sa.text("lower(username)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_user_account_username_nocase", table_name="user_account")
