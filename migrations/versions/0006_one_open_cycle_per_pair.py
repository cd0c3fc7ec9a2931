"""At most one open cycle per pair, as a partial unique index.

Besides the invariant, the index lets the rhythm job find the pairs without an open cycle by pair,
not by scanning every open cycle for each pair (what PostgreSQL's planner chose for a freshly
filled table, making a 10 000-pair batch quadratic).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_CYCLE = sa.text("status IN ('open', 'postponed')")


def upgrade() -> None:
    op.create_index(
        "uq_pair_cycle_open",
        "pair_cycle",
        ["pair_id"],
        unique=True,
        sqlite_where=OPEN_CYCLE,
        postgresql_where=OPEN_CYCLE,
    )


def downgrade() -> None:
    op.drop_index("uq_pair_cycle_open", table_name="pair_cycle")
