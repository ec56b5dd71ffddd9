"""attendance history: presence samples and opening the recording

Revision ID: c8e4a1f7d2b9
Revises: b5d2f8e3c7a1
Create Date: 2026-11-30 22:30:00

`presence_samples`: attendees online per meeting, one row per minute at most (unique meeting
and bucket); `registrations.recording_opened_at`: when the attendee first opened the recording
through Puente.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c8e4a1f7d2b9'
down_revision = 'b5d2f8e3c7a1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'presence_samples',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('bucket', sa.DateTime(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('attendees_online', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'],
                                name=op.f('fk_presence_samples_meeting_id_meetings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_presence_samples')),
        sa.UniqueConstraint('meeting_id', 'bucket',
                            name=op.f('uq_presence_samples_meeting_id_bucket')),
    )
    with op.batch_alter_table('registrations') as batch_op:
        batch_op.add_column(sa.Column('recording_opened_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('registrations') as batch_op:
        batch_op.drop_column('recording_opened_at')
    op.drop_table('presence_samples')
