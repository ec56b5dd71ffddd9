"""Sorting names the way a reader of a language expects: every list of countries and languages.

- English and Spanish (and any other language): the Unicode Collation Algorithm with its
  default table (DUCET, through `pyuca`, pure Python): accents and case only break ties, so
  "Åland Islands" sits among the A's and "Côte d’Ivoire" among the C's, not after "Z".
- Chinese: by Hanyu Pinyin, syllable by syllable, then by tone (through `pypinyin`), the order
  of Chinese dictionaries and of CLDR's default Chinese collation: 阿尔巴尼亚 (a) before 巴西 (ba)
  before 中国 (zhong).

Both libraries are pure Python from PyPI (no ICU). pypinyin is loaded without its phrase
dictionary (about 55 MB in memory): single characters take their most common reading, and the
few names whose reading depends on the word are listed in `_PHRASES` (found by comparing both
readings of every country and language name CLDR gives in Chinese).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

# Before pypinyin is imported: its phrase dictionary is only needed for the words below.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")

import pyuca
from pypinyin import Style, load_phrases_dict, pinyin

T = TypeVar("T")

#: Words whose characters read differently in them than alone.
_PHRASES = {
    "秘鲁": [["bì"], ["lǔ"]],
    "勒斯": [["lè"], ["sī"]],
    "勒语": [["lè"], ["yǔ"]],
    "勒领": [["lè"], ["lǐng"]],
    "阿拉伯": [["ā"], ["lā"], ["bó"]],
    "什米尔": [["shí"], ["mǐ"], ["ěr"]],
    "蒙古": [["měng"], ["gǔ"]],
}
load_phrases_dict(_PHRASES)


@lru_cache(maxsize=1)
def _collator() -> pyuca.Collator:
    """The DUCET collator (its table is read once per process, about a second)."""
    return pyuca.Collator()


def _is_chinese(language: str) -> bool:
    return language.replace("-", "_").lower().startswith("zh")


def _pinyin_key(text: str) -> tuple:
    """Syllables without tones first (compared one by one), then tones, then the text."""
    collator = _collator()
    syllables = [reading[0] for reading in
                 pinyin(text, style=Style.TONE3, errors="default", strict=False)]
    bare, tones = [], []
    for syllable in syllables:
        tone = syllable[-1] if syllable[-1:].isdigit() else "5"
        letters = syllable[:-1] if syllable[-1:].isdigit() else syllable
        bare.append(collator.sort_key(unicodedata.normalize("NFC", letters.strip())))
        tones.append(tone)
    return (tuple(bare), tuple(tones), collator.sort_key(text))


def sort_key(language: str) -> Callable[[str], tuple]:
    """A key function ordering strings as readers of `language` (a Puente code) expect."""
    if _is_chinese(language):
        return _pinyin_key
    collator = _collator()
    return lambda text: (collator.sort_key(text), text)


def sorted_names(items: Iterable[T], language: str,
                 name: Callable[[T], str] = lambda item: item[1]) -> list[T]:
    """`items` sorted by their names in `language`; by default items are (code, name) pairs."""
    key = sort_key(language)
    return sorted(items, key=lambda item: key(name(item)))
