"""translations of questions, answers and announcements; the interpreter role

Revision ID: f3a9c7e5b2d8
Revises: f3a9c7e2b5d1
Create Date: 2026-11-30 19:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f3a9c7e5b2d8'
down_revision = 'f3a9c7e2b5d1'
branch_labels = None
depends_on = None

_OLD_ROLES = ('organiser', 'moderator', 'speaker')
_NEW_ROLES = (*_OLD_ROLES, 'interpreter')
_OLD_AUDIENCES = ('everyone', 'staff', 'participant')
_NEW_AUDIENCES = (*_OLD_AUDIENCES, 'interpreters')


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
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('answer_translations', sa.JSON(), nullable=True))
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))
    _retype('meeting_roles', 'role', _OLD_ROLES, _NEW_ROLES, 'rolekind')
    _retype('staff_invitations', 'role', _OLD_ROLES, _NEW_ROLES, 'rolekind')
    _retype('meeting_events', 'audience', _OLD_AUDIENCES, _NEW_AUDIENCES, 'audience')


def downgrade():
    op.execute("DELETE FROM meeting_events WHERE audience = 'interpreters'")
    op.execute("DELETE FROM staff_invitations WHERE role = 'interpreter'")
    op.execute("DELETE FROM meeting_roles WHERE role = 'interpreter'")
    _retype('meeting_events', 'audience', _NEW_AUDIENCES, _OLD_AUDIENCES, 'audience')
    _retype('staff_invitations', 'role', _NEW_ROLES, _OLD_ROLES, 'rolekind')
    _retype('meeting_roles', 'role', _NEW_ROLES, _OLD_ROLES, 'rolekind')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('translations')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('answer_translations')
        batch_op.drop_column('translations')
