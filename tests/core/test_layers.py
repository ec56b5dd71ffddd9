"""The import rules of docs/architecture.md, read from the source: arrows point one way.

Every import counts, at module level and inside functions (found with `ast.walk`), so a
function-local import cannot hide an edge. A function-local import is allowed only with a
comment on its own line that gives a reason other than a cycle (e.g. `# monkey-patching
order`, `# imports eventlet: only under it`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
ALL_FILES = sorted(WEBAPP.rglob("*.py"))
SERVICE_FILES = [*sorted(WEBAPP.glob("*/*services.py")), WEBAPP / "realtime" / "log.py"]
FORBIDDEN_MODULES = {"flask_socketio", "flask_login"}
FORBIDDEN_FLASK_NAMES = {"request", "session", "g", "current_app"}

#: The foundation: imports no domain. `realtime` is the live infrastructure (event log,
#: broadcaster, rooms, coalescer, presence, transport); connecting and joining live in `live`.
FOUNDATION = {"config", "errors", "core", "extensions", "mail", "realtime",
              "machine_translation", "media"}
#: Domain packages, each with the packages it may import (besides the foundation).
#: `registration` and `agenda` are siblings with no edge; `board` may read `qa`, never the
#: reverse (the board shows answered questions; the Q&A knows nothing of the board).
DOMAINS = {
    "accounts": set(),
    "meetings": {"accounts"},
    "registration": {"meetings", "accounts"},
    "agenda": {"meetings", "accounts"},
    "qa": {"registration", "agenda", "meetings", "accounts"},
    "polls": {"registration", "agenda", "meetings", "accounts"},
    "feedback": {"registration", "agenda", "meetings", "accounts"},
    "board": {"qa", "feedback", "registration", "agenda", "meetings", "accounts"},
    "reports": {"board", "qa", "polls", "feedback", "registration", "agenda", "meetings",
                "accounts"},
}
#: Edges inside the foundation (a package always imports itself).
FOUNDATION_EDGES = {
    "config": set(),
    "errors": set(),
    "core": {"config", "errors"},
    "extensions": set(),
    "mail": {"core", "extensions", "config", "errors"},
    "realtime": {"core", "extensions", "config", "errors"},
    "machine_translation": {"core", "extensions", "config", "errors"},
    "media": {"core", "extensions", "config", "errors"},
}
#: Adapter packages: the web and live adapters' shared code, above every domain.
ADAPTER_PACKAGES = {"live", "web"}
#: The top: the factory, the command line and what only they use. They may import anything.
TOP = {"__init__", "__main__", "app", "cli", "demo", "serving"}
#: Top-level adapter modules (pages outside any domain).
TOP_ADAPTERS = {"views", "errors_web"}
#: A domain module is an adapter when it is a web page, a form or a socket command module.
ADAPTER_FILE = re.compile(r"^(views|\w+_views|forms|\w+_forms|sockets)\.py$")


def package_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "webapp":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(WEBAPP.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path) for path in ALL_FILES}


def deepest_module(name: str) -> str:
    """`webapp.meetings.views.PREFILL_KEY` -> `webapp.meetings.views`."""
    while name not in MODULES and "." in name:
        name = name.rpartition(".")[0]
    return name


def is_adapter_module(module: str) -> bool:
    parts = module.split(".")
    if len(parts) < 2:
        return False
    if parts[1] in ADAPTER_PACKAGES or (len(parts) == 2 and parts[1] in TOP_ADAPTERS):
        return True
    return len(parts) == 3 and parts[1] in DOMAINS and bool(ADAPTER_FILE.match(parts[2] + ".py"))


def imports(path: Path):
    """Yield `(line, imported module, inside a function)` for every import of the file."""
    tree = ast.parse(path.read_text())
    local = {id(node) for function in ast.walk(tree)
             if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
             for node in ast.walk(function)}
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[:len(package) - node.level + 1], *filter(None, [base])])
            # `from webapp.x import y` may import module y: count the deepest one.
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            yield node.lineno, target, id(node) in local


def allowed(source: str, target: str) -> bool:
    """Whether module `source` may import module `target` (both under `webapp`)."""
    src, dst = package_of(source), package_of(target)
    if src in TOP:
        return True
    if is_adapter_module(target) and not is_adapter_module(source):
        return False  # nothing below the adapters knows them
    if src == dst:
        return True
    if dst in TOP:
        return False
    if src in FOUNDATION:
        return dst in FOUNDATION_EDGES[src]
    if dst in FOUNDATION:
        return True
    if is_adapter_module(source):
        return dst in DOMAINS or dst in ADAPTER_PACKAGES or dst in TOP_ADAPTERS
    return dst in DOMAINS[src]


def all_edges():
    for path in ALL_FILES:
        source = module_name(path)
        for line, target, inside in imports(path):
            if package_of(target) is not None:
                yield path, line, source, deepest_module(target), inside


def test_every_package_is_placed():
    placed = FOUNDATION | set(DOMAINS) | ADAPTER_PACKAGES | TOP | TOP_ADAPTERS
    packages = {package_of(module_name(path)) for path in ALL_FILES}
    assert packages <= placed, f"place {sorted(packages - placed)} in a layer"


def test_imports_point_one_way():
    wrong = [f"{path.relative_to(WEBAPP)}:{line}: {source} -> {target}"
             for path, line, source, target, _inside in all_edges()
             if not allowed(source, target)]
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(set(wrong)))


def test_function_local_imports_give_a_reason():
    """An import inside a function hides an edge; it needs a stated reason, never a cycle."""
    unexplained = []
    for path in ALL_FILES:
        lines = path.read_text().splitlines()
        for line, target, inside in imports(path):
            if not inside:
                continue
            _code, _hash, comment = lines[line - 1].partition("#")
            reason = comment.strip().lower()
            if not reason or reason.startswith("noqa") or "cycl" in reason or "circular" in reason:
                unexplained.append(f"{path.relative_to(WEBAPP)}:{line}: {target}")
    assert not unexplained, "function-local imports without a reason:\n" + "\n".join(
        sorted(set(unexplained)))


@pytest.mark.parametrize(("source", "target", "ok"), [
    ("webapp.qa.services", "webapp.registration.models", True),
    ("webapp.registration.services", "webapp.qa.models", False),
    ("webapp.registration.services", "webapp.agenda.models", False),
    ("webapp.board.services", "webapp.qa.services", True),
    ("webapp.qa.services", "webapp.board.models", False),
    ("webapp.realtime.log", "webapp.meetings.models", False),
    ("webapp.meetings.services", "webapp.meetings.views", False),
    ("webapp.meetings.views", "webapp.registration.services", True),
    ("webapp.qa.views", "webapp.live.sockets", True),
    ("webapp.live.participants", "webapp.registration.models", True),
    ("webapp.realtime.handlers", "webapp.live.participants", False),
    ("webapp.core.text", "webapp.app", False),
    ("webapp.machine_translation.runner", "webapp.qa.services", False),
    ("webapp.qa.services", "webapp.machine_translation", True),
    ("webapp.polls.services", "webapp.registration.models", True),
    ("webapp.polls.services", "webapp.qa.models", False),
    ("webapp.qa.services", "webapp.polls.models", False),
    ("webapp.board.services", "webapp.polls.services", False),
    ("webapp.live.catchup", "webapp.polls.services", True),
    ("webapp.board.followup_services", "webapp.feedback.services", True),
    ("webapp.feedback.services", "webapp.board.models", False),
    ("webapp.feedback.services", "webapp.qa.models", False),
])
def test_the_rule_itself(source, target, ok):
    assert allowed(source, target) is ok


@pytest.mark.parametrize("path", SERVICE_FILES, ids=lambda p: str(p.relative_to(WEBAPP)))
def test_services_do_not_touch_http_or_sockets(path):
    for _line, module, _inside in imports(path):
        root = module.split(".")[0]
        assert root not in FORBIDDEN_MODULES, f"{path.name} imports {module}"
        if root == "flask":
            assert module.rpartition(".")[2] not in FORBIDDEN_FLASK_NAMES, (
                f"{path.name} imports {module}")


def test_there_are_services_to_check():
    assert len(SERVICE_FILES) >= 4
