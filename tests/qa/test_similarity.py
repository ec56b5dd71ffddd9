"""Similarity on plain objects: a question is its text plus its translations, best pair wins."""

from __future__ import annotations

from types import SimpleNamespace

from webapp.qa import similarity
from webapp.qa.similarity import most_similar, question_texts

SPANISH = "¿Cómo se financian los centros de salud comunitarios?"
CHINESE = "社区卫生服务中心如何筹资？"
ENGLISH = "How are community health centres financed?"


def question(text, translations=None, **fields):
    if translations is None:
        return SimpleNamespace(text=text, **fields)
    return SimpleNamespace(text=text, translations=translations, **fields)


def test_question_texts_reads_the_original_then_each_translation_once():
    assert question_texts(question(SPANISH)) == [SPANISH]
    assert question_texts(question(SPANISH, None)) == [SPANISH]
    assert question_texts(question(SPANISH, {})) == [SPANISH]
    found = question_texts(question(SPANISH, {
        "zh_Hans": {"text": CHINESE, "machine": True},
        "en": {"text": ENGLISH, "machine": False},
        "es": {"text": SPANISH, "machine": False},    # the same wording counts once
        "fr": {"text": "   ", "machine": True},       # blank: nothing to compare
        "de": {"machine": True},                      # no text yet
    }))
    assert found == [SPANISH, CHINESE, ENGLISH]


def test_a_spanish_question_finds_its_chinese_duplicate_through_a_translation():
    spanish = question(SPANISH, {"zh_Hans": {"text": "社区卫生服务中心怎么筹资？",
                                             "machine": True}})
    chinese = question(CHINESE)
    unrelated = question("会场的无线网络密码是什么？")
    # Without translations the two wordings share nothing.
    assert most_similar([SPANISH], [chinese]) == []
    found = most_similar(question_texts(spanish), [unrelated, chinese])
    assert [candidate for candidate, _ in found] == [chinese]
    # And the other way round: the candidate's translation is compared too.
    english = question(ENGLISH, {"es": {"text": "¿Cómo se financian los centros de salud?",
                                        "machine": False}})
    found = most_similar(SPANISH, [question("¿Dónde está la sala?"), english])
    assert [candidate for candidate, _ in found] == [english]


def test_the_best_pair_scores():
    candidate = question("Where is the room?", {"es": {"text": SPANISH, "machine": True}})
    [(found, score)] = most_similar([ENGLISH, SPANISH], [candidate])
    assert found is candidate and score == 1.0
    assert similarity.best_score([], [similarity.grams(SPANISH)]) == 0.0


def test_a_plain_text_key_still_works():
    found = most_similar(ENGLISH, ["how are community health centres financed", "wifi"],
                         key=lambda text: text)
    assert [candidate for candidate, _ in found] == ["how are community health centres financed"]
