"""Hubs ticked in use for the week's plan (the web page's Drivers section); every hub kept
so far stays in use.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hubs") as batch:
        batch.add_column(sa.Column("in_use", sa.Boolean, nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("hubs") as batch:
        batch.drop_column("in_use")
