import pytest

from bianmin.licences.models import Licence
from tests.licences.helpers import issue

pytestmark = pytest.mark.django_db


def test_head_revokes_and_renews_from_the_workbench(world, client, django_assert_max_num_queries):
    licence = issue(world)
    client.force_login(world.head)
    with django_assert_max_num_queries(25):
        page = client.get("/workbench/licences/")
    assert page.status_code == 200 and licence.licence_no in page.content.decode()
    detail = f"/workbench/licences/{licence.identifier}/"
    assert "注销 / 吊销" in client.get(detail).content.decode()
    client.post(detail, {"action": "renew", "reason": "延续申请"})
    renewed = Licence.objects.get(previous=licence)
    assert renewed.version == 2
    client.post(
        f"/workbench/licences/{renewed.identifier}/",
        {"action": "revoke", "kind": "revocation", "reason": "吊销"},
    )
    renewed.refresh_from_db()
    assert renewed.status == "revoked" and renewed.revocation_reason == "吊销"


def test_workbench_refuses_others(world, client):
    licence = issue(world)
    client.force_login(world.reviewer)
    assert client.get("/workbench/licences/").status_code == 403
    client.force_login(world.citizen)
    assert client.get(f"/workbench/licences/{licence.identifier}/").status_code == 403
    from tests.factories import StaffFactory

    client.force_login(StaffFactory(head=True))
    assert client.get(f"/workbench/licences/{licence.identifier}/").status_code == 404
    assert licence.licence_no not in client.get("/workbench/licences/").content.decode()
