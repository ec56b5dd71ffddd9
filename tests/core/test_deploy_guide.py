"""docs/deploy.md is followed by its own words.

- Its settings table names every setting the code reads, and only those: the names are found
  in the code (webapp/config.py reads every setting; __main__.py and cli.py may read the
  environment too), so a new setting fails here until the guide lists it.
- Its backup and restore lines, taken from the guide between `<!-- tested: NAME -->` markers,
  back up a database built at the first migration and filled the way a site of that time
  held its data, restore it into a fresh database, and the upgrade to the current schema keeps
  every row and serves the meeting page, on PostgreSQL and SQLite.
- Its nginx files, put where the guide says (main, http and server context), pass `nginx -t`.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support import services
from tests.support.deploy_guide import (
    GUIDE,
    NGINX,
    guide_block,
    nginx_files,
    self_signed_certificate,
)
from tests.support.migrations import first_revision, migration_app
from tests.support.pg import temporary_database
from webapp.config import normalise_database_url

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
#: Where settings are read (tests/core/test_settings_in_one_place.py keeps it so).
READERS = [ROOT / "webapp" / name for name in ("config.py", "__main__.py", "cli.py")]
SETTING = re.compile(r"^[A-Z][A-Z0-9_]*$")


# --- which settings the code reads -----------------------------------------------------------

def _is_environ(node) -> bool:
    """`environ` (a parameter holding os.environ) or `os.environ` itself."""
    if isinstance(node, ast.Name):
        return node.id == "environ"
    return (isinstance(node, ast.Attribute) and node.attr == "environ"
            and isinstance(node.value, ast.Name) and node.value.id == "os")


def _constants(node, assignments: dict) -> list[str] | None:
    """The string names a key expression may take, or None when they cannot be known."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    return assignments.get(getattr(node, "id", None))


def _loop_names(tree, module_constants: dict) -> dict:
    """Names bound by `for name ... in CONSTANT.items()` (or `.keys()`, or the constant)."""
    bound = {}
    for node in ast.walk(tree):
        loops = node.generators if isinstance(node, ast.DictComp | ast.ListComp | ast.SetComp
                                              | ast.GeneratorExp) else (
            [node] if isinstance(node, ast.For) else [])
        for loop in loops:
            source = loop.iter
            if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute):
                source = source.func.value
            keys = module_constants.get(getattr(source, "id", None))
            target = loop.target
            first = target.elts[0] if isinstance(target, ast.Tuple) else target
            if keys and isinstance(first, ast.Name):
                bound[first.id] = keys
    return bound


def _module_constants(tree) -> dict:
    """Module-level dicts, tuples, lists and sets whose keys or items are all strings."""
    found = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        items = (value.keys if isinstance(value, ast.Dict)
                 else value.elts if isinstance(value, ast.Tuple | ast.List | ast.Set) else None)
        if items and all(isinstance(item, ast.Constant) and isinstance(item.value, str)
                         for item in items):
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = [item.value for item in items]
    return found


def settings_read_by(path: Path) -> set[str]:
    """Every name `path` reads from the environment: `environ.get(NAME)`, `environ[NAME]`,
    `os.getenv(NAME)`, or a helper given `environ` and the name (`_int(environ, NAME, 20)`)."""
    tree = ast.parse(path.read_text())
    keys = _loop_names(tree, _module_constants(tree))
    found, unknown = set(), []

    def add(node):
        names = _constants(node, keys)
        if names is None:
            unknown.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
        else:
            found.update(names)

    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            add(node.slice)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            dict_get = (isinstance(func, ast.Attribute) and func.attr == "get"
                        and _is_environ(func.value))
            getenv = (isinstance(func, ast.Attribute) and func.attr == "getenv"
                      and getattr(func.value, "id", None) == "os")
            if dict_get or getenv:
                add(node.args[0])
            elif any(_is_environ(arg) for arg in node.args):
                found.update(arg.value for arg in node.args
                             if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                             and SETTING.match(arg.value))
    assert not unknown, f"environment reads whose names this test cannot tell: {unknown}"
    return found


def settings_read() -> set[str]:
    return set().union(*(settings_read_by(path) for path in READERS))


