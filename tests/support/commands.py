"""Payloads for the registered socket commands (webapp/realtime/handlers.py)."""

from __future__ import annotations

from webapp.realtime.handlers import INT64_MAX, Bool, Dict, Id, Int, List, Localized, Object, Str

#: A well-formed id that names nothing.
ABSENT_ID = INT64_MAX


def plausible(spec):
    """A value of the declared shape (ids that exist nowhere), so only the fuzzed field fails."""
    if isinstance(spec, Id):
        return ABSENT_ID
    if isinstance(spec, Int):
        return spec.minimum
    if isinstance(spec, Bool):
        return True
    if isinstance(spec, Str):
        return sorted(spec.choices)[0] if spec.choices else "x"
    if isinstance(spec, List):
        return []
    if isinstance(spec, Localized):
        return "x"
    if isinstance(spec, Dict):
        return {}
    if isinstance(spec, Object):
        return {name: plausible(inner) for name, inner in spec.fields.items()}
    raise AssertionError(spec)
