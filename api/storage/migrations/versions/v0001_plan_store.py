"""aidroute 0.1's plan store: plans (plan.json bodies) and drivers' links.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("area", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("privacy", sa.String(20), nullable=False, server_default="full"),
    )
    op.create_index("ix_plans_expires_at", "plans", ["expires_at"])
    op.create_table(
        "driver_links",
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column(
            "plan_id", sa.String(32), sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("driver_id", sa.String(200), nullable=False),
    )
    op.create_index("ix_driver_links_plan_id", "driver_links", ["plan_id"])


def downgrade() -> None:
    op.drop_table("driver_links")
    op.drop_table("plans")
