"""Machine translation suggestions from a LibreTranslate server the organisers host.

Infrastructure: imports no domain. Off unless `TRANSLATE_URL` is set. See `runner` for how a
domain wires its stored translations to it.
"""

from webapp.machine_translation.client import LibreTranslate
from webapp.machine_translation.runner import (
    delivers,
    runner_of,
    suggest_after_commit,
    suggest_later,
)

__all__ = ["LibreTranslate", "delivers", "runner_of", "suggest_after_commit", "suggest_later"]
