"""the feedback survey: settings, organisers' questions, responses and personal links

Revision ID: a7c3e9f1d5b2
Revises: a7c3e9f1d2b4
Create Date: 2026-11-30 20:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c3e9f1d5b2'
down_revision = 'a7c3e9f1d2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feedback_surveys',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('open_early', sa.Boolean(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_feedback_surveys_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_feedback_surveys'))
    )
    op.create_table('feedback_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.Text(), server_default='""', nullable=False),
    sa.Column('kind', sa.Enum('rating', 'text', name='feedbackkind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_feedback_questions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_questions'))
    )
    with op.batch_alter_table('feedback_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_questions_meeting_id'), ['meeting_id'], unique=False)
    op.create_table('feedback_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('overall', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('overall BETWEEN 1 AND 5', name=op.f('ck_feedback_responses_overall_range')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_feedback_responses_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_feedback_responses_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_responses')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_feedback_responses_registration_id'))
    )
    with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_responses_meeting_id'), ['meeting_id'], unique=False)
    op.create_table('feedback_item_ratings',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_feedback_item_ratings_item_rating_range')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_feedback_item_ratings_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['feedback_responses.id'], name=op.f('fk_feedback_item_ratings_response_id_feedback_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'agenda_item_id', name=op.f('pk_feedback_item_ratings'))
    )
    with op.batch_alter_table('feedback_item_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_item_ratings_agenda_item_id'), ['agenda_item_id'], unique=False)
    op.create_table('feedback_answers',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['feedback_questions.id'], name=op.f('fk_feedback_answers_question_id_feedback_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['feedback_responses.id'], name=op.f('fk_feedback_answers_response_id_feedback_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'question_id', name=op.f('pk_feedback_answers'))
    )
    with op.batch_alter_table('feedback_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_answers_question_id'), ['question_id'], unique=False)
    op.create_table('feedback_links',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('link_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_feedback_links_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_feedback_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feedback_links_token_hash'))
    )


def downgrade():
    op.drop_table('feedback_links')
    with op.batch_alter_table('feedback_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_answers_question_id'))
    op.drop_table('feedback_answers')
    with op.batch_alter_table('feedback_item_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_item_ratings_agenda_item_id'))
    op.drop_table('feedback_item_ratings')
    with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_responses_meeting_id'))
    op.drop_table('feedback_responses')
    with op.batch_alter_table('feedback_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_questions_meeting_id'))
    op.drop_table('feedback_questions')
    op.drop_table('feedback_surveys')
