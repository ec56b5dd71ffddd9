"""Werkzeug's URL builders, generated once per rule for the whole test run.

Every test builds a fresh app, and Werkzeug compiles a Python function per URL rule (two per
rule, with and without unknown arguments): about 0.1 s per app, a quarter of a small test.
The generated code depends only on the rule's parsed parts and defaults, so rules that are
the same in every app share one function. Production builds one app and is left alone.
"""

from __future__ import annotations

import functools

from werkzeug.routing.rules import Rule

_ORIGINAL = Rule._compile_builder


def _key(rule: Rule, append_unknown: bool):
    defaults = (rule.defaults or {}).items()
    return (rule.rule, tuple(rule._trace), append_unknown,
            tuple(sorted((str(name), repr(value)) for name, value in defaults)))


@functools.wraps(_ORIGINAL)
def _shared_builder(self: Rule, append_unknown: bool = True, _builders={}):  # noqa: B006
    key = _key(self, append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _ORIGINAL(self, append_unknown)
    return builder


def share_rule_builders() -> None:
    """Install the shared builders (a no-op if Werkzeug no longer compiles them this way)."""
    if "_trace" in Rule.compile.__code__.co_names:
        Rule._compile_builder = _shared_builder