# --- what the guide says -----------------------------------------------------------------------

def guide_table() -> set[str]:
    """The names in the first column of the table under `## Settings`."""
    text = GUIDE.read_text()
    section = text[text.index("\n## Settings\n"):]
    section = section[:section.index("\n## ", 1)]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert rows, "docs/deploy.md has no settings table under ## Settings"
    names = set()
    for row in rows:
        names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1]))
    return names


def test_the_finder_sees_the_settings_config_reads_in_each_way():
    names = settings_read()
    # environ.get, a helper given environ, a loop over BOUNDED_SETTINGS, os.environ.get
    assert {"DATABASE_URL", "PUENTE_DB_POOL_TIMEOUT", "PUENTE_LOG_POLL_MS",
            "PUENTE_ASYNC_MODE", "PUENTE_SECURE_COOKIES", "PUENTE_RATELIMIT"} <= names


def test_every_setting_the_code_reads_is_in_the_guides_table():
    missing = settings_read() - guide_table()
    assert not missing, f"add to the table under ## Settings in docs/deploy.md: {sorted(missing)}"


def test_every_setting_in_the_guides_table_is_read_by_the_code():
    stale = guide_table() - settings_read()
    assert not stale, f"the guide lists settings no code reads: {sorted(stale)}"


@pytest.mark.parametrize("document", [GUIDE, README], ids=lambda path: path.name)
def test_every_puente_setting_the_documents_mention_is_in_the_table(document):
    mentioned = set(re.findall(r"\b(PUENTE_[A-Z0-9_]*[A-Z0-9])\b", document.read_text()))
    assert mentioned - guide_table() == set()


# --- backup, restore and upgrade from the first migration ------------------------------------

