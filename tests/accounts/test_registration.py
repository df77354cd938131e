import datetime as dt

import pytest
import time_machine
from django.db import connection

from bianmin.accounts import services
from bianmin.accounts.constants import PRIVACY_NOTICE_VERSION, OtpPurpose, UserKind
from bianmin.accounts.exceptions import (
    AccountInvalid,
    OtpExpired,
    OtpInvalid,
    OtpRateLimited,
    OtpTooManyAttempts,
)
from bianmin.accounts.models import OneTimeCode, User
from bianmin.audit.models import AuditEntry
from bianmin.core.crypto import pii_hash
from bianmin.notifications.senders import MemorySmsSender
from tests.factories import CitizenFactory, make_id_card

pytestmark = pytest.mark.django_db

MOBILE = "13712345678"
ID_CARD = make_id_card(4242, born=dt.date(1988, 8, 8))
GOOD_PASSWORD = "Longhu-2026-ok"


def register(code, **overrides):
    data = {
        "full_name": "王小二",
        "id_card_no": ID_CARD,
        "mobile": MOBILE,
        "code": code,
        "password": GOOD_PASSWORD,
        "privacy_accepted": True,
        "privacy_version": PRIVACY_NOTICE_VERSION,
    }
    data.update(overrides)
    return services.citizen_register(**data)


def test_register_success(last_code):
    services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    assert len(MemorySmsSender.outbox) == 1
    user = register(last_code(MOBILE))
    user.refresh_from_db()
    assert user.kind == UserKind.CITIZEN
    assert user.id_card_no == ID_CARD and user.id_card_hash == pii_hash(ID_CARD)
    assert user.mobile == MOBILE and user.mobile_verified_at is not None
    assert user.privacy_version == PRIVACY_NOTICE_VERSION and user.privacy_accepted_at
    assert user.check_password(GOOD_PASSWORD)
    assert AuditEntry.objects.filter(action="user.register", object_id=str(user.pk)).exists()
    # the code is used up
    assert OneTimeCode.objects.get().used_at is not None


def test_code_is_stored_hashed(last_code):
    services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    code = last_code(MOBILE)
    otp = OneTimeCode.objects.get()
    assert code not in otp.code_hash and otp.mobile_hash == pii_hash(MOBILE)


def test_bad_id_check_digit_refused(last_code):
    services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    bad = ID_CARD[:17] + ("0" if ID_CARD[17] != "0" else "1")
    with pytest.raises(AccountInvalid) as exc:
        register(last_code(MOBILE), id_card_no=bad)
    assert "id_card_no" in exc.value.fields
    assert not User.objects.filter(mobile_hash=pii_hash(MOBILE)).exists()
    # refusal before the code was checked: the code still works
    assert OneTimeCode.objects.get().used_at is None


def test_duplicate_id_refused(last_code):
    CitizenFactory(id_card_no=ID_CARD)
    services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    with pytest.raises(AccountInvalid) as exc:
        register(last_code(MOBILE))
    assert "已注册" in str(exc.value.fields["id_card_no"][0])


def test_register_code_refused_for_registered_mobile():
    CitizenFactory(mobile=MOBILE)
    with pytest.raises(AccountInvalid):
        services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    assert MemorySmsSender.outbox == []


def test_wrong_code_refused_and_counted(last_code):
    services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    code = last_code(MOBILE)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    with pytest.raises(OtpInvalid):
        register(wrong)
    assert OneTimeCode.objects.get().attempts == 1
    assert not User.objects.exists()
    assert register(code).pk  # the right code still works afterwards


def test_expired_code_refused(last_code):
    start = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    code = last_code(MOBILE)
    with (
        time_machine.travel(start + dt.timedelta(minutes=5, seconds=1), tick=False),
        pytest.raises(OtpExpired),
    ):
        register(code)
    assert not User.objects.exists()


def test_too_many_attempts_voids_the_code(last_code):
    services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    code = last_code(MOBILE)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for _ in range(4):
        with pytest.raises(OtpInvalid):
            register(wrong)
    with pytest.raises(OtpTooManyAttempts):
        register(wrong)
    with pytest.raises(OtpTooManyAttempts):
        register(code)  # even the right code is refused now
    assert not User.objects.exists()


def test_privacy_not_accepted_refused(last_code):
    services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    with pytest.raises(AccountInvalid) as exc:
        register(last_code(MOBILE), privacy_accepted=False)
    assert "privacy_accepted" in exc.value.fields
    with pytest.raises(AccountInvalid):
        register(last_code(MOBILE), privacy_version="2019-01")
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["12345678", "password", "short1"])
def test_weak_password_refused(last_code, password):
    services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    with pytest.raises(AccountInvalid) as exc:
        register(last_code(MOBILE), password=password)
    assert "password" in exc.value.fields
    assert not User.objects.exists()


def test_sending_is_rate_limited():
    start = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
        with pytest.raises(OtpRateLimited):
            services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    for minute in range(1, 5):
        with time_machine.travel(start + dt.timedelta(minutes=minute), tick=False):
            services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False), pytest.raises(OtpRateLimited):
        services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    assert len(MemorySmsSender.outbox) == 5
    # only the newest code is live
    assert OneTimeCode.objects.filter(used_at__isnull=True).count() == 1


def test_pii_stored_encrypted(last_code):
    services.otp_send(mobile=MOBILE, purpose=OtpPurpose.REGISTER)
    user = register(last_code(MOBILE))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_card_no, mobile FROM accounts_user WHERE id = %s", [user.pk])
        raw_id, raw_mobile = cursor.fetchone()
    assert ID_CARD not in raw_id and MOBILE not in raw_mobile
    assert raw_id.startswith("sm4g1:") and raw_mobile.startswith("sm4g1:")
    # and the audit log carries no plaintext either
    for entry in AuditEntry.objects.all():
        assert ID_CARD not in str(entry.changes) + entry.object_repr
        assert MOBILE not in str(entry.changes) + entry.object_repr
