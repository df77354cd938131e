"""English mode: lists and clauses in the appointments' messages use the language's separators (", " and "; "),
not the Chinese 、 and ；; Chinese stays as it was."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from bianmin.appointments import services
from bianmin.appointments.exceptions import AppointmentValidationError
from bianmin.appointments.views import _error_text, schedule_text
from tests.catalog.helpers import make_published_item


def _not_at_hall(world):
    return [
        make_published_item(department=world.department, universal_scope="", name=f"某事项{n}")
        for n in (1, 2)
    ]


@pytest.mark.parametrize(("language", "separator"), [("en", ", "), ("zh-hans", "、")])
def test_items_a_hall_does_not_take_are_listed_with_the_languages_separator(world, language, separator):
    items = _not_at_hall(world)
    with translation.override(language), pytest.raises(AppointmentValidationError) as refused:
        services.window_scope_set(window=world.w3, items=items, acting_user=world.manager)
    listed = separator.join(i.code for i in items)
    assert refused.value.fields["items"][0].endswith(listed)
    assert listed in str(refused.value.message)
    if language == "en":
        assert refused.value.fields["items"][0] == f"Not handled by this hall: {listed}"


def test_unknown_codes_in_the_api_are_listed_in_english(world):
    api = APIClient()
    api.force_authenticate(world.manager)
    response = api.post(
        f"/api/v1/halls/{world.centre.pk}/ticket-categories/",
        {"letter": "D", "name": "x", "departments": ["NOPE1", "NOPE2"], "themes": ["T-NO-1", "T-NO-2"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = str(response.json())
    assert "Department short code not found: NOPE1, NOPE2" in body
    assert "Theme code not found: T-NO-1, T-NO-2" in body
    assert "、" not in body


def test_a_refusal_with_field_details_and_the_weekly_schedule_read_as_english_clauses():
    error = AppointmentValidationError(
        "Please check the booking.", fields={"name": ["Name?"], "mobile": ["Mobile?"]}
    )
    days = [(0, "Mon", "09:00-12:00"), (1, "Tue", "09:00-12:00"), (5, "Sat", "09:00-11:00")]
    with translation.override("en"):
        assert _error_text(error) == "Please check the booking. Name?; Mobile?"
        assert "; Sat 09:00-11:00" in schedule_text(days)
    with translation.override("zh-hans"):
        assert _error_text(error) == "Please check the booking. Name?；Mobile?"
        assert "；Sat 09:00-11:00" in schedule_text(days)
