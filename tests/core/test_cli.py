"""The `puente` command: users, demo, clear one-line failures for bad configuration, the
database and instance folder named by every command, environment files, `mail test`."""

import subprocess
import sys
from datetime import timedelta

import pytest

from tests.support.server import ROOT, free_port, migrate, run_cli, server_env
from webapp.accounts.models import RoleKind, User
from webapp.agenda.models import ItemKind
from webapp.board.models import Post
from webapp.demo.loader import load_demo
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus
from webapp.qa.models import Question, Vote
from webapp.registration.models import Registration


def test_users_create_reads_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "Ana@Example.org", "--name",
                                 "Ana Quispe", "--admin", "--password-stdin"],
                           input="a very long secret\n")
    assert result.exit_code == 0, result.output
    user = db.session.query(User).one()
    assert user.email == "ana@example.org" and user.is_admin
    again = runner.invoke(args=["users", "create", "--email", "ana@example.org", "--name", "X",
                                "--password-stdin"], input="another long secret\n")
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_demo_builds_the_use_case(app):
    result = load_demo()
    assert result.created
    past, upcoming = result.meetings
    assert past.status == MeetingStatus.ENDED and past.recording_url
    assert upcoming.status == MeetingStatus.PUBLISHED
    assert upcoming.session_number == 11 and past.series_id == upcoming.series_id
    items = upcoming.agenda_items
    assert len(items) == 7
    panel = next(item for item in items if item.kind == ItemKind.PANEL)
    assert len(panel.speakers) == 4
    regs = db.session.query(Registration).filter_by(meeting_id=upcoming.id).all()
    assert len(regs) == 200
    assert {r.country for r in regs} == {"PE", "CN"}
    assert {r.language for r in regs} == {"es", "zh_Hans", "en"}
    assert len({r.organisation for r in regs}) >= 15
    assert len({r.organisation_type for r in regs}) >= 6
    # The past session overran: 2 hours planned, 3.5 hours actual.
    actual = past.agenda_items[-1].actual_end - past.agenda_items[0].actual_start
    assert actual.total_seconds() / 3600 == pytest.approx(3.5, abs=0.25)
    staff = {u.email: {r.role for r in u.roles} for u in db.session.query(User)}
    assert staff["organiser@demo.example"] == {RoleKind.ORGANISER}
    assert "http" in result.summary("http://x") and "/m/pacific-bridge-11" in result.summary("")
    questions = db.session.query(Question).filter_by(meeting_id=past.id).all()
    assert len(questions) >= 6
    assert all(q.vote_count == db.session.query(Vote).filter_by(question_id=q.id).count()
               for q in questions)
    assert db.session.query(Post).filter_by(meeting_id=past.id).count() >= 5
    # Loading twice changes nothing.
    assert load_demo().created is False
    assert db.session.query(Registration).count() == 320


def test_the_past_demo_meetings_questions_votes_and_posts_happened_during_it(app):
    past = load_demo().meetings[0]
    assert past.status == MeetingStatus.ENDED
    items = past.agenda_items
    start, end = items[0].actual_start, items[-1].actual_end
    qa_item = next(item for item in items if item.kind == ItemKind.QA)
    questions = db.session.query(Question).filter_by(meeting_id=past.id).all()
    under = {q.agenda_item_id for q in questions}
    assert None in under and len(under) >= 3  # talks' questions and general ones
    answered = [q for q in questions if q.answered_at is not None]
    assert answered and all(q.answered_by.email == "moderator@demo.example" for q in answered)
    for question in questions:
        item = question.agenda_item or qa_item  # general questions came up in the Q&A
        assert item.actual_start <= question.created_at < item.actual_end, question.text
        if question.answered_at is not None:
            delay = question.answered_at - question.created_at
            assert timedelta(minutes=1) <= delay <= timedelta(minutes=10), question.text
        assert start <= question.updated_at <= end
        votes = db.session.query(Vote).filter_by(question_id=question.id).all()
        assert all(question.created_at < v.created_at <= end for v in votes), question.text
    posts = db.session.query(Post).filter_by(meeting_id=past.id).order_by(Post.id).all()
    assert posts and all(start <= p.created_at <= end and p.updated_at == p.created_at
                         for p in posts)
    assert [p.created_at for p in posts] == sorted(p.created_at for p in posts)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "mysql://nope"}, "DATABASE_URL must start with"),
        ({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none"},
         "cannot reach the database at DATABASE_URL"),
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "cannot reach Redis at REDIS_URL"),
        ({"REDIS_URL": "http://nope"}, "REDIS_URL must start with"),
        ({"PUENTE_ASYNC_MODE": "tornado"}, "PUENTE_ASYNC_MODE must be one of"),
    ],
)
def test_serve_with_bad_configuration_exits_with_one_line(tmp_path, env, expected):
    base = server_env(tmp_path / "instance")
    assert run_cli(base, "db", "upgrade").returncode == 0
    result = run_cli({**base, **env}, "serve", "--port", "1")
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.strip().splitlines()
                if not line.startswith("puente: database ")]
    assert len(problems) == 1, result.stderr


