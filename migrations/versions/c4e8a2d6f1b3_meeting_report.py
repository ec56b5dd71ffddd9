"""meeting report: organisers' texts and publication; board posts quoted in the report

Revision ID: c4e8a2d6f1b3
Revises: c8e4a1f7d2b9
Create Date: 2026-11-30 22:40:00

`meeting_reports` holds only what staff write (an opening paragraph and a note per section,
in every meeting language) and whether the report is published; its figures are read from
the meeting's data when shown. `posts.quoted_at` marks posts staff quote in the report.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4e8a2d6f1b3'
down_revision = 'c8e4a1f7d2b9'
branch_labels = None
depends_on = None

NOTES = ('intro', 'speakers_note', 'timing_note', 'questions_note', 'polls_note',
         'board_note')


def upgrade():
    op.create_table('meeting_reports',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    *[sa.Column(name, sa.Text(), server_default='""', nullable=False) for name in NOTES],
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_reports_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_meeting_reports_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_meeting_reports'))
    )
    with op.batch_alter_table('posts') as batch_op:
        batch_op.add_column(sa.Column('quoted_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('posts') as batch_op:
        batch_op.drop_column('quoted_at')
    op.drop_table('meeting_reports')
