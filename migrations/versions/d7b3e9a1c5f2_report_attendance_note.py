"""meeting report: a note on attendance in every meeting language

Revision ID: d7b3e9a1c5f2
Revises: c4e8a2d6f1b3
Create Date: 2026-11-30 23:00:00

The report's attendance section carries an optional paragraph like its other sections.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd7b3e9a1c5f2'
down_revision = 'c4e8a2d6f1b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meeting_reports') as batch_op:
        batch_op.add_column(sa.Column('attendance_note', sa.Text(), server_default='""',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('meeting_reports') as batch_op:
        batch_op.drop_column('attendance_note')
