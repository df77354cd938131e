"""Writing messages and telling people: the in-app message centre plus the pluggable SMS and email senders.

`notify()` is the one entry point the other apps call. It schedules its work with
`transaction.on_commit`, so nothing is written or sent for an action that is rolled back, and a
failing gateway never undoes the step it reports (errors are logged). Periodic tasks, which are
no part of any user's action, pass `immediately=True`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.audit.services import audit_record
from bianmin.core.exceptions import PermissionDenied
from bianmin.notifications.constants import SMS_PREFIX, Category
from bianmin.notifications.exceptions import MessageInvalid, MessageNotFound
from bianmin.notifications.models import Message, NotificationPreference
from bianmin.notifications.senders import get_sms_sender

logger = logging.getLogger(__name__)

TITLE_MAX = Message._meta.get_field("title").max_length
LINK_MAX = Message._meta.get_field("link").max_length


def _clean(category: str, title: str, link: str) -> tuple[str, str, str]:
    if category not in Category.values:  # a programming error of the calling app, not a user's
        raise ValueError(f"unknown message category {category!r}")
    title = str(title).strip()
    if not title:
        raise ValueError("a message needs a title")
    return category, title[:TITLE_MAX], (link or "")[:LINK_MAX]


def message_send(
    *,
    recipient,
    category: str,
    title: str,
    body: str = "",
    link: str = "",
    target_kind: str = "",
    target_ref: str = "",
) -> Message:
    """Write one in-app message now (inside the caller's transaction)."""
    category, title, link = _clean(category, title, link)
    message = _message(recipient, category, title, body, link, target_kind, target_ref)
    message.save(force_insert=True)
    return message


def _message(recipient, category, title, body, link, target_kind, target_ref) -> Message:
    return Message(
        recipient=recipient,
        category=category,
        title=title,
        body=str(body),
        link=link,
        target_kind=target_kind[:32],
        target_ref=str(target_ref)[:64],
    )


def message_send_many(
    *,
    recipients: Iterable,
    category: str,
    title: str,
    body: str = "",
    link: str = "",
    target_kind: str = "",
    target_ref: str = "",
    sent_at: dt.datetime | None = None,
) -> list[Message]:
    """The same message to several users in one INSERT (staff broadcasts); each user once."""
    category, title, link = _clean(category, title, link)
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(_message(user, category, title, body, link, target_kind, target_ref))
        if sent_at is not None:
            rows[-1].created_at = sent_at
    return Message.objects.bulk_create(rows)


def message_mark_read(*, message: Message | int, acting_user) -> Message:
    """Mark one of the user's own messages read (idempotent: the first reading time stays)."""
    pk = getattr(message, "pk", message)
    row = Message.objects.filter(pk=pk, recipient_id=getattr(acting_user, "pk", None)).first()
    if row is None:
        raise MessageNotFound()
    if row.read_at is None:
        now = timezone.now()
        Message.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=now)
        row.read_at = now
    return row


def message_mark_all_read(*, acting_user, category: str | None = None) -> int:
    """Mark all the user's unread messages (of one category, if given) read. Returns how many."""
    qs = Message.objects.filter(recipient_id=acting_user.pk, read_at__isnull=True)
    if category:
        if category not in Category.values:
            raise MessageInvalid(_("无效的消息类别。"), fields={"category": [_("无效的消息类别。")]})
        qs = qs.filter(category=category)
    return qs.update(read_at=timezone.now())


# ------------------------------------------------------------------------------------------------
# Preferences: SMS and email besides the message centre
# ------------------------------------------------------------------------------------------------


def email_available() -> bool:
    """Whether this deployment mails notices at all (settings.NOTIFICATIONS_EMAIL, off by default)."""
    return bool(getattr(settings, "NOTIFICATIONS_EMAIL", False))


@transaction.atomic
def preference_update(
    *, acting_user, sms_enabled: bool | None = None, email_enabled: bool | None = None
) -> NotificationPreference:
    """Save the signed-in person's own choices (None leaves a choice as it is); audited when it changes."""
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=acting_user)
    changes = {}
    for name, value in (("sms_enabled", sms_enabled), ("email_enabled", email_enabled)):
        if value is not None and getattr(preference, name) != bool(value):
            changes[name] = [getattr(preference, name), bool(value)]
            setattr(preference, name, bool(value))
    if changes:
        preference.save(update_fields=[*changes, "updated_at"])
        audit_record(
            actor=acting_user,
            action="notification_preference.update",
            target=preference,
            changes=changes,
            role=getattr(acting_user, "kind", ""),
        )
    return preference


