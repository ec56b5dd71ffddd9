"""up next and highlight time: the moderators' order of the next questions, and when the
current one was highlighted

Revision ID: e2b8c4f1a9d3
Revises: d7f3b9c2a6e1
Create Date: 2026-11-30 18:00:00

`questions.up_next_position` (None: not in the order) and `questions.highlighted_at`.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e2b8c4f1a9d3'
down_revision = 'd7f3b9c2a6e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('highlighted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('up_next_position', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('up_next_position')
        batch_op.drop_column('highlighted_at')
