"""Names sorted as readers of each language expect (`webapp.core.collation`)."""

from __future__ import annotations

from webapp.core.collation import sort_key, sorted_names
from webapp.core.timeutil import zone_country
from webapp.registration.labels import country_choices, meeting_countries


def _order(names, language):
    return sorted(names, key=sort_key(language))


def test_english_puts_accented_letters_among_their_own():
    names = ["Zambia", "Côte d’Ivoire", "Albania", "Åland Islands", "Croatia", "Costa Rica",
             "Afghanistan", "Curaçao", "Chad", "Cuba", "Âland test"]
    assert _order(names, "en") == [
        "Afghanistan", "Åland Islands", "Âland test", "Albania", "Chad", "Costa Rica",
        "Côte d’Ivoire", "Croatia", "Cuba", "Curaçao", "Zambia"]


def test_english_country_list():
    names = [name for _code, name in country_choices("en")]
    assert names.index("Afghanistan") < names.index("Åland Islands") < names.index("Albania")
    assert names.index("Costa Rica") < names.index("Côte d’Ivoire") < names.index("Croatia")
    assert names[-1] == "Zimbabwe"


def test_spanish_order():
    names = ["Zambia", "Côte d’Ivoire", "Camerún", "Chile", "Canadá", "Colombia", "Croacia",
             "Åland", "Albania", "Ecuador", "España", "Estados Unidos", "Él"]
    assert _order(names, "es") == [
        "Åland", "Albania", "Camerún", "Canadá", "Chile", "Colombia", "Côte d’Ivoire",
        "Croacia", "Ecuador", "Él", "España", "Estados Unidos", "Zambia"]
    spanish = [name for _code, name in country_choices("es")]
    assert spanish.index("Colombia") < spanish.index("Côte d’Ivoire") < spanish.index("Croacia")
    assert spanish.index("Países Bajos") < spanish.index("Pakistán") < spanish.index("Perú")


def test_chinese_by_pinyin():
    assert _order(["中国", "巴西", "阿尔巴尼亚", "秘鲁", "朝鲜", "德国"], "zh_Hans") == [
        "阿尔巴尼亚", "巴西", "秘鲁", "朝鲜", "德国", "中国"]  # a, ba, bi, chao, de, zhong
    chinese = [name for _code, name in country_choices("zh_Hans")]
    assert chinese.index("阿尔巴尼亚") < chinese.index("巴西") < chinese.index("中国")
    assert chinese[0].startswith("阿")


def test_language_lists_follow_the_reader():
    languages = [("en", "English"), ("es", "Español"), ("zh_Hans", "简体中文")]
    assert [c for c, _n in sorted_names(languages, "en")] == ["en", "es", "zh_Hans"]
    # In Chinese, 简体中文 reads "jian ti zhong wen": after English and Español.
    assert [c for c, _n in sorted_names(languages, "zh_Hans")] == ["en", "es", "zh_Hans"]
    # Latin and Han names interleave by their letters: 阿 (a) < Bolivia < 中文 (zhong) < Zulu.
    mixed = [("zu", "Zulu"), ("zh", "中文"), ("bo", "Bolivia"), ("a", "阿")]
    assert [c for c, _n in sorted_names(mixed, "zh_Hans")] == ["a", "bo", "zh", "zu"]


def test_meeting_countries_come_from_the_tz_database():
    assert zone_country("America/Lima") == "PE"
    assert zone_country("UTC") is None
    assert meeting_countries(("Asia/Shanghai", "America/Lima", "UTC", "Europe/Madrid")) == (
        "CN", "PE", "ES")
