"""The in-app message centre (站内消息): one row per message to one user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bianmin.notifications.constants import Category


class Message(models.Model):
    """A notice to one user about something that happened (a case step, an answer, a rating to give)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.SYSTEM)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("相关页面"), max_length=500, blank=True, help_text=_("站内路径，如办件页面。"))
    target_kind = models.CharField(
        _("相关对象类型"), max_length=32, blank=True, help_text=_("如 case、service_request。")
    )
    target_ref = models.CharField(_("相关对象编号"), max_length=64, blank=True)
    # the moment of the step it reports (services.notify's sent_at; now by default): historical imports and
    # the demo data date their messages like their cases
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now, db_index=False)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="message_recipient_recent"),
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                condition=models.Q(read_at__isnull=True),
                name="message_recipient_unread",
            ),
            models.Index(fields=["target_kind", "target_ref"], name="message_target"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notifications:detail", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def safe_link(self) -> str:
        """The link if it is a path on this site (messages never send anyone elsewhere)."""
        link = self.link or ""
        return link if link.startswith("/") and not link.startswith("//") else ""


class NotificationPreference(models.Model):
    """How a person wants to be told besides the message centre (which always gets every message).

    No row means the defaults (SMS on, email on when the deployment mails). The opt-outs cover notices
    a person may decline; a notice the law requires (受理、不予受理、补正、决定、送达 of a case …) still goes
    by SMS: notify(mandatory=True).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    sms_enabled = models.BooleanField(_("接收短信通知"), default=True)
    email_enabled = models.BooleanField(_("接收邮件通知"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self) -> str:
        return str(self.user)
