"""Pluggable SMS senders. Production plugs in a gateway; development logs (masked); tests keep messages in memory."""

from __future__ import annotations

import abc
import logging
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from bianmin.core.masking import mask_mobile

logger = logging.getLogger("bianmin.sms")


class SmsSender(abc.ABC):
    @abc.abstractmethod
    def send(self, *, mobile: str, text: str) -> None:
        """Deliver one text message to one mobile number."""


class LoggingSmsSender(SmsSender):
    """Development: writes the message to the log. The code is shown so a developer can register."""

    def send(self, *, mobile: str, text: str) -> None:
        logger.warning("SMS to %s: %s", mask_mobile(mobile), text)


class MemorySmsSender(SmsSender):
    outbox: list[dict[str, str]] = []

    def send(self, *, mobile: str, text: str) -> None:
        MemorySmsSender.outbox.append({"mobile": mobile, "text": text})


@lru_cache(maxsize=1)
def _sender_class(path: str):
    return import_string(path)


def get_sms_sender() -> SmsSender:
    return _sender_class(settings.SMS_SENDER)()