def test_serve_without_tables_says_to_upgrade(tmp_path):
    result = run_cli(server_env(tmp_path / "instance"), "serve", "--port", "1")
    assert result.returncode == 2
    assert "puente db upgrade" in result.stderr


# --- which database and instance folder; environment files -----------------------------------

def shell_env(tmp_path, **extra) -> dict:
    """The environment of a shell where Puente's settings were not loaded."""
    env = server_env(tmp_path / "unused", **extra)
    for name in ("DATABASE_URL", "PUENTE_INSTANCE_PATH", "PUENTE_ASYNC_MODE"):
        if name not in extra:
            env.pop(name, None)
    return env


def where_line(stderr: str) -> str:
    (line,) = [line for line in stderr.splitlines() if line.startswith("puente: database ")]
    return line


def test_db_upgrade_reads_the_env_file_and_names_its_database(tmp_path):
    database = tmp_path / "data" / "site.db"
    instance = tmp_path / "site-instance"
    env_file = tmp_path / "puente.env"
    env_file.write_text(f"DATABASE_URL=sqlite:///{database}\nPUENTE_INSTANCE_PATH={instance}\n")
    env = shell_env(tmp_path)
    for option in (("--env-file", str(env_file)), ("-e", str(env_file))):
        result = run_cli(env, *option, "db", "upgrade")
        assert result.returncode == 0, result.stderr
        assert database.is_file() and (instance / "secret_key").is_file()
        assert where_line(result.stderr) == (f"puente: database sqlite:///{database}, "
                                             f"instance folder {instance}")
        # The line comes before the command acts (Alembic's own lines follow it).
        assert result.stderr.splitlines()[0] == where_line(result.stderr)
    assert not (ROOT / "unused").exists() and not (tmp_path / "unused").exists()
    users = run_cli(env, "-e", str(env_file), "users", "create", "--email", "ana@example.org",
                    "--name", "Ana", "--password-stdin", stdin="a very long secret\n")
    assert users.returncode == 0, users.stderr
    assert str(database) in where_line(users.stderr)


def test_the_real_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / "puente.env"
    env_file.write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'from-file.db'}\n")
    env = shell_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'from-shell.db'}",
                    PUENTE_INSTANCE_PATH=str(tmp_path / "instance"))
    result = run_cli(env, "-e", str(env_file), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "from-shell.db" in where_line(result.stderr)
    assert (tmp_path / "from-shell.db").is_file() and not (tmp_path / "from-file.db").exists()


def test_a_password_in_the_database_url_is_never_printed(tmp_path):
    env = shell_env(tmp_path, PUENTE_INSTANCE_PATH=str(tmp_path / "instance"),
                    DATABASE_URL="postgresql://puente:s3cr%40t-Pw@127.0.0.1:1/puente")
    for args in (("serve", "--port", "1"), ("db", "upgrade")):
        result = run_cli(env, *args)
        assert result.returncode != 0
        assert where_line(result.stderr) == (
            "puente: database postgresql+psycopg2://puente:***@127.0.0.1:1/puente, "
            f"instance folder {tmp_path / 'instance'}")
        assert "s3cr" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("argv", "in_file", "in_shell", "patched"),
    [
        (["-e", "{file}", "serve"], "eventlet", None, True),
        (["--env-file", "{file}", "serve"], "threading", None, False),
        (["--env-file={file}", "serve", "--port", "1"], "threading", None, False),
        (["-e", "{file}", "serve"], "eventlet", "threading", False),  # the shell wins
        (["-e", "{file}", "db", "upgrade"], "eventlet", None, False),  # only `serve` patches
    ],
)
def test_serve_patches_for_the_async_mode_of_its_env_file(tmp_path, argv, in_file, in_shell,
                                                           patched):
    env_file = tmp_path / "puente.env"
    env_file.write_text(f"PUENTE_ASYNC_MODE={in_file}\n")
    env = shell_env(tmp_path, **({"PUENTE_ASYNC_MODE": in_shell} if in_shell else {}))
    code = (
        "import sys\n"
        "from webapp.__main__ import _patch_for_serving\n"
        "_patch_for_serving(sys.argv)\n"
        "import eventlet.patcher as p\n"
        "print(p.is_monkey_patched('socket'))\n"
    )
    args = [arg.format(file=env_file) for arg in argv]
    result = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == str(patched)


