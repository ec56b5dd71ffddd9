"""Which language a text is written in, guessed cheaply, for `lang` attributes and translation."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPANISH_CHARS = re.compile(r"[¿¡ñÑáéíóúÁÉÍÓÚ]")
_SPANISH_WORDS = frozenset({
    "el", "la", "los", "las", "de", "del", "que", "qué", "cómo", "como", "por", "para", "una",
    "uno", "con", "es", "son", "en", "se", "al", "pero", "también", "más", "sobre", "cuál",
    "cuáles", "dónde", "cuándo", "está", "están", "hay",
})
_ENGLISH_WORDS = frozenset({
    "the", "of", "and", "to", "is", "are", "how", "what", "why", "which", "with", "for", "on",
    "in", "do", "does", "did", "you", "your", "this", "that", "can", "could", "would", "should",
})


def guess_language(text: str) -> str:
    """A cheap guess by script and marker words: Han -> zh_Hans, Spanish -> es, else en."""
    if _HAN.search(text):
        return "zh_Hans"
    if _SPANISH_CHARS.search(text):
        return "es"
    words = re.findall(r"[a-záéíóúñü]+", text.casefold())
    spanish = sum(word in _SPANISH_WORDS for word in words)
    english = sum(word in _ENGLISH_WORDS for word in words)
    return "es" if spanish > english else "en"


def name_language(name: str) -> str | None:
    """A person's name's language when its script tells (Han, Spanish letters), else None:
    a name in plain Latin letters could be read in any language and keeps the page's."""
    if not isinstance(name, str) or not name:
        return None
    if _HAN.search(name):
        return "zh_Hans"
    if _SPANISH_CHARS.search(name):
        return "es"
    return None
