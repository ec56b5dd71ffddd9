"""agenda items: any number of speakers, each with a role

Revision ID: e5c1a9d3b7f2
Revises: a8c3e5f7b9d1
Create Date: 2026-12-01 10:00:00

Every existing link becomes a "speaker" and keeps its place; positions are renumbered from 0
within each item in their current order.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e5c1a9d3b7f2'
down_revision = 'a8c3e5f7b9d1'
branch_labels = None
depends_on = None

_ROLES = ('moderator', 'panellist', 'speaker')


def upgrade():
    with op.batch_alter_table('agenda_item_speakers', recreate='always') as batch_op:
        batch_op.add_column(sa.Column(
            'role', sa.Enum(*_ROLES, name='speakerrole', native_enum=False,
                            create_constraint=True, length=24),
            server_default='speaker', nullable=False))
    links = sa.table('agenda_item_speakers', sa.column('agenda_item_id'),
                     sa.column('speaker_id'), sa.column('position'))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(links.c.agenda_item_id, links.c.speaker_id, links.c.position)
        .order_by(links.c.agenda_item_id, links.c.position, links.c.speaker_id)).all()
    item, place = None, 0
    for item_id, speaker_id, position in rows:
        place = place + 1 if item_id == item else 0
        item = item_id
        if position != place:
            connection.execute(
                links.update().where(links.c.agenda_item_id == item_id,
                                     links.c.speaker_id == speaker_id)
                .values(position=place))


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('agenda_item_speakers', recreate='always') as batch_op:
            batch_op.drop_constraint(op.f('ck_agenda_item_speakers_speakerrole'), type_='check')
            batch_op.drop_column('role')
        return
    # PostgreSQL drops the role's CHECK constraint with the column.
    op.drop_column('agenda_item_speakers', 'role')
