"""recording start: when the meeting's recording began, for chapters and question marks

Revision ID: e2b8c4d1f6a3
Revises: e2b8c4f1a9d3
Create Date: 2026-11-30 18:00:00

`meetings.recording_started_at` (naive UTC), empty for existing meetings.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e2b8c4d1f6a3'
down_revision = 'e2b8c4f1a9d3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recording_started_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('recording_started_at')
