"""partner time zones: further zones every time of a meeting is shown in

Revision ID: f3a9c7e2b5d1
Revises: f1c6a2e9b7d4
Create Date: 2026-11-30 19:45:00

`meetings.partner_timezones` (JSON list of IANA names), empty for existing meetings.
"""
from alembic import op
import sqlalchemy as sa


revision = 'f3a9c7e2b5d1'
down_revision = 'f1c6a2e9b7d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_timezones', sa.JSON(), nullable=False,
                                      server_default='[]'))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('partner_timezones')
