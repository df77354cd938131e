import pytest

from tests.cases import helpers

pytestmark = pytest.mark.django_db


def test_concluded(world):
    case = helpers.concluded(world)
    assert case.state == "concluded"
    assert case.number.startswith("44050720260302" + world.lead.short_code)
