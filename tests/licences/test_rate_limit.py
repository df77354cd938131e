"""Public verification is rate-limited per client address (LICENCE_VERIFY_RATE), on the pages and the API."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "licence_verify": "3/min",
        },
    }
    cache.clear()
    yield
    cache.clear()


def test_verify_page_answers_429_after_the_limit_and_other_clients_go_on(client):
    url = reverse("licences:verify", args=["1.2.156.3005.2." + "0" * 24])
    statuses = [client.get(url, REMOTE_ADDR="10.0.0.1").status_code for _ in range(4)]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    assert "过于频繁" in client.get(url, REMOTE_ADDR="10.0.0.1").content.decode()
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code != 429


def test_forged_forwarded_for_does_not_reset_the_count(client, settings):
    settings.TRUST_X_FORWARDED_FOR = False
    url = reverse("licences:verify", args=["1.2.156.3005.2." + "0" * 24])
    for i in range(3):
        client.get(url, REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert client.get(url, REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_verify_form_counts_posts_only(client):
    url = reverse("licences:verify_form")
    for _ in range(5):
        assert client.get(url, REMOTE_ADDR="10.0.0.4").status_code == 200
    for _ in range(3):
        assert client.post(url, {"identifier": "x"}, REMOTE_ADDR="10.0.0.4").status_code == 200
    assert client.post(url, {"identifier": "x"}, REMOTE_ADDR="10.0.0.4").status_code == 429


def test_verify_api_throttled_with_the_error_format():
    api = APIClient(REMOTE_ADDR="10.0.0.5")
    url = "/api/v1/licences/verify/"
    for _ in range(3):
        assert api.post(url, {"identifier": "x"}, format="json").status_code != 429
    response = api.post(url, {"identifier": "x"}, format="json")
    assert response.status_code == 429
    assert "code" in response.json() and "detail" in response.json()
