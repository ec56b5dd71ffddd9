"""Cheap text similarity for "someone already asked this": character n-grams.

Words are not a good unit for Chinese (no spaces), so both texts are reduced to sets of
character bigrams and trigrams after folding case, accents and punctuation; the score is the
Dice coefficient of those sets (0 = nothing shared, 1 = the same text).
"""

from __future__ import annotations

import unicodedata

#: Scores below this are noise ("the", "的" ...), not the same question.
THRESHOLD = 0.3


def normalise(text: str) -> str:
    """Fold case and accents, turn punctuation and runs of space into one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn":  # combining accent
            continue
        kept.append(char if category[0] in "LN" else " ")
    return " ".join("".join(kept).split())


def grams(text: str) -> frozenset[str]:
    """Character bigrams and trigrams of the folded text (works without spaces, e.g. Chinese)."""
    flat = normalise(text)
    if len(flat) < 2:
        return frozenset({flat}) if flat else frozenset()
    found = {flat[i:i + 2] for i in range(len(flat) - 1)}
    found.update(flat[i:i + 3] for i in range(len(flat) - 2))
    found.discard(" ")
    return frozenset(g for g in found if g.strip())


def score(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two gram sets: 0 nothing shared, 1 the same text."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def most_similar(text: str, candidates, key, limit: int = 3,
                 threshold: float = THRESHOLD) -> list[tuple[object, float]]:
    """The `limit` candidates whose `key(candidate)` text is closest to `text`, best first."""
    wanted = grams(text)
    scored = []
    for candidate in candidates:
        value = score(wanted, grams(key(candidate)))
        if value >= threshold:
            scored.append((candidate, round(value, 3)))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]