def _seed_first_revision(connection) -> None:
    """A published meeting with its people, questions, votes and board posts, written with
    SQL at the first revision, as a site of that time held them."""
    run = lambda sql, **params: connection.execute(sa.text(sql), params)  # noqa: E731
    when = "2026-01-05 10:00:00"
    run("INSERT INTO series (id, slug, title, description, created_at, updated_at) "
        "VALUES (1, 'exchange', 'Intercambio China–Perú', '', :t, :t)", t=when)
    run("INSERT INTO users (id, email, name, password_hash, is_admin, active, locale, "
        "session_version, created_at, updated_at) VALUES (1, 'ana@example.org', 'Ana Torres', "
        "'x', true, true, 'es', 1, :t, :t)", t=when)
    run("INSERT INTO meetings (id, slug, series_id, session_number, title, description, "
        "timezone, starts_at, planned_end, languages, registration_mode, qa_moderation, "
        "qa_open, anonymous_questions, question_max_length, board_mode, board_slow_seconds, "
        "status, retention_days, last_seq, created_at, updated_at) VALUES (1, 'salud-2027', 1, "
        "1, 'Salud pública y cooperación', 'Segunda sesión', 'America/Lima', "
        "'2027-03-10 13:00:00', '2027-03-10 15:00:00', :languages, 'open', 'post', true, true, "
        "500, 'open', 0, 'published', 180, 1, :t, :t)",
        languages='["es", "zh_Hans"]', t=when)
    run("INSERT INTO meeting_roles (id, meeting_id, user_id, role, created_at) "
        "VALUES (1, 1, 1, 'organiser', :t)", t=when)
    run("INSERT INTO agenda_items (id, meeting_id, position, title, description, kind, "
        "planned_minutes, created_at, updated_at) VALUES (1, 1, 0, 'Apertura', '', 'opening', "
        "10, :t, :t)", t=when)
    run("INSERT INTO speakers (id, meeting_id, name, title, affiliation, bio, created_at, "
        "updated_at) VALUES (1, 1, 'Li Wei', 'Director', 'Comisión de Salud', '', :t, :t)",
        t=when)
    run("INSERT INTO agenda_item_speakers (agenda_item_id, speaker_id, position) VALUES (1, 1, 0)")
    people = [(1, "María Quispe", "maria@example.pe", "PE", "es"),
              (2, "王芳", "wang@example.cn", "CN", "zh_Hans"),
              (3, "José Ramos", "jose@example.pe", "PE", "es")]
    for rid, name, email, country, language in people:
        run("INSERT INTO registrations (id, meeting_id, name, email, organisation, "
            "organisation_type, position, country, language, status, answers, consent_at, "
            "join_token_hash, muted, banned, created_at, updated_at) VALUES (:id, 1, :name, "
            ":email, 'Minsa', 'health', '', :country, :language, 'confirmed', '{}', :t, :hash, "
            "false, false, :t, :t)", id=rid, name=name, email=email, country=country,
            language=language, hash=f"{rid:064d}", t=when)
    for qid, rid, text, language, votes in ((1, 1, "¿Cómo se coordinan las vacunas?", "es", 2),
                                            (2, 2, "疫苗如何协调?", "zh_Hans", 1)):
        run("INSERT INTO questions (id, meeting_id, registration_id, client_id, text, language, "
            "anonymous, status, highlighted, starred, labels, vote_count, version, created_at, "
            "updated_at) VALUES (:id, 1, :rid, :client, :text, :language, false, 'live', false, "
            "false, '[]', :votes, 1, :t, :t)", id=qid, rid=rid, client=f"q{qid}", text=text,
            language=language, votes=votes, t=when)
    for vid, qid, rid in ((1, 1, 2), (2, 1, 3), (3, 2, 1)):
        run("INSERT INTO votes (id, question_id, registration_id, created_at) "
            "VALUES (:id, :q, :r, :t)", id=vid, q=qid, r=rid, t=when)
    for pid, rid, text in ((1, 3, "¡Gracias a los ponentes!"), (2, 2, "谢谢大家")):
        run("INSERT INTO posts (id, meeting_id, registration_id, client_id, text, pinned, hidden, "
            "created_at, updated_at) VALUES (:id, 1, :rid, :client, :text, false, false, :t, :t)",
            id=pid, rid=rid, client=f"p{pid}", text=text, t=when)
    run("INSERT INTO reactions (id, post_id, registration_id, kind, created_at) "
        "VALUES (1, 1, 1, 'thanks', :t)", t=when)
    run("INSERT INTO meeting_events (id, meeting_id, seq, type, audience, payload, created_at) "
        "VALUES (1, 1, 1, 'question.created', 'everyone', '{\"id\": 1}', :t)", t=when)
    if connection.dialect.name == "postgresql":  # ids were given: move the sequences past them
        for table in ("series", "users", "meetings", "meeting_roles", "agenda_items", "speakers",
                      "registrations", "questions", "votes", "posts", "reactions",
                      "meeting_events"):
            run(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))")


def _build_at_first_revision(tmp_path, url: str) -> None:
    from flask_migrate import upgrade

    from webapp.extensions import db

    app = migration_app(tmp_path / "old", url)
    with app.app_context():
        upgrade(revision=first_revision(app))
        with db.engine.begin() as connection:
            _seed_first_revision(connection)
        db.engine.dispose()


