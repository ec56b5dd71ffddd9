"""Domain services stay plain Python: no request state, no Socket.IO."""

import ast
from pathlib import Path

import pytest

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
SERVICE_FILES = [*sorted(WEBAPP.glob("*/*services.py")), WEBAPP / "realtime" / "log.py"]
FORBIDDEN_MODULES = {"flask_socketio", "flask_login"}
FORBIDDEN_FLASK_NAMES = {"request", "session", "g", "current_app"}


def imported_names(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                yield node.module, alias.name


@pytest.mark.parametrize("path", SERVICE_FILES, ids=lambda p: str(p.relative_to(WEBAPP)))
def test_services_do_not_touch_http_or_sockets(path):
    for module, name in imported_names(path):
        root = module.split(".")[0]
        assert root not in FORBIDDEN_MODULES, f"{path.name} imports {module}"
        if root == "flask":
            assert module == "flask" and name not in FORBIDDEN_FLASK_NAMES, (
                f"{path.name} imports {name} from {module}")
            assert name not in FORBIDDEN_FLASK_NAMES


def test_there_are_services_to_check():
    assert len(SERVICE_FILES) >= 4
