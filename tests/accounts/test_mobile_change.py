import pytest

from bianmin.accounts import services
from bianmin.accounts.exceptions import AccountInvalid
from bianmin.audit.models import AuditEntry
from bianmin.core.crypto import pii_hash
from tests.factories import FACTORY_PASSWORD, CitizenFactory

pytestmark = pytest.mark.django_db

NEW = "13944445555"


def test_change_mobile_page(client, last_code):
    user = CitizenFactory()
    old = user.mobile
    client.force_login(user)
    client.post("/accounts/profile/mobile/", {"mobile": NEW, "action": "send_code"})
    code = last_code(NEW)
    wrong_password = client.post(
        "/accounts/profile/mobile/", {"mobile": NEW, "code": code, "password": "nope", "action": "change"}
    )
    assert wrong_password.status_code == 200 and "当前密码不正确" in wrong_password.content.decode()
    response = client.post(
        "/accounts/profile/mobile/",
        {"mobile": NEW, "code": code, "password": FACTORY_PASSWORD, "action": "change"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.mobile == NEW and user.mobile_hash == pii_hash(NEW)
    entry = AuditEntry.objects.get(action="user.mobile_change")
    assert old not in str(entry.changes) and NEW not in str(entry.changes)


def test_cannot_take_another_persons_number():
    other = CitizenFactory()
    user = CitizenFactory()
    with pytest.raises(AccountInvalid):
        services.otp_send(mobile=other.mobile, purpose="change_mobile")
    with pytest.raises(AccountInvalid):
        services.mobile_change(user=user, new_mobile=other.mobile, code="000000", password=FACTORY_PASSWORD)
