"""reactions: an index on registration_id

Revision ID: b7d2f4a6c8e1
Revises: e5c1a9d3b7f2
Create Date: 2026-12-01 06:00:00

An attendee's own reactions are read on every join and short replay, and erasing an attendee
deletes them; without the index both walked every post of the meeting.
"""
from alembic import op


revision = 'b7d2f4a6c8e1'
down_revision = 'e5c1a9d3b7f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_reactions_registration_id', 'reactions', ['registration_id'])


def downgrade():
    op.drop_index('ix_reactions_registration_id', table_name='reactions')
