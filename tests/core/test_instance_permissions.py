"""The instance folder holds the secret key, the SQLite database and mailed join links: the
folder is 0700 and every file in it 0600, whatever the umask. (The first-run setup token is
no file: the database keeps a nonce and the link is an HMAC of it under the secret key.)"""

from __future__ import annotations

import os
import stat

import pytest

from tests.conftest import base_config
from webapp.core.timeutil import utcnow


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def permissive_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_instance_folder_and_its_files_are_private(tmp_path, permissive_umask):
    from webapp import create_app
    from webapp.extensions import db
    from webapp.mail import OutgoingMail, queue, run_pending

    instance = tmp_path / "instance"
    database = instance / "puente.db"
    config = base_config(tmp_path, f"sqlite:///{database}")
    config.pop("SQLALCHEMY_DATABASE_URI")  # the default: the file inside the instance folder
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    try:
        app = create_app(config)
    finally:
        del os.environ["DATABASE_URL"]
    with app.app_context():
        db.create_all()
        queue(OutgoingMail(to="ana@example.org", subject="Link", text="/m/x/join/secret"))
        db.session.commit()
        assert run_pending(utcnow()) == 1
        assert (instance / "puente.db-wal").exists()  # open in WAL mode: -wal and -shm exist
        for companion in ("puente.db-wal", "puente.db-shm"):
            assert mode(instance / companion) == 0o600
        db.session.remove()
        db.engine.dispose()

    assert mode(instance) == 0o700
    assert mode(instance / "secret_key") == 0o600
    assert mode(database) == 0o600
    assert mode(instance / "outbox") == 0o700
    (eml,) = (instance / "outbox").glob("*.eml")
    assert mode(eml) == 0o600
    # Nothing else lies there (SQLite removes -wal and -shm when the last connection closes).
    assert {path.name for path in instance.iterdir()} - {"puente.db-wal", "puente.db-shm"} == {
        "outbox", "puente.db", "secret_key"}


def test_an_existing_world_readable_instance_folder_is_closed(tmp_path, permissive_umask):
    from webapp import create_app

    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    os.chmod(instance, 0o755)
    create_app(base_config(tmp_path))
    assert mode(instance) == 0o700
