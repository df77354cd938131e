"""Organisation messages that list several things use the active language's separators."""

import pytest
from django.utils import translation

from bianmin.organisations import services
from bianmin.organisations.api.serializers import WindowUpdateInputSerializer
from bianmin.organisations.exceptions import OrganisationInvalid
from tests.factories import RegionFactory, StaffFactory, make_uscc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "部门简码不存在：Q01、Q02"), ("en", "Department short code not found: Q01, Q02")],
)
def test_unknown_window_department_codes_are_listed_in_the_active_language(language, expected):
    with translation.override(language):
        data = WindowUpdateInputSerializer(data={"departments": ["Q01", "Q02", "Q01"]})
        assert not data.is_valid()
        assert [str(m) for m in data.errors["departments"]] == [expected]


def _invalid_department(admin):
    good = make_uscc(3, prefix="11440507TT")
    with pytest.raises(OrganisationInvalid) as exc:
        services.department_create(
            acting_user=admin,
            name="两处错误局",
            short_name="错",
            uscc=good[:-1] + ("0" if good[-1] != "0" else "1"),
            short_code="70031",  # longer than 4
            region=RegionFactory(),
        )
    return exc.value


@pytest.mark.parametrize(("language", "separator", "other"), [("zh-hans", "；", "; "), ("en", "; ", "；")])
def test_several_validation_problems_are_joined_in_the_active_language(language, separator, other):
    admin = StaffFactory(platform_admin=True)
    with translation.override(language):
        error = _invalid_department(admin)
    assert set(error.fields) >= {"uscc", "short_code"}
    message = str(error.message)
    assert message.count(separator) == sum(len(v) for v in error.fields.values()) - 1
    assert other not in message
