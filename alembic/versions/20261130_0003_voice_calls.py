"""voice calls: one row per phone call with its transcript (issue 12)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "voice_calls",
        sa.Column("call_id", sa.String(64), primary_key=True),
        sa.Column("caller_hash", sa.String(32), nullable=False, server_default=""),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("transfer_kind", sa.String(16), nullable=True),
        sa.Column("transfer_number", sa.String(32), nullable=True),
        sa.Column("transfer_reason", sa.String(64), nullable=True),
        sa.Column("hangup_reason", sa.String(64), nullable=False, server_default=""),
        sa.Column("events", sa.JSON(), nullable=False),
    )
    op.create_index("ix_voice_calls_caller_hash", "voice_calls", ["caller_hash"])


def downgrade() -> None:
    op.drop_index("ix_voice_calls_caller_hash", table_name="voice_calls")
    op.drop_table("voice_calls")
