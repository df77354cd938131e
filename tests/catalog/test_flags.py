"""The four 办 derivations (design.md §4), on versions, items, filters and the hall-data registry."""

import pytest

from bianmin.catalog import flags, services
from bianmin.catalog.models import ServiceItem
from bianmin.catalog.selectors import published_item_list
from tests.catalog.helpers import make_published_item


@pytest.mark.parametrize(
    "depth, expected",
    [([], False), (["1", "2", "3"], False), (["4"], True), (["1", "5"], True), (["6", "7"], False)],
)
def test_online_means_depth_4_or_5(depth, expected):
    assert flags.is_online(depth) is expected


@pytest.mark.parametrize("visits, expected", [(0, True), (1, True), (2, False), (None, False)])
def test_one_visit_means_at_most_one_visit(visits, expected):
    assert flags.is_one_visit(visits) is expected


def test_instant_means_instant_kind():
    assert flags.is_instant("1") and not flags.is_instant("2")


@pytest.mark.parametrize(
    "scope, local, expected",
    [
        ("1", False, True),
        ("4", False, True),
        ("5", False, False),
        ("6", False, False),
        ("", False, False),
        ("5", True, True),
    ],
)
def test_nearby_is_district_scope_or_local_hall(scope, local, expected):
    assert flags.is_nearby(scope, taken_at_local_hall=local) is expected


@pytest.mark.django_db
def test_versions_store_the_flags_and_filters_agree_with_badges():
    instant = make_published_item(
        handle_kind="1", promised_limit=0, online_depth=["1"], visits_required=2, universal_scope="5"
    )
    online = make_published_item(online_depth=["4", "5"], visits_required=0, universal_scope="3")
    plain = make_published_item(online_depth=["1", "2"], visits_required=2, universal_scope="5")
    assert flags.item_flags(instant) == {
        "instant": True,
        "online": False,
        "nearby": False,
        "one_visit": False,
    }
    assert flags.item_flags(online) == {"instant": False, "online": True, "nearby": True, "one_visit": True}
    assert flags.item_flags(plain) == {"instant": False, "online": False, "nearby": False, "one_visit": False}
    for flag in ("instant", "online", "nearby", "one_visit"):
        listed = set(published_item_list(filters={flag: "1"}).values_list("pk", flat=True))
        expected = {i.pk for i in (instant, online, plain) if flags.item_flags(i)[flag]}
        assert listed == expected, flag
    assert ServiceItem.objects.get(pk=online.pk).is_nearby is True


@pytest.mark.django_db
def test_nearby_provider_makes_an_item_taken_at_a_street_hall_nearby():
    item = make_published_item(universal_scope="5")
    assert flags.item_flags(item)["nearby"] is False

    def provider(item_ids):
        return {item.pk}

    flags.register_nearby_provider(provider)
    try:
        assert services.item_refresh_nearby(item_ids=[item.pk]) == 1
        item.refresh_from_db()
        assert item.is_taken_at_local_hall and item.is_nearby and flags.item_flags(item)["nearby"]
        assert list(published_item_list(filters={"nearby": "1"})) == [item]
    finally:
        flags.unregister_nearby_provider(provider)
    services.item_refresh_nearby(item_ids=[item.pk])
    item.refresh_from_db()
    assert item.is_nearby is False


@pytest.mark.django_db
def test_version_queries_and_versions_in_force_for_kpis_as_of_a_date():
    import datetime as dt

    import time_machine

    from bianmin.catalog.models import ItemVersion
    from bianmin.catalog.selectors import versions_in_force
    from tests.catalog.helpers import admin_user, editor_for

    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        item = make_published_item(online_depth=["1"], universal_scope="5")
    v1 = item.current_version
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        editor = editor_for(item.department)
        v2 = services.version_create_draft(item=item, acting_user=editor)
        services.version_update(version=v2, acting_user=editor, data={"online_depth": ["4"]})
        services.version_submit_for_review(version=v2, acting_user=editor)
        services.version_publish(version=v2, acting_user=admin_user())
    assert list(versions_in_force(on=dt.date(2026, 2, 1))) == []
    assert [v.pk for v in versions_in_force(on=dt.date(2026, 4, 1))] == [v1.pk]
    assert [v.pk for v in versions_in_force(on=dt.date(2026, 7, 1))] == [v2.pk]
    online = ItemVersion.objects.filter(flags.version_flag_q("online"))
    assert set(online.values_list("pk", flat=True)) == {v2.pk}
    assert not ItemVersion.objects.filter(flags.version_flag_q("nearby")).exists()
    with pytest.raises(ValueError):
        flags.version_flag_q("fast")
