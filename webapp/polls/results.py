"""Poll results, computed from answers: pure functions, no database, JSON-ready output.

Each function takes the answers that count (`shown` ones) as `Answer` tuples and returns the
shape docs/protocol.md gives for its kind. `compute` picks the function for a poll's kind.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

#: Word-cloud entries a result lists at most.
TOP_WORDS = 50
#: The values of each rating scale, in order.
SCALES = {"stars5": range(1, 6), "scale10": range(0, 11)}


class Answer(NamedTuple):
    """One counted answer: its id, its value, and its author's name (None when anonymous)."""
    id: int
    value: dict
    name: str | None = None


def fold(entry: str) -> str:
    """The key word-cloud entries are counted under: compatibility forms (full-width
    letters), case, accents and spacing do not make a different entry."""
    text = unicodedata.normalize("NFKC", entry).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", text).split())


def choices(kind: str, answers: Sequence[Answer], option_count: int) -> dict:
    """Single and multiple choice: how many answers picked each option."""
    counts = [0] * option_count
    for answer in answers:
        picked = ([answer.value.get("choice")] if kind == "single"
                  else answer.value.get("choices") or [])
        for index in set(picked):
            if isinstance(index, int) and 0 <= index < option_count:
                counts[index] += 1
    return {"kind": kind, "total": len(answers), "counts": counts}


def rating(answers: Sequence[Answer], scale: str) -> dict:
    """Rating: the average (None without answers) and how many gave each value."""
    values = SCALES.get(scale, SCALES["stars5"])
    distribution = {str(value): 0 for value in values}
    given = []
    for answer in answers:
        value = answer.value.get("rating")
        if isinstance(value, int) and str(value) in distribution:
            distribution[str(value)] += 1
            given.append(value)
    average = round(sum(given) / len(given), 2) if given else None
    return {"kind": "rating", "total": len(answers), "average": average,
            "distribution": distribution}


def word_cloud(answers: Sequence[Answer], top: int = TOP_WORDS) -> dict:
    """Word cloud: entries equal after `fold` count as one, shown in their most frequent
    spelling; the `top` most frequent, ties in order of first appearance."""
    counts: dict[str, int] = {}
    spellings: dict[str, dict[str, int]] = {}
    for answer in answers:
        seen_here = set()
        for entry in answer.value.get("words") or []:
            if not isinstance(entry, str):
                continue
            key = fold(entry)
            if not key or key in seen_here:
                continue
            seen_here.add(key)
            counts[key] = counts.get(key, 0) + 1
            shown = " ".join(entry.split())
            forms = spellings.setdefault(key, {})
            forms[shown] = forms.get(shown, 0) + 1
    order = {key: index for index, key in enumerate(counts)}
    ranked = sorted(counts, key=lambda key: (-counts[key], order[key]))[:top]
    words = []
    for key in ranked:
        forms = spellings[key]
        first = {form: index for index, form in enumerate(forms)}
        text = min(forms, key=lambda form: (-forms[form], first[form]))
        words.append({"text": text, "count": counts[key]})
    return {"kind": "word_cloud", "total": len(answers), "words": words}


def open_text(answers: Sequence[Answer]) -> dict:
    """Open text: the shown answers, oldest first (names only for polls that are not
    anonymous; the caller leaves them out otherwise)."""
    return {"kind": "open_text", "total": len(answers),
            "answers": [{"id": answer.id, "text": answer.value.get("text", ""),
                         "name": answer.name} for answer in answers]}


def ranking(answers: Sequence[Answer], option_count: int) -> dict:
    """Ranking: Borda points, n-1 for each first place down to 0 for each last."""
    scores = [0] * option_count
    for answer in answers:
        order = answer.value.get("order") or []
        if sorted(order) != list(range(option_count)):
            continue
        for place, index in enumerate(order):
            scores[index] += option_count - 1 - place
    return {"kind": "ranking", "total": len(answers), "scores": scores}


def compute(kind: str, answers: Iterable[Answer], *, option_count: int = 0,
            scale: str | None = None) -> dict:
    """The results of a poll of `kind` from its counted answers."""
    answers = list(answers)
    if kind in ("single", "multiple"):
        return choices(kind, answers, option_count)
    if kind == "rating":
        return rating(answers, scale or "stars5")
    if kind == "word_cloud":
        return word_cloud(answers)
    if kind == "open_text":
        return open_text(answers)
    if kind == "ranking":
        return ranking(answers, option_count)
    raise ValueError(f"unknown poll kind {kind!r}")
