"""The demo seed is idempotent; the OpenAPI schema is served and valid; Swagger UI loads from local files."""

from __future__ import annotations

import io
import re

import pytest
import time_machine
import yaml
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

FIXED_NOW = "2026-11-18 10:00:00 +08:00"  # a Wednesday, a working day


def bianmin_row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for config in apps.get_app_configs()
        if config.name.startswith("bianmin.")
        for model in config.get_models()
    }


@pytest.mark.django_db
def test_seed_demo_twice_leaves_every_row_count_unchanged():
    with time_machine.travel(FIXED_NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        first = bianmin_row_counts()
        call_command("seed_demo", stdout=io.StringIO())
        second = bianmin_row_counts()

    assert sum(first.values()) > 0
    changed = {label: (first[label], second[label]) for label in first if first[label] != second[label]}
    assert changed == {}


@pytest.mark.django_db
def test_openapi_schema_is_served_and_valid(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/ping/" in schema["paths"] or any(p.startswith("/api/v1/") for p in schema["paths"])


@pytest.mark.django_db
def test_swagger_ui_renders_from_local_files_only(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert urls, html
    external = [u for u in urls if re.match(r"^(https?:)?//", u)]
    assert external == []
    assert "cdn" not in html.lower()
    # The split view loads its initialiser from a URL instead of an inline script (CSP forbids inline).
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html)
    for url in urls:
        assert url.startswith("/"), url
    script = next(u for u in urls if "swagger-ui" in u and u.endswith(".js"))
    assert finders.find(script.removeprefix(settings.STATIC_URL).split("?")[0]), script  # shipped locally
