"""organiser texts in every meeting language

Revision ID: f1c6a2e9b7d4
Revises: e2b8c4d1f6a3
Create Date: 2026-11-30 20:15:00

Every text an organiser writes becomes one JSON value holding a text per language. Today's
text moves into the meeting's default language: the first of its spoken languages Puente has
a catalogue for, else English. A series takes the default of its earliest meeting. Choices of
registration questions become one such value each. Meetings gain `default_language` and two
texts of their own for the confirmation and follow-up e-mails.
"""
import json

from alembic import op
import sqlalchemy as sa


revision = 'f1c6a2e9b7d4'
down_revision = 'e2b8c4d1f6a3'
branch_labels = None
depends_on = None

SUPPORTED = ("en", "es", "zh_Hans")

#: table -> (columns, how a row finds its meeting: a column name, or None for the meeting itself)
TEXTS = {
    'meetings': (('title', 'description'), None),
    'agenda_items': (('title', 'description'), 'meeting_id'),
    'speakers': (('title', 'affiliation', 'bio'), 'meeting_id'),
    'meeting_organisations': (('name',), 'meeting_id'),
    'registration_questions': (('label', 'help_text'), 'meeting_id'),
}


def _default_language(languages) -> str:
    if isinstance(languages, str):
        try:
            languages = json.loads(languages)
        except ValueError:
            languages = []
    for language in languages or []:
        if language in SUPPORTED:
            return language
    return "en"


def _as_value(text, language):
    if text is None:
        return None
    return json.dumps({language: text} if text.strip() else "", ensure_ascii=False)


def _from_value(stored, language):
    if stored is None:
        return None
    try:
        data = json.loads(stored)
    except ValueError:
        return stored
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        return data.get(language) or next(iter(data.values()), "")
    return stored


def _json_param(bind) -> str:
    return "CAST(:choices AS JSON)" if bind.dialect.name == "postgresql" else ":choices"


def _retype(table, columns, to_text: bool, lengths=None):
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            if to_text:
                batch_op.alter_column(column, type_=sa.Text(), existing_nullable=False)
            elif lengths.get(column):
                batch_op.alter_column(column, type_=sa.String(length=lengths[column]),
                                      existing_nullable=False)


def _meeting_languages(bind) -> dict:
    rows = bind.execute(sa.text("SELECT id, languages FROM meetings")).fetchall()
    return {row.id: _default_language(row.languages) for row in rows}


def upgrade():
    bind = op.get_bind()
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_language', sa.String(length=16),
                                      server_default='en', nullable=False))
        batch_op.add_column(sa.Column('confirmation_text', sa.Text(),
                                      server_default='""', nullable=False))
        batch_op.add_column(sa.Column('follow_up_text', sa.Text(),
                                      server_default='""', nullable=False))
    defaults = _meeting_languages(bind)
    for meeting_id, language in defaults.items():
        bind.execute(sa.text("UPDATE meetings SET default_language = :lang WHERE id = :id"),
                     {"lang": language, "id": meeting_id})

    for table, (columns, owner) in TEXTS.items():
        _retype(table, columns, to_text=True)
        owner_column = owner or 'id'
        rows = bind.execute(sa.text(
            f"SELECT id, {owner_column} AS owner, {', '.join(columns)} FROM {table}")).fetchall()
        for row in rows:
            language = defaults.get(row.owner, "en")
            values = {column: _as_value(getattr(row, column), language) for column in columns}
            assignments = ", ".join(f"{column} = :{column}" for column in columns)
            bind.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE id = :row_id"),
                         {**values, "row_id": row.id})
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, server_default='""', existing_type=sa.Text(),
                                      existing_nullable=False)

    _retype('series', ('title', 'description'), to_text=True)
    series_rows = bind.execute(sa.text("SELECT id, title, description FROM series")).fetchall()
    for row in series_rows:
        first = bind.execute(sa.text(
            "SELECT id FROM meetings WHERE series_id = :id ORDER BY starts_at LIMIT 1"),
            {"id": row.id}).first()
        language = defaults.get(first.id, "en") if first else "en"
        bind.execute(sa.text("UPDATE series SET title = :title, description = :description "
                             "WHERE id = :id"),
                     {"title": _as_value(row.title, language),
                      "description": _as_value(row.description, language), "id": row.id})
    with op.batch_alter_table('series', schema=None) as batch_op:
        for column in ('title', 'description'):
            batch_op.alter_column(column, server_default='""', existing_type=sa.Text(),
                                  existing_nullable=False)

    questions = bind.execute(sa.text(
        "SELECT id, meeting_id, choices FROM registration_questions")).fetchall()
    for row in questions:
        choices = row.choices
        if isinstance(choices, str):
            choices = json.loads(choices or "[]")
        language = defaults.get(row.meeting_id, "en")
        converted = [{language: choice} if isinstance(choice, str) else choice
                     for choice in choices or []]
        bind.execute(sa.text(f"UPDATE registration_questions SET choices = {_json_param(bind)} "
                             "WHERE id = :id"),
                     {"choices": json.dumps(converted, ensure_ascii=False), "id": row.id})


LENGTHS = {
    'meetings': {'title': 300},
    'series': {'title': 300},
    'agenda_items': {'title': 300},
    'speakers': {'title': 300, 'affiliation': 300},
    'meeting_organisations': {'name': 300},
    'registration_questions': {'label': 300},
}


def downgrade():
    bind = op.get_bind()
    defaults = _meeting_languages(bind)
    tables = dict(TEXTS, series=(('title', 'description'), None))
    for table, (columns, owner) in tables.items():
        owner_column = owner or 'id'
        rows = bind.execute(sa.text(
            f"SELECT id, {owner_column} AS owner, {', '.join(columns)} FROM {table}")).fetchall()
        for row in rows:
            language = "en" if table == 'series' else defaults.get(row.owner, "en")
            values = {column: (_from_value(getattr(row, column), language) or "")[
                :LENGTHS.get(table, {}).get(column, 10**9)] for column in columns}
            assignments = ", ".join(f"{column} = :{column}" for column in columns)
            bind.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE id = :row_id"),
                         {**values, "row_id": row.id})
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, server_default=None, existing_type=sa.Text(),
                                      existing_nullable=False)
        _retype(table, columns, to_text=False, lengths=LENGTHS.get(table, {}))
    questions = bind.execute(sa.text(
        "SELECT id, meeting_id, choices FROM registration_questions")).fetchall()
    for row in questions:
        choices = row.choices
        if isinstance(choices, str):
            choices = json.loads(choices or "[]")
        language = defaults.get(row.meeting_id, "en")
        plain = [choice if isinstance(choice, str)
                 else choice.get(language) or next(iter(choice.values()), "")
                 for choice in choices or []]
        bind.execute(sa.text(f"UPDATE registration_questions SET choices = {_json_param(bind)} "
                             "WHERE id = :id"), {"choices": json.dumps(plain), "id": row.id})
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('follow_up_text')
        batch_op.drop_column('confirmation_text')
        batch_op.drop_column('default_language')
