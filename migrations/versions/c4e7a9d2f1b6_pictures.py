"""pictures: stored images and their sizes; photos, logos, banners and accent colours

Revision ID: c4e7a9d2f1b6
Revises: d7b3e9a1c5f2
Create Date: 2026-11-30 22:30:00

`stored_images` (one row per cleaned picture, named by its content hash) and
`stored_image_variants` (the re-encoded sizes, bytes in the database so every process serves
them); `speakers.photo_id`, `meeting_organisations.logo_id`, `meetings.banner_id`,
`series.banner_id` (SET NULL when a picture goes) and `meetings.accent_colour`,
`series.accent_colour` (`#rrggbb` or NULL).
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4e7a9d2f1b6'
down_revision = 'd7b3e9a1c5f2'
branch_labels = None
depends_on = None

#: (table, column) of every picture reference.
REFERENCES = (
    ('speakers', 'photo_id'),
    ('meeting_organisations', 'logo_id'),
    ('meetings', 'banner_id'),
    ('series', 'banner_id'),
)


def upgrade():
    op.create_table(
        'stored_images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_stored_images'),
        sa.UniqueConstraint('sha256', name='uq_stored_images_sha256'),
    )
    op.create_table(
        'stored_image_variants',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('image_id', sa.Integer(), nullable=False),
        sa.Column('size', sa.String(length=16), nullable=False),
        sa.Column('mime', sa.String(length=32), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('etag', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['image_id'], ['stored_images.id'], ondelete='CASCADE',
                                name='fk_stored_image_variants_image_id_stored_images'),
        sa.PrimaryKeyConstraint('id', name='pk_stored_image_variants'),
        sa.UniqueConstraint('image_id', 'size', name='uq_stored_image_variant_size'),
    )
    op.create_index('ix_stored_image_variants_image_id', 'stored_image_variants', ['image_id'])
    for table, column in REFERENCES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(f'fk_{table}_{column}_stored_images', 'stored_images', [column], ['id'],
                                        ondelete='SET NULL')
            batch_op.create_index(f'ix_{table}_{column}', [column])
    for table in ('meetings', 'series'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('accent_colour', sa.String(length=7), nullable=True))


def downgrade():
    for table in ('meetings', 'series'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('accent_colour')
    for table, column in REFERENCES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f'ix_{table}_{column}')
            batch_op.drop_constraint(f'fk_{table}_{column}_stored_images', type_='foreignkey')
            batch_op.drop_column(column)
    op.drop_index('ix_stored_image_variants_image_id', table_name='stored_image_variants')
    op.drop_table('stored_image_variants')
    op.drop_table('stored_images')
