"""The demo catalog: realistic, valid, published through the services, idempotent."""

from __future__ import annotations

import pytest

from bianmin.audit.models import AuditEntry
from bianmin.catalog import services
from bianmin.catalog.constants import CertificateState, LimitUnit, VersionState
from bianmin.catalog.models import Certificate, Material, ServiceItem
from bianmin.catalog.seed import seed
from bianmin.core.validators import implementation_code_problems
from tests.catalog.demo_catalog import TODAY, load_demo_catalog


@pytest.mark.django_db
def test_demo_catalog_is_realistic_valid_audited_and_idempotent():
    """One seeded run checked from every side (seeding through the services takes seconds)."""
    load_demo_catalog()
    demo = ServiceItem.objects.select_related("current_version", "department")
    check_items_and_types(demo)
    check_codes(demo)
    check_limits(demo)
    check_four_ban_mix(demo)
    check_structure(demo)
    check_certificates()
    check_audit(demo)
    check_second_run_changes_nothing()


def check_items_and_types(demo):
    published = demo.filter(current_version__state=VersionState.PUBLISHED)
    assert published.count() >= 40
    types = set(published.values_list("current_version__item_type", flat=True))
    assert {"01", "05", "07", "08", "09", "10", "20"} <= types
    assert published.values("department").distinct().count() >= 12


def check_codes(demo):
    for item in demo:
        assert item.codes_valid, item.code
        assert (
            implementation_code_problems(
                item.implementation_code, catalog_code=item.catalog_code, uscc=item.department.uscc
            )
            == []
        )
        assert item.implementation_code[18] == item.current_version.exercise_level
    assert demo.filter(current_version__exercise_level="5").exists()
    assert demo.exclude(handle_item_code="").exists()


def check_limits(demo):
    compressed = 0
    for item in demo:
        v = item.current_version
        assert not services.limit_problems({f: getattr(v, f) for f in services.VERSION_SCALAR_FIELDS})
        if v.statutory_limit_unit == v.promised_limit_unit == LimitUnit.WORKING_DAY and v.statutory_limit:
            compressed += v.promised_limit < v.statutory_limit
    assert compressed >= 25


def check_four_ban_mix(demo):
    versions = [i.current_version for i in demo]
    for flag in ("is_instant", "is_online", "is_one_visit"):
        assert {getattr(v, flag) for v in versions} == {True, False}, flag
    assert {i.is_nearby for i in demo} == {True, False}
    assert not all(v.is_free for v in versions)
    assert sum(v.is_investment_project for v in versions) >= 5


def check_structure(demo):
    food = demo.get(current_version__name="食品经营许可")
    subs = {s.current_version.name for s in food.sub_items.all()}
    assert subs >= {"食品经营许可（新办）", "食品经营许可（注销）"}
    permit = demo.get(current_version__name="建筑工程施工许可证核发")
    assert permit.current_version.partner_departments.filter(name__contains="人民防空").exists()
    assert permit.current_version.is_investment_project
    published_materials = Material.objects.filter(version__state="published")
    assert published_materials.filter(necessity="3").count() >= 10
    assert published_materials.exclude(blank_form="").count() >= 20
    assert published_materials.exclude(sample="").count() >= 5
    versions = [i.current_version for i in demo]
    assert all(v.form_fields.exists() for v in versions)
    assert all(v.legal_bases for v in versions if v.item_type != "20")


def check_certificates():
    certificates = Certificate.objects.filter(state=CertificateState.PUBLISHED)
    assert certificates.count() >= 5
    assert certificates.filter(commitment_allowed=True).exists()
    assert certificates.filter(commitment_allowed=False).exists()
    assert Material.objects.filter(certificate__isnull=False, version__state="published").count() >= 5


def check_audit(demo):
    assert AuditEntry.objects.filter(action="catalog.version_publish").count() == demo.count()
    assert AuditEntry.objects.filter(action="catalog.certificate_publish").count() >= 5


def check_second_run_changes_nothing():
    before = (ServiceItem.objects.count(), Certificate.objects.count(), AuditEntry.objects.count())
    summary = seed(today=TODAY)
    assert summary.startswith("0 certificates and 0 items created")
    assert (ServiceItem.objects.count(), Certificate.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_without_an_administrator_the_seed_does_nothing():
    assert seed(today=TODAY).startswith("skipped")
    assert not ServiceItem.objects.exists()


def test_seed_restores_themes_a_flushed_database_lost(db):
    from bianmin.catalog.models import Theme
    from bianmin.catalog.seed import seed_themes

    Theme.objects.all().delete()
    seed_themes()
    assert Theme.objects.filter(code="operating_permits").exists()
    count = Theme.objects.count()
    seed_themes()
    assert Theme.objects.count() == count
