"""series organisers; erasable event log; organisers publish the message board wall

Series get their own organisers (`series_roles`): only they add meetings to a series or edit
it, and only sessions run by them are offered as "next session". Existing series start with
the organisers of their earliest session (the one most likely set up by the people who run
the series); admins can add others from the series page.

Logged events name the attendees whose data they carry (`meeting_event_subjects`), so
erasure can delete them, and `meetings.pruned_seq` sends clients behind a deleted event a
snapshot. Events logged before this revision name nobody and could keep erased people's data:
they are dropped (the log is only a replay buffer; a client that reconnects after the upgrade
gets a snapshot).

The wall (every post with author, organisation and country) is no longer public: staff and
joined attendees see it, everyone else only once the organisers publish it after the
meeting (`meetings.wall_published`, off for existing meetings).

Revision ID: c3a5e1f0b2d4
Revises: 1b391b1ecfd4
Create Date: 2026-11-30 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a5e1f0b2d4'
down_revision = '1b391b1ecfd4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('series_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_series_roles_series_id_series'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_series_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series_roles')),
    sa.UniqueConstraint('series_id', 'user_id', name=op.f('uq_series_roles_series_id_user_id'))
    )
    with op.batch_alter_table('series_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_roles_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_roles_user_id'), ['user_id'], unique=False)

    op.execute(sa.text("""
        INSERT INTO series_roles (series_id, user_id, created_at)
        SELECT DISTINCT m.series_id, r.user_id, CURRENT_TIMESTAMP
        FROM meetings m JOIN meeting_roles r ON r.meeting_id = m.id
        WHERE r.role = 'organiser' AND m.series_id IS NOT NULL
          AND m.id = (SELECT earliest.id FROM meetings earliest
                      WHERE earliest.series_id = m.series_id
                      ORDER BY earliest.starts_at, earliest.id LIMIT 1)
    """))


    op.create_table('meeting_event_subjects',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['meeting_events.id'], name=op.f('fk_meeting_event_subjects_event_id_meeting_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_meeting_event_subjects_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'registration_id', name=op.f('pk_meeting_event_subjects'))
    )
    with op.batch_alter_table('meeting_event_subjects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_event_subjects_registration_id'), ['registration_id'], unique=False)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pruned_seq', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('wall_published', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(sa.text("DELETE FROM meeting_events"))
    op.execute(sa.text("UPDATE meetings SET pruned_seq = last_seq"))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('wall_published')
        batch_op.drop_column('pruned_seq')

    with op.batch_alter_table('meeting_event_subjects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_event_subjects_registration_id'))

    op.drop_table('meeting_event_subjects')

    with op.batch_alter_table('series_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_roles_user_id'))
        batch_op.drop_index(batch_op.f('ix_series_roles_series_id'))

    op.drop_table('series_roles')