def _opted_out(user_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """(ids who declined SMS, ids who declined email) among `user_ids`: one query; no row = defaults."""
    ids = [pk for pk in user_ids if pk is not None]
    if not ids:
        return set(), set()
    no_sms: set[int] = set()
    no_email: set[int] = set()
    for user_id, sms, email in NotificationPreference.objects.filter(user_id__in=ids).values_list(
        "user_id", "sms_enabled", "email_enabled"
    ):
        if not sms:
            no_sms.add(user_id)
        if not email:
            no_email.add(user_id)
    return no_sms, no_email


# ------------------------------------------------------------------------------------------------
# The notify entry point
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """What one notify() call delivers, resolved to plain values before the commit."""

    user_ids: tuple[int, ...]
    category: str
    title: str
    body: str
    link: str
    target_kind: str
    target_ref: str
    sms_text: str | None
    # (number, ids of the people it belongs to): their NotificationPreference decides, read at delivery;
    # no ids (a phone caller without an account) = always sent
    mobiles: tuple[tuple[str, tuple[int, ...]], ...] = field(default=())
    email: bool = False
    sent_at: dt.datetime | None = None
    mandatory: bool = False


def notify(
    *,
    user=None,
    users: Iterable | None = None,
    category: str,
    title: str,
    body: str = "",
    link: str = "",
    target_kind: str = "",
    target_ref: str = "",
    sms_text: str | None = None,
    mobile: str | None = None,
    email: bool = False,
    immediately: bool = False,
    sent_at: dt.datetime | None = None,
    mandatory: bool = False,
) -> None:
    """Tell `user` (or each of `users`): an in-app message, plus an SMS when `sms_text` is given.

    The SMS goes to `mobile` when given (the number the person left on a case or a request),
    otherwise to each user's own mobile; with no user at all (a phone caller without an account)
    only the SMS is sent. `email=True` also mails users who have an address through Django's email
    backend, when the deployment turns mail on (settings.NOTIFICATIONS_EMAIL, off by default).
    Inactive users get nothing in-app. Scheduled on commit unless `immediately`. `sent_at` dates the
    in-app message at the step it reports (historical imports, demo data); default now.

    Each person's NotificationPreference is honoured, as it stands at delivery (after the commit, so
    the calling request pays no query for it): who declined SMS gets none (nor does the number given
    for them in `mobile`), who declined email gets none. `mandatory=True` marks a notice the law
    requires to reach the person (a case's 受理、不予受理、补正、决定、送达 …): it goes by SMS regardless.
    The message centre always gets every message.
    """
    people = [u for u in ([user] if user is not None else []) + list(users or []) if u is not None]
    category, title, link = _clean(category, title, link)
    mobiles: dict[str, tuple[int, ...]] = {}
    if sms_text:
        if mobile:
            # the number left on a case or a request is that person's: their choice covers it
            mobiles[mobile] = tuple(u.pk for u in people)
        elif mobile is None:
            for u in people:
                if getattr(u, "mobile", "") and u.is_active:
                    mobiles[u.mobile] = (*mobiles.get(u.mobile, ()), u.pk)
    notice = Notice(
        user_ids=tuple(dict.fromkeys(u.pk for u in people if u.is_active)),
        category=category,
        title=title,
        body=str(body),
        link=link,
        target_kind=target_kind,
        target_ref=str(target_ref),
        sms_text=str(sms_text) if sms_text else None,
        mobiles=tuple(mobiles.items()),
        email=email,
        sent_at=sent_at,
        mandatory=mandatory,
    )
    if immediately:
        deliver(notice)
    else:
        transaction.on_commit(lambda: deliver(notice))


def deliver(notice: Notice) -> None:
    """Write the messages, then send SMS and email; each channel fails on its own, logged."""
    from bianmin.accounts.models import User

    recipients = list(User.objects.filter(pk__in=notice.user_ids, is_active=True)) if notice.user_ids else []
    if recipients:
        try:
            with transaction.atomic():
                message_send_many(
                    recipients=recipients,
                    category=notice.category,
                    title=notice.title,
                    body=notice.body,
                    link=notice.link,
                    target_kind=notice.target_kind,
                    target_ref=notice.target_ref,
                    sent_at=notice.sent_at,
                )
        except Exception:  # the step it reports has committed; a lost message must not raise there
            logger.exception("in-app message not written")
    mail_on = notice.email and email_available()  # opt-in per deployment, then per person
    owners = {pk for _number, ids in notice.mobiles for pk in ids} if notice.sms_text else set()
    no_sms, no_email = _opted_out(owners | ({p.pk for p in recipients} if mail_on else set()))
    if notice.sms_text and notice.mobiles:
        text = str(SMS_PREFIX) + notice.sms_text
        for number, ids in notice.mobiles:
            if not notice.mandatory and ids and all(pk in no_sms for pk in ids):
                continue  # declined; a legally required notice goes all the same
            try:
                get_sms_sender().send(mobile=number, text=text)
            except Exception:
                logger.exception("SMS not sent")
    if mail_on:
        base = settings.PUBLIC_BASE_URL.rstrip("/")
        for person in recipients:
            if not person.email or person.pk in no_email:  # email follows the choice, mandatory or not
                continue
            text = notice.body + (f"\n\n{base}{notice.link}" if notice.link else "")
            try:
                send_mail(
                    subject=notice.title,
                    message=text,
                    from_email=None,
                    recipient_list=[person.email],
                    fail_silently=False,
                )
            except Exception:
                logger.exception("email not sent")