def _run_guide_lines(name: str, env: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    script = tmp_path / f"{name}.sh"
    script.write_text(guide_block(name))
    return subprocess.run(["bash", "-eu", str(script)], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120, check=False)


def _site(tmp_path: Path, database_url: str | None) -> tuple[Path, Path]:
    """An instance folder and an environment file in the guide's form."""
    instance = tmp_path / "var-lib-puente"
    instance.mkdir(mode=0o700)
    (instance / "secret_key").write_text("kept-in-the-instance-folder")
    env_file = tmp_path / "env"
    lines = [f"PUENTE_INSTANCE_PATH={instance}", "SECRET_KEY=backed-up-with-the-settings",
             'MAIL_FROM="Puente <puente@example.org>"']
    if database_url:
        lines.insert(0, f"DATABASE_URL={database_url}")
    env_file.write_text("\n".join(lines) + "\n")
    env_file.chmod(0o600)
    return instance, env_file


def _back_up(tmp_path: Path, env_file: Path, suffix: str) -> Path:
    """Run the guide's backup script; check what it wrote and who may read it."""
    backups = tmp_path / "backups"
    result = _run_guide_lines("backup-script", {"ENV_FILE": str(env_file),
                                                "BACKUP_DIR": str(backups)}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    written = sorted(backups.iterdir())
    assert [path.name.split("-")[0] for path in written] == ["env", "instance", "puente"]
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, f"{path.name} readable by others"
    assert written[0].read_text() == env_file.read_text()
    listing = subprocess.run(["tar", "-tzf", str(written[1])], capture_output=True, text=True,
                             check=True).stdout.split()
    assert "./secret_key" in listing
    assert not [name for name in listing if "puente.db" in name]
    dump = written[2]
    assert dump.suffix == suffix
    return dump


def _check_upgraded(tmp_path, url: str) -> None:
    from flask_migrate import upgrade

    from webapp.extensions import db

    app = migration_app(tmp_path / "new", url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            count = lambda table: connection.execute(  # noqa: E731
                sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
            assert [count(table) for table in ("meetings", "registrations", "questions", "votes",
                                               "posts", "reactions")] == [1, 3, 2, 3, 2, 1]
            # The event log of that time was dropped on purpose (c3a5e1f0b2d4): clients
            # behind it are sent the current state instead.
            assert count("meeting_events") == 0
            assert connection.execute(sa.text(
                "SELECT last_seq, pruned_seq FROM meetings")).one() == (1, 1)
            texts = connection.execute(sa.text("SELECT text FROM questions ORDER BY id")).scalars()
            assert list(texts) == ["¿Cómo se coordinan las vacunas?", "疫苗如何协调?"]
        db.session.remove()
        page = app.test_client().get("/m/salud-2027")
        body = page.get_data(as_text=True)
        assert page.status_code == 200, body[:500]
        assert "Salud pública y cooperación" in body
        assert "Li Wei" in body
        db.engine.dispose()


def _require_postgres_tools() -> None:
    missing = [tool for tool in ("pg_dump", "pg_restore") if not shutil.which(tool)]
    if missing:
        services.unavailable("PostgreSQL client tools", f"{', '.join(missing)} not on PATH "
                             "(apt-get install postgresql-client)")


@pytest.mark.postgres
def test_postgres_backup_restore_and_upgrade_from_the_first_migration(tmp_path,
                                                                      postgres_server_url):
    _require_postgres_tools()
    with temporary_database(postgres_server_url, "puente_old") as old_url:
        _build_at_first_revision(tmp_path, old_url)
        # The file may hold SQLAlchemy's spelling: the guide's lines must cope with it.
        _instance, env_file = _site(tmp_path, normalise_database_url(old_url))
        dump = _back_up(tmp_path, env_file, ".dump")
    with temporary_database(postgres_server_url, "puente_restored") as fresh_url:
        result = _run_guide_lines("restore-postgres", {
            "DATABASE_URL": normalise_database_url(fresh_url), "dump": str(dump)}, tmp_path)
        assert (result.returncode, result.stderr) == (0, "")
        _check_upgraded(tmp_path, fresh_url)


def test_sqlite_backup_restore_and_upgrade_from_the_first_migration(tmp_path):
    instance, env_file = _site(tmp_path, None)  # the default: the instance folder's puente.db
    _build_at_first_revision(tmp_path, f"sqlite:///{instance / 'puente.db'}")
    backup = _back_up(tmp_path, env_file, ".db")
    restored = tmp_path / "restored-instance"
    restored.mkdir()
    result = _run_guide_lines("restore-sqlite", {"PUENTE_INSTANCE_PATH": str(restored),
                                                 "backup": str(backup)}, tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    _check_upgraded(tmp_path, f"sqlite:///{restored / 'puente.db'}")


# --- nginx ---------------------------------------------------------------------------------------

def test_the_nginx_files_pass_nginx_t_where_the_guide_puts_them(tmp_path):
    if not os.path.exists(NGINX):
        services.unavailable("nginx", f"{NGINX} is not installed (apt-get install nginx)")
    cert, key = self_signed_certificate(tmp_path)
    conf = nginx_files(tmp_path, cert, key)
    result = subprocess.run([NGINX, "-t", "-e", "stderr", "-p", str(tmp_path), "-c",
                             str(conf)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr.replace(
        'the "user" directive makes sense only if the master process runs', "")
