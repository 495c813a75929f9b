"""chat turns and agent registry: the tables that existed before Alembic

Creates ``chat_turns`` (gateway) and ``routing_agents`` + ``routing_meta`` (routing) exactly as the
code created them with ``create_all`` before migrations existed. A database made by that older code
already has them: a table that exists is left as it is, so the upgrade adopts such a database.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _exists(name: str) -> bool:
    return sa.inspect(op.get_bind()).has_table(name)


def upgrade() -> None:
    if not _exists("chat_turns"):
        op.create_table(
            "chat_turns",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("session_id", sa.String(length=128), nullable=False),
            sa.Column("message_id", sa.String(length=128), nullable=False),
            sa.Column("channel", sa.String(length=16), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("response", sa.Text(), nullable=True),
            sa.Column("intent", sa.String(length=64), nullable=True),
            sa.Column("confidence", sa.Float(), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("session_id", "message_id", name="uq_chat_turn_message"),
        )
        op.create_index("ix_chat_turns_session_id", "chat_turns", ["session_id"], unique=False)
    if not _exists("routing_agents"):
        op.create_table(
            "routing_agents",
            sa.Column("id", sa.String(length=64), nullable=False),
            sa.Column("name", sa.String(length=300), nullable=False),
            sa.Column("type", sa.String(length=32), nullable=False),
            sa.Column("address", sa.String(length=500), nullable=False),
            sa.Column("ward_code", sa.String(length=8), nullable=False),
            sa.Column("lat", sa.Float(), nullable=False),
            sa.Column("lon", sa.Float(), nullable=False),
            sa.Column("location_accuracy", sa.String(length=8), nullable=False),
            sa.Column("phone", sa.String(length=64), nullable=False),
            sa.Column("opening_hours", sa.String(length=300), nullable=False),
            sa.Column("services", sa.String(length=500), nullable=False),
            sa.Column("source", sa.String(length=1000), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_routing_agents_type", "routing_agents", ["type"], unique=False)
        op.create_index("ix_routing_agents_ward_code", "routing_agents", ["ward_code"], unique=False)
    if not _exists("routing_meta"):
        op.create_table(
            "routing_meta",
            sa.Column("key", sa.String(length=64), nullable=False),
            sa.Column("value", sa.String(length=200), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )


def downgrade() -> None:
    op.drop_table("routing_meta")
    op.drop_index("ix_routing_agents_ward_code", table_name="routing_agents")
    op.drop_index("ix_routing_agents_type", table_name="routing_agents")
    op.drop_table("routing_agents")
    op.drop_index("ix_chat_turns_session_id", table_name="chat_turns")
    op.drop_table("chat_turns")