@pytest.mark.server
def test_serve_with_an_env_file(tmp_path):
    from tests.support.server import running_server

    instance = tmp_path / "instance"
    env_file = tmp_path / "puente.env"
    env_file.write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'site.db'}\n"
                        f"PUENTE_INSTANCE_PATH={instance}\nPUENTE_ASYNC_MODE=eventlet\n")
    env = shell_env(tmp_path)
    assert run_cli(env, "-e", str(env_file), "db", "upgrade").returncode == 0
    # The instance path is repeated in the environment only for the helper's log file.
    with running_server({**env, "PUENTE_INSTANCE_PATH": str(instance)},
                        module=("-m", "webapp", "-e", str(env_file))) as server:
        assert f"puente: database sqlite:///{tmp_path / 'site.db'}" in server.log()
        assert "async mode eventlet" in server.log()


# --- puente mail test ------------------------------------------------------------------------

def test_mail_test_delivers_through_the_smtp_server(tmp_path, smtp_server):
    env = server_env(tmp_path / "instance", SMTP_URL=smtp_server.url,
                     BASE_URL="https://meet.example.org")
    result = run_cli(env, "mail", "test", "Ana@Example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("Test message to Ana@example.org accepted by the SMTP "
                                     f"server at 127.0.0.1:{smtp_server.port}.")
    (received,) = smtp_server.wait_for(1)
    assert received["to"] == ["Ana@example.org"]
    message = received["message"]
    assert message["Subject"] == "Test message from Puente"
    body = message.get_body(("plain",)).get_content()
    assert "test message from Puente" in body and "https://meet.example.org" in body
    # Sent directly: nothing waits in the queue, nothing went to the outbox.
    assert not (tmp_path / "instance" / "outbox").exists()


def test_mail_test_says_when_the_server_refuses_the_connection(tmp_path):
    port = free_port()  # nothing listens there
    env = server_env(tmp_path / "instance", SMTP_URL=f"smtp://127.0.0.1:{port}")
    result = run_cli(env, "mail", "test", "ana@example.org")
    assert result.returncode == 1
    assert (f"not sent through 127.0.0.1:{port}: connection refused" in result.stderr)
    assert "Traceback" not in result.stderr and not result.stdout


def test_mail_test_says_when_the_server_refuses_the_recipient(tmp_path, smtp_server):
    smtp_server.refuse_recipient("nobody@example.org")
    env = server_env(tmp_path / "instance", SMTP_URL=smtp_server.url)
    result = run_cli(env, "mail", "test", "nobody@example.org")
    assert result.returncode == 1
    assert "the server refused the recipient: 550" in result.stderr
    assert smtp_server.messages == []


def test_mail_test_refuses_an_invalid_address(tmp_path, smtp_server):
    env = server_env(tmp_path / "instance", SMTP_URL=smtp_server.url)
    result = run_cli(env, "mail", "test", "not an address")
    assert result.returncode == 2
    assert "'not an address' is not a valid e-mail address" in result.stderr
    assert smtp_server.messages == []


def test_mail_test_without_smtp_says_where_mail_goes(tmp_path):
    result = run_cli(server_env(tmp_path / "instance"), "mail", "test", "ana@example.org")
    assert result.returncode == 2
    assert "SMTP_URL is not set" in result.stderr and "printed to the console" in result.stderr


# --- puente demo -------------------------------------------------------------------------

@pytest.mark.parametrize("base_url", [None, "https://meet.example.org"])
def test_demo_prints_links_on_the_servers_address_and_says_it_started_none(tmp_path, base_url):
    env = server_env(tmp_path / "instance", **({"BASE_URL": base_url} if base_url else {}))
    migrate(env)
    result = run_cli(env, "demo")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    base = base_url or "http://127.0.0.1:5000"
    assert f"  Series:        {base}/s/" in out
    assert f"Staff login:   {base}/login" in out
    assert "started no server" in out and "make run" in out
    if base_url:
        assert f"The links use BASE_URL ({base_url})." in out
        assert "127.0.0.1:5000" not in out
    else:
        assert "The links assume the server answers on http://127.0.0.1:5000" in out


def test_demo_links_follow_the_address_make_passes(tmp_path):
    env = server_env(tmp_path / "instance")
    migrate(env)
    result = run_cli(env, "demo", "--base-url", "http://0.0.0.0:8123/")
    assert result.returncode == 0, result.stderr
    assert "  Series:        http://0.0.0.0:8123/s/" in result.stdout
    links = [line for line in result.stdout.splitlines() if "://" in line and "/m/" in line]
    assert links and all("http://0.0.0.0:8123/m/" in line for line in links)
