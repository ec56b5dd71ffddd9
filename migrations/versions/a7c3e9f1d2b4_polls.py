"""polls and poll answers; the presenter audience for unlogged figures

Revision ID: a7c3e9f1d2b4
Revises: f3a9c7e5b2d8
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c3e9f1d2b4'
down_revision = 'f3a9c7e5b2d8'
branch_labels = None
depends_on = None

_OLD_AUDIENCES = ('everyone', 'staff', 'participant', 'interpreters')
_NEW_AUDIENCES = (*_OLD_AUDIENCES, 'presenter')


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


def _retype(table, column, old, new, name):
    """Swap the CHECK constraint listing an enum's values (SQLite rebuilds the table)."""
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table(table, schema=None, recreate='always') as batch_op:
            batch_op.alter_column(column, existing_type=_enum(old, name),
                                  type_=_enum(new, name), existing_nullable=False)
        return
    constraint = op.f(f'ck_{table}_{name}')
    op.drop_constraint(constraint, table, type_='check')
    values = ', '.join(f"'{value}'" for value in new)
    op.create_check_constraint(constraint, table, f'{column} IN ({values})')


def upgrade():
    op.create_table(
        'polls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('agenda_item_id', sa.Integer(), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', _enum(('single', 'multiple', 'rating', 'word_cloud', 'open_text',
                                 'ranking'), 'pollkind'), nullable=False),
        sa.Column('question', sa.Text(), server_default='""', nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('max_choices', sa.Integer(), nullable=True),
        sa.Column('scale', _enum(('stars5', 'scale10'), 'ratingscale'), nullable=True),
        sa.Column('results', _enum(('live', 'closed', 'never'), 'resultsvisibility'),
                  nullable=False),
        sa.Column('anonymous', sa.Boolean(), nullable=False),
        sa.Column('status', _enum(('draft', 'open', 'closed'), 'pollstatus'), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=True),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('answer_count', sa.Integer(), nullable=False),
        sa.Column('results_rev', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'],
                                name=op.f('fk_polls_agenda_item_id_agenda_items'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'],
                                name=op.f('fk_polls_meeting_id_meetings'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_polls')),
    )
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.create_index('ix_polls_meeting_status', ['meeting_id', 'status'], unique=False)
    op.create_table(
        'poll_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('poll_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.String(length=64), nullable=True),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('status', _enum(('shown', 'pending', 'hidden'), 'answerstatus'),
                  nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['poll_id'], ['polls.id'],
                                name=op.f('fk_poll_answers_poll_id_polls'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_poll_answers_registration_id_registrations'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_answers')),
        sa.UniqueConstraint('poll_id', 'registration_id',
                            name=op.f('uq_poll_answers_poll_id_registration_id')),
    )
    with op.batch_alter_table('poll_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_answers_registration_id'),
                              ['registration_id'], unique=False)
    _retype('meeting_events', 'audience', _OLD_AUDIENCES, _NEW_AUDIENCES, 'audience')


def downgrade():
    op.execute("DELETE FROM meeting_events WHERE audience = 'presenter'")
    _retype('meeting_events', 'audience', _NEW_AUDIENCES, _OLD_AUDIENCES, 'audience')
    with op.batch_alter_table('poll_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_answers_registration_id'))
    op.drop_table('poll_answers')
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.drop_index('ix_polls_meeting_status')
    op.drop_table('polls')
