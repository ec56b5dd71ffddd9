"""Cheap text similarity for "someone already asked this": character n-grams.

Words are not a good unit for Chinese (no spaces), so both texts are reduced to sets of
character bigrams and trigrams after folding case, accents and punctuation; the score is the
Dice coefficient of those sets (0 = nothing shared, 1 = the same text).

A question is a set of texts, its own and its translations (`question_texts`): a Spanish
question and a Chinese one are duplicates when any wording of one is close to any of the other,
so the best pair scores.
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


def question_texts(question) -> list[str]:
    """The question's text, then each translation's (`{lang: {"text", "machine"}}`), once each.

    Read with `getattr` so that objects without translations (or with none yet) still work.
    """
    texts = [question.text]
    translations = getattr(question, "translations", None)
    if isinstance(translations, dict):
        for value in translations.values():
            text = value.get("text") if isinstance(value, dict) else value
            if isinstance(text, str) and text.strip() and text not in texts:
                texts.append(text)
    return texts


def best_score(a: list[frozenset[str]], b: list[frozenset[str]]) -> float:
    """The best score of any text of one question against any text of the other."""
    return max((score(x, y) for x in a for y in b), default=0.0)


def _gram_sets(texts) -> list[frozenset[str]]:
    if isinstance(texts, str):
        texts = [texts]
    return [grams(text) for text in texts]


def most_similar(texts, candidates, key=question_texts, limit: int = 3,
                 threshold: float = THRESHOLD) -> list[tuple[object, float]]:
    """The `limit` candidates closest to `texts` (one text or several), best first.

    `key(candidate)` gives the candidate's texts (or one text); the caller chooses them, so this
    module knows nothing of models.
    """
    wanted = _gram_sets(texts)
    scored = []
    for candidate in candidates:
        value = best_score(wanted, _gram_sets(key(candidate)))
        if value >= threshold:
            scored.append((candidate, round(value, 3)))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]
