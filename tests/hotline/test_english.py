"""English mode: what the desk stored in Chinese (channel, kind, what was served) is read in English; lists
in messages use the English separator."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from bianmin.evaluation.models import EvaluationInvitation
from bianmin.evaluation.services import evaluation_invite
from bianmin.hotline import services
from bianmin.hotline.attributes import check
from bianmin.hotline.constants import EventKind
from bianmin.hotline.exceptions import RequestInvalid
from bianmin.hotline.models import CategoryAttribute, RequestCategory
from tests.factories import HallFactory

pytestmark = pytest.mark.django_db


def _complaint(desk):
    return services.request_create(
        acting_user=desk.citizen,
        kind="complaint",
        title="小吃店卫生差",
        content="金新路一家小吃店后厨卫生很差，餐具不消毒。",
    )


def test_the_timeline_reads_the_stored_channel_and_kind_in_english(desk, client):
    obj = _complaint(desk)
    services.request_classify(request=obj, acting_user=desk.operator, kind="complaint", category=None)
    created = obj.events.get(kind=EventKind.CREATED)
    classified = obj.events.get(kind=EventKind.CLASSIFIED)
    assert (created.note, classified.note) == ("网站", "投诉")  # stored in the source language
    with translation.override("en"):
        assert (created.shown_note, classified.shown_note) == ("Website", "Complaint")
    with translation.override("zh-hans"):
        assert created.shown_note == "网站"

    client.force_login(desk.citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/my/requests/{obj.number}/").content.decode()
    assert "Website" in page and "网站" not in page


def test_a_rating_invitation_names_what_was_served_in_the_readers_language(desk):
    hall = HallFactory(name="龙湖区政务服务中心")
    invitation = evaluation_invite(
        subject="window",
        label="龙湖区政务服务中心 窗口服务 A012",
        service_mode="on_site",
        ticket_id=90412,
        person=desk.citizen,
        hall=hall,
        notify=False,
    )
    invitation = EvaluationInvitation.objects.get(pk=invitation.pk)
    with translation.override("en"):
        assert invitation.shown_label == "龙湖区政务服务中心 Window service A012"
    assert invitation.shown_label == "龙湖区政务服务中心 窗口服务 A012"


def test_attribute_errors_list_their_choices_with_the_languages_separator(desk):
    category = RequestCategory.objects.create(code="noise-en", name="噪音扰民", requires_location=False)
    attribute = CategoryAttribute.objects.create(
        category=category,
        code="WHEN",
        datatype="singlevaluelist",
        is_required=True,
        description="发生时段",
        values=[{"key": "day", "name": "白天"}, {"key": "night", "name": "夜间"}],
    )
    with translation.override("en"):
        _answers, errors = check([attribute], {"WHEN": "noon"})
        assert errors["WHEN"] == ["Invalid option: noon; allowed: day, night"]
        with pytest.raises(RequestInvalid) as refused:
            services.request_create(
                acting_user=desk.citizen,
                kind="complaint",
                title="夜间施工",
                content="工地每晚施工到凌晨，噪音很大。",
                category=category,
                attributes={"WHEN": "noon"},
            )
    assert "、" not in refused.value.message and "；" not in refused.value.message
    with translation.override("zh-hans"):
        _answers, errors = check([attribute], {"WHEN": "noon"})
        assert errors["WHEN"] == ["无效的选项：noon；可选：day、night"]
