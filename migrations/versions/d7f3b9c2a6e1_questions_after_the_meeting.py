"""questions after the meeting: organisers may keep the Q&A open once the meeting ended

Revision ID: d7f3b9c2a6e1
Revises: d7a3b9e2c1f4
Create Date: 2026-11-30 17:40:00

`meetings.after_meeting_questions`, off for existing meetings.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd7f3b9c2a6e1'
down_revision = 'd7a3b9e2c1f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('after_meeting_questions', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('after_meeting_questions')
