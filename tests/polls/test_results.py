"""Poll results as pure functions: one shape per kind, word-cloud folding."""

from __future__ import annotations

from webapp.polls.results import Answer, compute, fold, word_cloud


def answers(*values):
    return [Answer(index + 1, value) for index, value in enumerate(values)]


def test_word_cloud_folds_case_width_and_accents_into_one_entry():
    result = word_cloud(answers(*({"words": [w]} for w in
                                  ["salud", "Salud", "SALUD", "ｓａｌｕｄ", "salúd", "Salud"])))
    assert result == {"kind": "word_cloud", "total": 6,
                      "words": [{"text": "Salud", "count": 6}]}
    assert fold("ｓａｌｕｄ") == fold("SALÚD") == "salud"


def test_a_chinese_phrase_is_one_entry_and_an_answer_counts_an_entry_once():
    result = word_cloud(answers({"words": ["公共卫生", "公共卫生 "]}, {"words": ["公共卫生"]},
                                {"words": ["Vacunas", "vacunas"]}))
    assert result["words"] == [{"text": "公共卫生", "count": 2}, {"text": "Vacunas", "count": 1}]


def test_word_cloud_keeps_the_top_fifty_by_count_then_first_seen():
    many = answers(*({"words": [f"w{i}"]} for i in range(60)), {"words": ["w59"]})
    words = word_cloud(many)["words"]
    assert len(words) == 50 and words[0] == {"text": "w59", "count": 2}
    assert [w["text"] for w in words[1:3]] == ["w0", "w1"]


def test_choices_rating_ranking_and_open_text():
    assert compute("single", answers({"choice": 1}, {"choice": 1}, {"choice": 0}),
                   option_count=3) == {"kind": "single", "total": 3, "counts": [1, 2, 0]}
    assert compute("multiple", answers({"choices": [0, 2]}, {"choices": [2]}),
                   option_count=3)["counts"] == [1, 0, 2]
    stars = compute("rating", answers({"rating": 5}, {"rating": 4}), scale="stars5")
    assert stars == {"kind": "rating", "total": 2, "average": 4.5,
                     "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}}
    ten = compute("rating", [], scale="scale10")
    assert ten["average"] is None and list(ten["distribution"]) == [str(i) for i in range(11)]
    assert compute("ranking", answers({"order": [2, 0, 1]}, {"order": [0, 1, 2]}),
                   option_count=3)["scores"] == [3, 1, 2]
    text = compute("open_text", [Answer(7, {"text": "<b>hola</b>"}, "Ana")])
    assert text == {"kind": "open_text", "total": 1,
                    "answers": [{"id": 7, "text": "<b>hola</b>", "name": "Ana"}]}
