"""who answered a question

Revision ID: d7a3b9e2c1f4
Revises: c4e1a7d2f9b0
Create Date: 2026-11-30 17:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd7a3b9e2c1f4'
down_revision = 'c4e1a7d2f9b0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_questions_answered_by_id_users'), 'users',
                                    ['answered_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_questions_answered_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('answered_by_id')
