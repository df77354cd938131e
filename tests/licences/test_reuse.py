import pytest

from bianmin.cases import registries
from bianmin.cases import services as case_services
from bianmin.cases.exceptions import CaseValidationError
from bianmin.licences import services
from tests.catalog.helpers import make_published_item
from tests.licences.helpers import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def reuse_item(world):
    return make_published_item(
        department=world.lead,
        name="食品经营许可证补办",
        materials=[
            {"name": "食品经营许可证", "necessity": "1", "licence_type_code": world.licence_type.code}
        ],
    )


def _draft(world, item, user=None):
    return case_services.case_save_draft(
        acting_user=user or world.citizen,
        item=item,
        form_data={"shop_name": "张三小吃店", "id_no": world.citizen.id_card_no},
    )


def test_held_licence_is_offered_and_given_instead_of_an_upload(world, reuse_item):
    licence = issue(world)
    issue(world, holder=world.other_citizen)
    case = _draft(world, reuse_item)
    material = reuse_item.current_version.materials.get()
    provider = registries.material_provider("licences")
    offers = provider.offers(case=case, material=material, user=world.citizen)
    assert [o.ref for o in offers] == [licence.identifier]
    assert offers[0].trust_level == "A" and "已验签" in offers[0].label
    given = case_services.case_material_add(
        case=case,
        acting_user=world.citizen,
        material=material,
        licence_provider="licences",
        licence_ref=licence.identifier,
    )
    assert (given.kind, given.trust_level, given.licence_ref, bool(given.file)) == (
        "licence",
        "A",
        licence.identifier,
        False,
    )
    case = case_services.case_submit(case=case, acting_user=world.citizen)
    assert case.state == "submitted"


def test_someone_elses_or_revoked_licence_is_refused(world, reuse_item):
    others = issue(world, holder=world.other_citizen)
    mine = issue(world)
    case = _draft(world, reuse_item)
    material = reuse_item.current_version.materials.get()
    with pytest.raises(CaseValidationError):
        case_services.case_material_add(
            case=case,
            acting_user=world.citizen,
            material=material,
            licence_provider="licences",
            licence_ref=others.identifier,
        )
    services.licence_revoke(licence=mine, acting_user=world.head, kind="cancellation", reason="注销")
    assert (
        registries.material_provider("licences").offers(case=case, material=material, user=world.citizen)
        == []
    )
    with pytest.raises(CaseValidationError):
        case_services.case_material_add(
            case=case,
            acting_user=world.citizen,
            material=material,
            licence_provider="licences",
            licence_ref=mine.identifier,
        )
