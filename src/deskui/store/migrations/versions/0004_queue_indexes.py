"""queue indexes: the channel filter and the created order within open tickets

`(channel, is_open, next_due_at)` serves the channel filter as the other filter columns are
served; `(is_open, created_at, id)` lets the open views read newest-first without sorting.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_tickets_channel_is_open_next_due_at", "tickets", ["channel", "is_open", "next_due_at"]
    )
    op.create_index("ix_tickets_is_open_created_at_id", "tickets", ["is_open", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_tickets_is_open_created_at_id", table_name="tickets")
    op.drop_index("ix_tickets_channel_is_open_next_due_at", table_name="tickets")
