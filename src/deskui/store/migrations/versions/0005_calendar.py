"""calendar: the site's holidays and make-up working days as data (issue 17)

`calendar_days` holds the dates a site entered (holiday | workday, name, source);
`calendar_state` holds (after the first change) one row with the calendar's revision and whether config.toml's
closed_dates/open_dates have moved into the database (done once by the application, which
knows the settings file; a migration does not).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import deskui.store.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", deskui.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "updated_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.CheckConstraint("kind IN ('holiday', 'workday')", name=op.f("ck_calendar_days_kind")),
        sa.CheckConstraint(
            "source IN ('package', 'file', 'admin')", name=op.f("ck_calendar_days_source")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["agents.id"], name=op.f("fk_calendar_days_updated_by_agents")
        ),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )
    op.create_table(
        "calendar_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("config_adopted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_state")),
    )
    # The state row is made by the first change (an empty table reads as revision 0, config
    # dates not yet moved), so a freshly migrated database stays empty for `deskui db copy`.


def downgrade() -> None:
    op.drop_table("calendar_state")
    op.drop_table("calendar_days")
