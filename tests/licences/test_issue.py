import json

import pytest

from bianmin.audit.models import AuditEntry
from bianmin.cases import registries
from bianmin.core.crypto import sm3_hex
from bianmin.licences import identifiers
from bianmin.licences.constants import LicenceSource, LicenceStatus
from bianmin.licences.models import Licence
from bianmin.licences.verification import verify_identifier
from tests.cases import helpers as case_helpers

pytestmark = pytest.mark.django_db


def test_approved_case_issues_signed_licence_through_the_spine(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_helpers.concluded(world)
    licence = Licence.objects.get(case=case)
    assert licence.source == LicenceSource.CASE and licence.status == LicenceStatus.VALID
    assert licence.holder_name == "张三" and licence.holder_code == world.citizen.id_card_no
    assert licence.holder_code_type == "id_card"
    assert licence.data == {"shop_name": "张三小吃店", "business_scope": "预包装食品（含冷藏冷冻食品）销售"}
    parsed = identifiers.parse(licence.identifier)
    assert parsed.type_code == world.licence_type.code and parsed.issuer_code == world.lead.uscc
    assert parsed.serial == licence.serial and parsed.serial.startswith("20260302")
    assert licence.valid_until.isoformat() == "2031-03-01"
    data = json.loads(licence.canonical_json)
    assert data["case_number"] == case.number and data["identifier"] == licence.identifier
    assert licence.canonical_json == json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    pdf = licence.pdf.open("rb").read()
    assert pdf.startswith(b"%PDF") and sm3_hex(pdf) == licence.pdf_sm3
    assert verify_identifier(licence.identifier).outcome == "valid"
    # the case's electronic delivery points at it
    results = registries.case_results(case)
    assert [r.ref for r in results] == [licence.identifier]
    assert results[0].url.endswith(f"/licences/verify/{licence.identifier}/")
    assert AuditEntry.objects.filter(action="licences.issue_case").count() == 1


def test_denied_case_issues_nothing_and_issue_is_idempotent(world, django_capture_on_commit_callbacks):
    from bianmin.cases import services as case_services
    from bianmin.licences.services import licence_issue_for_case

    case = case_helpers.in_review(world)
    for task in case.tasks.all():
        case_services.case_review(case=case, acting_user=world.reviewer, task=task, opinion="不符合。")
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_conclude(
            case=case, acting_user=world.head, decision="denied", reasons="场所不符合要求。"
        )
    assert not Licence.objects.filter(case=case).exists()

    with django_capture_on_commit_callbacks(execute=True):
        approved = case_helpers.concluded(world)
    assert licence_issue_for_case(case=approved, licence_type=world.licence_type) is None
    assert Licence.objects.filter(case=approved).count() == 1


def test_item_without_licence_type_issues_nothing(world, django_capture_on_commit_callbacks):
    world.licence_type.items.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_helpers.concluded(world)
    assert not Licence.objects.filter(case=case).exists()


def test_serials_are_consecutive_per_issuer_and_day(world):
    from tests.licences.helpers import issue

    first, second = issue(world), issue(world, holder=world.other_citizen)
    assert int(second.serial) == int(first.serial) + 1
    assert first.licence_no == f"JY3440507{first.serial}"
