"""post language: the language a board post is written in, for its `lang` attribute

Revision ID: b5d2f8e3c7a1
Revises: a7c3e9f1d5b2
Create Date: 2026-11-30 21:00:00

`posts.language` (a stored tag like `questions.language`); None for posts written before it,
whose language is guessed from their text when shown.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b5d2f8e3c7a1'
down_revision = 'a7c3e9f1d5b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('posts') as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('posts') as batch_op:
        batch_op.drop_column('language')
