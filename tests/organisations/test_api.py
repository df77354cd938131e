import pytest
from rest_framework.test import APIClient

from bianmin.organisations import seed
from bianmin.organisations.models import Hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    seed.seed(today=None)


@pytest.fixture
def api():
    return APIClient()


def test_regions_public_list_and_filters(api, district, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/regions/", {"level": "street", "page_size": 50})
    assert response.status_code == 200
    assert response.data["count"] == 7
    assert {r["parent_code"] for r in response.data["results"]} == {"440507000000"}
    response = api.get("/api/v1/regions/", {"parent": "440507001000"})
    assert {r["name"] for r in response.data["results"]} == {"金涛社区", "金霞社区"}
    response = api.get("/api/v1/regions/", {"within": "440507000000", "page_size": 100})
    assert response.data["count"] == 1 + 7 + 14
    response = api.get("/api/v1/regions/440507101000/")
    assert response.data["name"] == "新溪街道" and response.data["short_code"] == "440507101"
    assert api.get("/api/v1/regions/999999999999/").status_code == 404


def test_departments_list_filters_and_detail(api, district, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/departments/", {"page_size": 100})
    assert response.status_code == 200 and response.data["count"] == 35
    response = api.get("/api/v1/departments/", {"q": "市场监督"})
    assert [d["short_name"] for d in response.data["results"]] == ["区市监局"]
    response = api.get("/api/v1/departments/", {"kind": "street_office"})
    assert response.data["count"] == 7
    response = api.get("/api/v1/departments/", {"region": "440507003000"})
    assert [d["short_name"] for d in response.data["results"]] == ["鸥汀街道办"]
    detail = api.get("/api/v1/departments/0003/")
    assert detail.data["name"] == "汕头市龙湖区市场监督管理局" and len(detail.data["uscc"]) == 18
    assert api.get("/api/v1/departments/9999/").status_code == 404
    assert api.get("/api/v1/departments/", {"kind": "nonsense"}).status_code == 400


def test_halls_list_and_detail_with_windows(api, district, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/halls/", {"page_size": 100})
    assert response.status_code == 200 and response.data["count"] == Hall.objects.count()
    response = api.get("/api/v1/halls/", {"kind": "street_hall"})
    assert response.data["count"] == 7
    response = api.get("/api/v1/halls/", {"region": "440507001000"})
    assert {h["name"] for h in response.data["results"]} == {
        "金霞街道政务服务中心",
        "金涛社区党群服务中心便民服务站",
    }
    response = api.get("/api/v1/halls/", {"department": "0010"})  # 公安分局: special window at the centre
    assert [h["name"] for h in response.data["results"]] == ["龙湖区政务服务中心"]
    centre = Hall.objects.get(name="龙湖区政务服务中心")
    with django_assert_max_num_queries(4):
        detail = api.get(f"/api/v1/halls/{centre.pk}/")
    assert detail.status_code == 200
    numbers = [w["number"] for w in detail.data["windows"]]
    assert "01" in numbers and "20" in numbers
    special = next(w for w in detail.data["windows"] if w["number"] == "20")
    assert special["kind"] == "special" and special["departments"][0]["short_code"] == "0010"
    assert detail.data["latitude"].startswith("23.")


def test_query_count_does_not_grow_with_rows(api, district, django_assert_max_num_queries):
    from tests.factories import HallFactory

    HallFactory.create_batch(15)
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/halls/", {"page_size": 100})
    assert response.data["count"] == Hall.objects.count()


def test_inactive_hall_hidden(api, district):
    hall = Hall.objects.get(name="新溪街道政务服务中心")
    Hall.objects.filter(pk=hall.pk).update(is_active=False)
    assert api.get(f"/api/v1/halls/{hall.pk}/").status_code == 404
    names = [h["name"] for h in api.get("/api/v1/halls/", {"page_size": 100}).data["results"]]
    assert hall.name not in names


def test_halls_near_a_point_sorted_by_distance(api, district, django_assert_max_num_queries):
    # a point beside the 外砂 street hall (23.4304, 116.7609)
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/halls/", {"near": "23.4300,116.7600", "page_size": 100})
    assert response.status_code == 200
    rows = response.data["results"]
    assert rows[0]["name"] == "外砂街道政务服务中心"
    distances = [row["distance_km"] for row in rows]
    assert distances == sorted(distances) and distances[0] < 0.2
    assert api.get("/api/v1/halls/", {"near": "north"}).status_code == 400
    assert api.get("/api/v1/halls/").data["results"][0]["distance_km"] is None
