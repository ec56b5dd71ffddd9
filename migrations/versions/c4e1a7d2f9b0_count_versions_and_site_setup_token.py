"""count versions (votes, reactions) and the site's setup token

Revision ID: c4e1a7d2f9b0
Revises: 1b391b1ecfd4
Create Date: 2026-11-30 13:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4e1a7d2f9b0'
down_revision = 'c4d2e8a1f907'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('votes_version', sa.Integer(), server_default='0',
                                      nullable=False))
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reactions_version', sa.Integer(), server_default='0',
                                      nullable=False))
    op.create_table('setup_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_setup_tokens'))
    )


def downgrade():
    op.drop_table('setup_tokens')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('reactions_version')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('votes_version')
