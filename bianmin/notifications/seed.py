"""Demo data of the message centre: the messages come with the other apps' demo steps (notify()); once every
app has seeded, `seed_finish` dates each message at the step it reports and leaves the read state a person
who uses the site would have: the older messages read, a handful of recent ones unread.

Case steps are recorded as of their day (cases.services.acting_as_of) and their messages carry that moment
already; a step another app took through a handler of its own (a rating invited when a demo case was
delivered days ago) was written at the seed's run time: it moves back to its step. Nothing is created or
deleted, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.utils import timezone, translation

# A message is left unread when it is among the newest few of its recipient, from the last days, and the
# latest news about what it reports (one per case, request or appointment).
UNREAD_DAYS = 3
UNREAD_AT_MOST = 5
READ_AFTER = dt.timedelta(hours=1)  # when the demo person read an older message


def seed(*, today) -> str:
    return "messages are written by the other apps' steps; dated and read in seed_finish"


def seed_finish(*, today) -> str:
    from bianmin.notifications.models import Message

    moved = _date_at_steps()
    now = timezone.now()
    since = now - dt.timedelta(days=UNREAD_DAYS)
    by_recipient: dict[int, list[Message]] = defaultdict(list)
    for message in Message.objects.order_by("recipient_id", "-created_at", "-id").only(
        "id", "recipient_id", "created_at", "read_at", "target_kind", "target_ref"
    ):
        by_recipient[message.recipient_id].append(message)
    read = []
    for messages in by_recipient.values():
        kept: set[tuple[str, str]] = set()
        for message in messages:
            target = (
                (message.target_kind, message.target_ref) if message.target_ref else ("", str(message.pk))
            )
            if len(kept) < UNREAD_AT_MOST and message.created_at >= since and target not in kept:
                kept.add(target)
                continue
            if message.read_at is None:
                message.read_at = min(message.created_at + READ_AFTER, now)
                read.append(message)
    Message.objects.bulk_update(read, ["read_at"], batch_size=500)
    return f"{moved} messages dated at their steps, {len(read)} older messages marked read"


def _date_at_steps() -> int:
    """Move each message that reports an earlier step than its own time back to that step."""
    from bianmin.notifications.models import Message

    moved = []
    for message in Message.objects.exclude(target_kind__in=["", "case", "department"]).order_by("pk"):
        moment = _step_moment(message)
        if moment is not None and moment < message.created_at:
            message.created_at = moment
            moved.append(message)
    Message.objects.bulk_update(moved, ["created_at"], batch_size=500)
    return len(moved)


def _step_moment(message) -> dt.datetime | None:
    kind, ref = message.target_kind, message.target_ref
    if kind == "evaluation_invitation":
        return _invitation_moment(ref)
    if kind == "service_request":
        return _request_moment(ref, message.title)
    if kind == "appointment":
        return _appointment_moment(ref, message.title)
    return None


def _invitation_moment(ref: str) -> dt.datetime | None:
    """A rating is invited when the service ends: the case's last step, the request's close, the ticket's end."""
    from bianmin.appointments.models import QueueTicket
    from bianmin.cases.models import CaseEvent
    from bianmin.evaluation.models import EvaluationInvitation

    if not ref.isdigit():
        return None
    invitation = EvaluationInvitation.objects.filter(pk=int(ref)).select_related("service_request").first()
    if invitation is None:
        return None
    if invitation.case_id:
        return (
            CaseEvent.objects.filter(case_id=invitation.case_id, at__lte=invitation.created_at)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
    if invitation.service_request_id:
        request = invitation.service_request
        return request.closed_at or request.answered_at
    if invitation.ticket_id:
        return (
            QueueTicket.objects.filter(pk=invitation.ticket_id).values_list("finished_at", flat=True).first()
        )
    return None


def _request_moment(number: str, title: str) -> dt.datetime | None:
    from bianmin.hotline.models import ServiceRequest
    from bianmin.hotline.notify import REQUESTER_TITLES

    request = ServiceRequest.objects.filter(number=number).first()
    if request is None:
        return None
    fields = {
        "received": "created_at",
        "dispatched": "dispatched_at",
        "answered": "answered_at",
        "closed": "closed_at",
    }
    with translation.override(settings.LANGUAGE_CODE):  # messages are written in the site's language
        for state, label in REQUESTER_TITLES.items():
            if title.startswith(f"{label} · ") and state in fields:
                return getattr(request, fields[state], None)
    return None


def _appointment_moment(code: str, title: str) -> dt.datetime | None:
    from bianmin.appointments.models import Appointment

    appointment = Appointment.objects.filter(code=code).first()
    if appointment is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        booked = translation.gettext("预约成功 · %(hall)s") % {"hall": ""}
    if title.startswith(booked):
        return appointment.created_at
    return None
