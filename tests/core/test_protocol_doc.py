"""docs/protocol.md names every socket command and every event the server sends.

Commands come from the one registry (`webapp.realtime.handlers.REGISTRY`). Events are read
from the source: the type given to every call that creates one (`log.record`,
`log.announce`, `DomainEvent`) or sends one (`emit`), followed through string constants,
conditional expressions and local assignments. A call that only passes on what its caller
gave it (a parameter, an item or field of an event being delivered) names nothing itself; any other
expression fails the test, so a new way of naming events cannot slip past it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from webapp.realtime import handlers

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
SOURCES = sorted((ROOT / "webapp").rglob("*.py"))
#: Calls that create or send an event, and where their event type is (position, keyword).
EVENT_CALLS = {"record": (1, "type_"), "announce": (1, "type_"), "DomainEvent": (1, "type"),
               "emit": (0, "event"), "tell_local_sockets": (0, "event")}
#: Functions of webapp/realtime/log.py, called as `log.record(...)` from other modules.
LOG_FUNCTIONS = {"record", "announce"}
LOG_MODULE = ROOT / "webapp" / "realtime" / "log.py"


def _documented(name: str) -> bool:
    """Named in code style: `name`, `name {payload}` or `name [..]`."""
    return re.search(rf"`{re.escape(name)}(?![\w])", PROTOCOL) is not None


def _module_constants() -> dict[str, set[str]]:
    """Every module-level `NAME = "text"` of webapp, by name (for `log.ACCESS_REVOKED`)."""
    found: dict[str, set[str]] = {}
    for path in SOURCES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found.setdefault(target.id, set()).add(node.value.value)
    return found


CONSTANTS = _module_constants()


class _Resolver:
    """The strings an expression can evaluate to, within one function of one module."""

    def __init__(self, tree: ast.Module, function: ast.AST | None):
        self.tree = tree
        self.function = function
        self.parameters = set()
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = function.args
            self.parameters = {a.arg for a in (*arguments.posonlyargs, *arguments.args,
                                               *arguments.kwonlyargs)}

    def names(self, node: ast.AST) -> set[str] | None:
        """The possible strings; None when the value is passed on from elsewhere."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self._union(node.body, node.orelse)
        if isinstance(node, ast.Subscript):
            return None  # an item of data being delivered: named where it was created
        if isinstance(node, ast.Attribute) and node.attr in CONSTANTS:
            return CONSTANTS[node.attr]
        if isinstance(node, ast.Attribute) and not node.attr.isupper():
            return None  # a field of a stored event (`row.type`): named where it was logged
        if isinstance(node, ast.Name):
            if node.id in self.parameters:
                return None
            return self._assigned(node.id)
        raise AssertionError(f"cannot tell which event {ast.unparse(node)!r} names")

    def _union(self, *nodes: ast.AST) -> set[str] | None:
        values = [self.names(node) for node in nodes]
        known = [v for v in values if v is not None]
        return set().union(*known) if known else None

    def _assigned(self, name: str) -> set[str] | None:
        scope = self.function if self.function is not None else self.tree
        values = []
        for node in ast.walk(scope):
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    values.append(self.names(node.value))
                elif isinstance(target, ast.Tuple):
                    values.extend(self._unpacked(target, node.value, name))
        if not values and name in CONSTANTS:
            return CONSTANTS[name]
        if not values:
            raise AssertionError(f"cannot tell which event {name!r} names")
        known = [v for v in values if v is not None]
        return set().union(*known) if known else None

    def _unpacked(self, target: ast.Tuple, value: ast.AST, name: str) -> list:
        """`a, b = (x, y) if c else (z, w)`: the values `name` takes."""
        index = next((i for i, element in enumerate(target.elts)
                      if isinstance(element, ast.Name) and element.id == name), None)
        if index is None:
            return []
        options = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
        return [self.names(option.elts[index]) if isinstance(option, ast.Tuple) else None
                for option in options]


def _event_argument(call: ast.Call, in_log: bool) -> ast.AST | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in EVENT_CALLS:
        return None
    if name in LOG_FUNCTIONS and not (in_log or (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and func.value.id == "log")):
        return None  # another module's `record` (rate limits), not the event log's
    position, keyword = EVENT_CALLS[name]
    for given in call.keywords:
        if given.arg == keyword:
            return given.value
    return call.args[position] if len(call.args) > position else None


def _calls_by_function(tree: ast.Module):
    """Each call with the innermost function around it (None at module level)."""
    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else function
            if isinstance(child, ast.Call):
                yield child, function
            yield from visit(child, inner)
    yield from visit(tree, None)


def emitted_events() -> set[str]:
    """Every event type the server's code creates or sends."""
    events: set[str] = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call, function in _calls_by_function(tree):
            argument = _event_argument(call, path == LOG_MODULE)
            if argument is None:
                continue
            names = _Resolver(tree, function).names(argument)
            events |= names or set()
    return events


def test_the_event_reader_finds_the_events_of_every_kind_of_call():
    events = emitted_events()
    assert {"clock_changed",            # log.record with a literal
            "question_published",       # a conditional in a local variable
            "vote_tally_changed",       # a module constant
            "presence_changed",         # DomainEvent with a constant
            "access_revoked",           # log.ACCESS_REVOKED, across modules
            "batch"} <= events          # emit of a tuple picked by a condition


@pytest.mark.parametrize("name", sorted(emitted_events()))
def test_every_event_is_documented(name):
    assert _documented(name), f"event {name!r} is not in docs/protocol.md"


def test_every_command_is_documented(app):
    missing = [name for name in sorted(handlers.REGISTRY) if not _documented(name)]
    assert handlers.REGISTRY and not missing, f"commands not in docs/protocol.md: {missing}"


def _placeholders_blank(text: str) -> str:
    return re.sub(r"<[^>]*>", "<>", text)


def _limited_views() -> set[tuple[str, str]]:
    """(module, function) of every view decorated with `limiter.limit(...)`."""
    found = set()
    for path in SOURCES:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                    and d.func.attr == "limit" and getattr(d.func.value, "id", "") == "limiter"
                    for d in node.decorator_list):
                found.add((module, node.name))
    return found


def test_every_rate_limited_route_is_documented(app):
    limited = _limited_views()
    doc = _placeholders_blank(PROTOCOL)
    routes = {_placeholders_blank(rule.rule) for rule in app.url_map.iter_rules()
              if (getattr(app.view_functions[rule.endpoint], "__module__", ""),
                  getattr(app.view_functions[rule.endpoint], "__name__", "")) in limited}
    assert len(routes) >= 10
    missing = sorted(route for route in routes if f"{route}`" not in doc)
    assert not missing, f"rate-limited routes not in docs/protocol.md: {missing}"


def test_every_connect_refusal_code_is_documented():
    tree = ast.parse((ROOT / "webapp" / "live" / "sockets.py").read_text(encoding="utf-8"))
    codes = {call.args[0].value for call in ast.walk(tree)
             if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "_refuse"}
    assert codes and not [code for code in sorted(codes) if not _documented(code)]
