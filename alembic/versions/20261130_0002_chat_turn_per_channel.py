"""chat turns: a message id is unique per channel and session

The same ``session_id`` + ``message_id`` sent on two channels (e.g. a widget session and a Zalo user
that happen to share ids) are two different messages; before, the second got the first one's reply.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _unique_names() -> set[str]:
    return {u["name"] for u in sa.inspect(op.get_bind()).get_unique_constraints("chat_turns")}


def upgrade() -> None:
    names = _unique_names()  # a database adopted from code newer than 0001 may have either
    with op.batch_alter_table("chat_turns") as batch:
        if "uq_chat_turn_message" in names:
            batch.drop_constraint("uq_chat_turn_message", type_="unique")
        if "uq_chat_turn_channel_message" not in names:
            batch.create_unique_constraint("uq_chat_turn_channel_message", ["channel", "session_id", "message_id"])


def downgrade() -> None:
    with op.batch_alter_table("chat_turns") as batch:
        batch.drop_constraint("uq_chat_turn_channel_message", type_="unique")
        batch.create_unique_constraint("uq_chat_turn_message", ["session_id", "message_id"])
