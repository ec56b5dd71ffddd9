"""meetings: the organisers' checklist marks

Revision ID: a8c3e5f7b9d1
Revises: c4e7a9d2f1b6
Create Date: 2026-11-30 23:30:00

`meetings.checklist_marks` (JSON object): the checklist steps that leave no other trace (the
registration form reviewed, the meeting tried as an attendee), with when they were done;
empty for existing meetings.
"""
from alembic import op
import sqlalchemy as sa


revision = 'a8c3e5f7b9d1'
down_revision = 'c4e7a9d2f1b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checklist_marks', sa.JSON(), nullable=False,
                                      server_default='{}'))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('checklist_marks')
