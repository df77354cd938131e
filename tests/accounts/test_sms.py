import logging

import pytest
from django.test import override_settings

from bianmin.notifications import senders
from bianmin.notifications.senders import LoggingSmsSender, MemorySmsSender, get_sms_sender


def test_sender_is_pluggable():
    assert isinstance(get_sms_sender(), MemorySmsSender)
    with override_settings(SMS_SENDER="bianmin.notifications.senders.LoggingSmsSender"):
        assert isinstance(get_sms_sender(), LoggingSmsSender)


def test_logging_sender_masks_the_number(caplog):
    with caplog.at_level(logging.WARNING, logger="bianmin.sms"):
        LoggingSmsSender().send(mobile="13812345678", text="验证码 123456")
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text


@pytest.mark.django_db
def test_otp_goes_through_configured_sender(monkeypatch):
    from bianmin.accounts import services

    sent = []

    class Gateway(senders.SmsSender):
        def send(self, *, mobile, text):
            sent.append((mobile, text))

    monkeypatch.setattr(services, "get_sms_sender", lambda: Gateway())
    services.otp_send(mobile="13812345678", purpose="register")
    assert sent[0][0] == "13812345678" and "5分钟内有效" in sent[0][1]
