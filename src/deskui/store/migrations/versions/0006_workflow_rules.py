"""workflow rules: callbacks closed without being made, the accepted quote amount, and
first contact cleared on reopened tickets

- `callbacks.skipped_at` / `skip_reason`: a ticket closed before its callback keeps the
  callback, marked skipped with the reason given; it no longer waits on the callback list and
  counts as not done in the callback completion KPI.
- `repairs.quote_accepted_amount`: the amount the customer accepted (filled from the quote
  total for quotes already accepted).
- `tickets.first_contact_resolved` is set to false where the ticket was ever reopened:
  一次性解决 means solved without coming back.

Revision ID: 0006
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import deskui.store.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("callbacks") as batch:
        batch.add_column(
            sa.Column("skipped_at", deskui.store.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("skip_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("repairs") as batch:
        batch.add_column(
            sa.Column("quote_accepted_amount", sa.Numeric(precision=10, scale=2), nullable=True)
        )
    op.execute(
        "UPDATE repairs SET quote_accepted_amount = quote_total WHERE quote_accepted_at IS NOT NULL"
    )
    tickets = sa.table(
        "tickets",
        sa.column("first_contact_resolved", sa.Boolean()),
        sa.column("reopen_count", sa.Integer()),
    )
    op.execute(
        tickets.update()
        .where(tickets.c.reopen_count > 0, tickets.c.first_contact_resolved.is_(True))
        .values(first_contact_resolved=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("repairs") as batch:
        batch.drop_column("quote_accepted_amount")
    with op.batch_alter_table("callbacks") as batch:
        batch.drop_column("skip_reason")
        batch.drop_column("skipped_at")
