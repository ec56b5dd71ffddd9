"""Machine translation suggestions from a LibreTranslate server the organisers host.

Infrastructure: imports no domain. Off unless `TRANSLATE_URL` is set.
"""

from webapp.machine_translation.client import LibreTranslate

__all__ = ["LibreTranslate"]
