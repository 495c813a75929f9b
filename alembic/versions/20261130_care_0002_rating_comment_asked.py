"""care ratings: comment_asked marks a low rating whose optional comment the bot asked for once

Revision ID: care_0002
Revises: care_0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "care_0002"
down_revision: str | None = "care_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("care_ratings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("comment_asked", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("care_ratings", schema=None) as batch_op:
        batch_op.drop_column("comment_asked")
