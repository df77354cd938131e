"""English mode shows no Chinese punctuation or unit glued to a number: list separators, time-limit lengths,
visit counts and stored rating tags go through the catalog (the places the translator found in Chinese)."""

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from bianmin.catalog.constants import LimitUnit, limit_length
from bianmin.catalog.selectors import _special_step_text
from bianmin.evaluation.constants import DEFAULT_TAGS, ServiceMode
from bianmin.hotline.guide import _time_limit
from bianmin.web.text import join_list


def render(source: str, **context) -> str:
    return Template("{% load i18n bianmin_ui %}" + source).render(Context(context))


def test_list_separator_follows_the_language():
    with translation.override("zh-hans"):
        assert join_list(["甲", "乙"]) == "甲、乙"
    with translation.override("en"):
        assert join_list(["A", "B", "C"]) == "A, B, C"
        assert render('{{ xs|join_list|default:"—" }}', xs=[]) == "—"


def test_join_list_filter_escapes_items():
    with translation.override("en"):
        assert render("{{ xs|join_list }}", xs=["<b>", "a&b"]) == "&lt;b&gt;, a&amp;b"


def test_limit_length_has_english_plural_forms_and_keeps_the_chinese_text():
    with translation.override("en"):
        assert limit_length(1, LimitUnit.WORKING_DAY) == "1 working day"
        assert limit_length(3, LimitUnit.WORKING_DAY) == "3 working days"
        assert limit_length(2, LimitUnit.MONTH) == "2 months"
        assert limit_length("5", LimitUnit.NATURAL_DAY) == "5 calendar days"
    with translation.override("zh-hans"):
        assert limit_length(10, LimitUnit.WORKING_DAY) == "10工作日"
        assert limit_length(3, LimitUnit.MONTH) == "3个月"


def test_hotline_guide_time_limit_in_english():
    version = SimpleNamespace(is_instant=False, promised_limit=3, promised_limit_unit=LimitUnit.WORKING_DAY)
    instant = SimpleNamespace(is_instant=True, promised_limit=0, promised_limit_unit=LimitUnit.WORKING_DAY)
    with translation.override("en"):
        assert _time_limit(version) == "3 working days"
        assert _time_limit(instant) == "Instant"
    with translation.override("zh-hans"):
        assert _time_limit(version) == "3工作日"
        assert _time_limit(instant) == "即办"


def test_special_step_text_in_english():
    step = {"name": "Expert review", "duration": 10, "unit": LimitUnit.WORKING_DAY, "counted": False}
    with translation.override("en"):
        assert _special_step_text(step) == "Expert review 10 working days (not counted in the time limit)"
    with translation.override("zh-hans"):
        assert _special_step_text(step) == "Expert review 10工作日（不计入时限）"


def test_visit_count_uses_plural_forms():
    source = "{% blocktranslate count n=v %}{{ n }} 次{% plural %}{{ n }} 次{% endblocktranslate %}"
    with translation.override("en"):
        assert render(source, v=0) == "0 visits"
        assert render(source, v=1) == "1 visit"
    with translation.override("zh-hans"):
        assert render(source, v=2) == "2 次"


def test_stored_rating_tags_are_shown_translated():
    tags = DEFAULT_TAGS[ServiceMode.ON_SITE][:2]
    assert tags == ["整体满意度", "服务效率"]  # stored values stay Chinese
    with translation.override("en"):
        assert (
            render("{{ tags|translated|join_list }}", tags=tags) == "Overall satisfaction, Speed of service"
        )
