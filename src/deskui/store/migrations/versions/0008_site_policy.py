"""site policy: SLA rules, callback hours, KPI targets, time zone and identity as site data

`site_policy` holds (after the first change) one row with the policy document in force and its
revision; `site_policy_history` one row per revision with who set it and when. An empty table
means deskui's defaults, so an existing database keeps working unchanged.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import deskui.store.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_AGENT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "site_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("updated_at", deskui.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", _AGENT_ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["agents.id"], name=op.f("fk_site_policy_updated_by_agents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_policy")),
    )
    op.create_table(
        "site_policy_history",
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("changed_at", deskui.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_by", _AGENT_ID, nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["agents.id"], name=op.f("fk_site_policy_history_changed_by_agents")
        ),
        sa.PrimaryKeyConstraint("revision", name=op.f("pk_site_policy_history")),
    )


def downgrade() -> None:
    op.drop_table("site_policy_history")
    op.drop_table("site_policy")
