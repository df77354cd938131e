"""Every state change of hall data, slots, appointments and queue tickets (one transaction each, audited)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.accounts import rules
from bianmin.accounts.constants import Role
from bianmin.appointments import conf, selectors
from bianmin.appointments.constants import (
    ACTIVE_APPOINTMENT_STATES,
    AppointmentState,
    BookingChannel,
    CancelReason,
    TicketSource,
    TicketState,
    Weekday,
)
from bianmin.appointments.exceptions import (
    AppointmentStateConflict,
    AppointmentValidationError,
    BookingBlocked,
    DailyLimitReached,
    QueueNotFound,
    QueuePermissionDenied,
    SlotFull,
    TicketStateConflict,
)
from bianmin.appointments.models import (
    Appointment,
    HallItem,
    HallSetting,
    QueueTicket,
    Slot,
    TicketCategory,
    TicketCounter,
    WindowItem,
    WindowSchedule,
)
from bianmin.appointments.registries import ServiceFinished, publish_service_finished
from bianmin.audit.services import audit_record
from bianmin.catalog.models import ServiceItem
from bianmin.core.crypto import pii_hash
from bianmin.core.masking import mask_mobile
from bianmin.core.validators import validate_mobile
from bianmin.notifications import appointments as notify_appointment
from bianmin.organisations.constants import WindowKind
from bianmin.organisations.models import Hall, Window
from bianmin.web.text import join_list
from bianmin.workdays import workcalendar

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _now() -> dt.datetime:
    return timezone.localtime()


def _role(user, hall_id) -> str:
    if rules.has_role(user, Role.HALL_MANAGER, hall=hall_id):
        return Role.HALL_MANAGER
    if rules.has_role(user, Role.WINDOW_CLERK, hall=hall_id):
        return Role.WINDOW_CLERK
    if rules.is_platform_admin(user):
        return Role.PLATFORM_ADMIN
    return "applicant"


def _require_manager(user, hall: Hall) -> None:
    if not rules.can_manage_hall(user, hall):
        raise QueuePermissionDenied(_("只有本大厅管理员或平台管理员可以修改大厅数据。"))


def _require_hall_staff(user, hall_id: int) -> None:
    if hall_id not in selectors.staff_hall_ids(user):
        raise QueuePermissionDenied(_("您不是该大厅的工作人员。"))


# --- hall data ------------------------------------------------------------------------------------


@transaction.atomic
def hall_items_set(*, hall: Hall, items: Iterable[ServiceItem], acting_user, active: bool = True) -> int:
    """List items as taken in at the hall (or withdraw them with active=False); refreshes the 就近办 flag."""
    _require_manager(acting_user, hall)
    items = list(items)
    changed = 0
    for item in items:
        row, created = HallItem.objects.get_or_create(hall=hall, item=item, defaults={"is_active": active})
        if not created and row.is_active != active:
            row.is_active = active
            row.save(update_fields=["is_active", "updated_at"])
            changed += 1
        changed += int(created)
    if not changed:
        return 0  # nothing changed: no audit entry, no flag refresh
    audit_record(
        actor=acting_user,
        action="appointments.hall_items_set",
        target=hall,
        changes={"items": [i.code for i in items], "active": active},
        role=_role(acting_user, hall.pk),
    )
    from bianmin.catalog.services import item_refresh_nearby

    item_refresh_nearby(item_ids=[i.pk for i in items])  # derived flag, in the same transaction
    return changed


@transaction.atomic
def window_scope_set(*, window: Window, items: Iterable[ServiceItem], acting_user) -> None:
    """The listed items a special window serves (in addition to its departments' items)."""
    _require_manager(acting_user, window.hall)
    items = list(items)
    if items and window.kind != WindowKind.SPECIAL:
        raise AppointmentValidationError(
            _("只有专业窗口需要列出办理事项；综合窗口办理本大厅的所有事项。"),
            fields={"items": [_("综合窗口不列办理事项。")]},
            code="window_not_special",
        )
    not_here = [i.code for i in items if not selectors.hall_takes_item(hall=window.hall, item=i)]
    if not_here:
        raise AppointmentValidationError(
            _("本大厅不受理这些事项，请先将其加入大厅可办事项：%(c)s") % {"c": join_list(not_here)},
            fields={"items": [_("本大厅不受理：%(c)s") % {"c": join_list(not_here)}]},
            code="item_not_at_hall",
        )
    before = set(WindowItem.objects.filter(window=window).values_list("item_id", flat=True))
    if before == {i.pk for i in items}:
        return  # nothing changed: no audit entry
    WindowItem.objects.filter(window=window).exclude(item__in=items).delete()
    for item in items:
        WindowItem.objects.get_or_create(window=window, item=item)
    audit_record(
        actor=acting_user,
        action="appointments.window_scope_set",
        target=window,
        changes={"items": [i.code for i in items]},
        role=_role(acting_user, window.hall_id),
    )


@transaction.atomic
def window_schedule_set(
    *, window: Window, periods: Iterable[tuple[int, dt.time, dt.time]], acting_user
) -> None:
    """Replace a window's weekly schedule with (weekday, start, end) periods."""
    _require_manager(acting_user, window.hall)
    periods = sorted((int(w), s, e) for w, s, e in periods)
    for weekday, start, end in periods:
        if not 0 <= weekday <= 6 or end <= start:
            message = _("开放时间无效：星期应为0（周一）至6（周日），结束时间应晚于开始时间（%(p)s）。") % {
                "p": f"{weekday} {start:%H:%M}-{end:%H:%M}"
            }
            raise AppointmentValidationError(message, fields={"periods": [message]}, code="period_invalid")
    for (w1, _s1, e1), (w2, s2, _e2) in zip(periods, periods[1:], strict=False):
        if w1 == w2 and s2 < e1:
            message = _("%(day)s的开放时间有重叠，请合并后再保存。") % {"day": Weekday(w1).label}
            raise AppointmentValidationError(message, fields={"periods": [message]}, code="period_overlap")
    old = list(WindowSchedule.objects.filter(window=window).values_list("weekday", "start", "end"))
    if old == periods:
        return  # nothing changed: no audit entry
    WindowSchedule.objects.filter(window=window).delete()
    WindowSchedule.objects.bulk_create(
        [WindowSchedule(window=window, weekday=int(w), start=s, end=e) for w, s, e in periods]
    )
    audit_record(
        actor=acting_user,
        action="appointments.window_schedule_set",
        target=window,
        changes={"periods": [f"{w} {s:%H:%M}-{e:%H:%M}" for w, s, e in periods]},
        role=_role(acting_user, window.hall_id),
    )
    slots_refresh(
        hall=window.hall, acting_user=acting_user
    )  # capacities follow the windows open in each slot at once


@transaction.atomic
def hall_setting_set(
    *, hall: Hall, acting_user, slot_minutes: int = 30, appointments_per_window: int = 2
) -> HallSetting:
    _require_manager(acting_user, hall)
    problems = {}
    if not 10 <= slot_minutes <= 240:
        problems["slot_minutes"] = [_("时段长度应在10–240分钟之间。")]
    if not 0 <= appointments_per_window <= 50:
        problems["appointments_per_window"] = [_("每窗口每时段可预约人数应在0–50之间。")]
    if problems:
        raise AppointmentValidationError(
            _("时段长度应在10–240分钟之间，每窗口人数应在0–50之间。"), fields=problems
        )
    current = HallSetting.objects.filter(hall=hall).first()
    if (
        current is not None
        and current.slot_minutes == slot_minutes
        and current.appointments_per_window == appointments_per_window
    ):
        return current  # nothing changed: no audit entry
    setting, _created = HallSetting.objects.update_or_create(
        hall=hall, defaults={"slot_minutes": slot_minutes, "appointments_per_window": appointments_per_window}
    )
    audit_record(
        actor=acting_user,
        action="appointments.hall_setting_set",
        target=hall,
        changes={"slot_minutes": slot_minutes, "appointments_per_window": appointments_per_window},
        role=_role(acting_user, hall.pk),
    )
    slots_refresh(hall=hall, acting_user=acting_user)
    return setting


@transaction.atomic
def ticket_category_set(
    *, hall: Hall, letter: str, name: str, acting_user, departments=(), themes=(), is_default: bool = False
) -> TicketCategory:
    """Map departments or themes to a number prefix (A 综合, B 市场监管, C 社保 …)."""
    _require_manager(acting_user, hall)
    letter = (letter or "").strip().upper()
    if len(letter) != 1 or not letter.isalpha() or not letter.isascii():
        raise AppointmentValidationError(
            _("号码前缀应为一个英文字母。"), fields={"letter": [_("号码前缀应为一个英文字母。")]}
        )
    name = (name or "").strip()
    if not name or len(name) > 32:
        raise AppointmentValidationError(
            _("请填写业务类别名称（不超过32字）。"),
            fields={"name": [_("请填写业务类别名称（不超过32字）。")]},
        )
    category, _created = TicketCategory.objects.update_or_create(
        hall=hall, letter=letter, defaults={"name": name, "is_default": is_default, "sort_order": ord(letter)}
    )
    category.departments.set(list(departments))
    category.themes.set(list(themes))
    if is_default:
        TicketCategory.objects.filter(hall=hall).exclude(pk=category.pk).update(is_default=False)
    audit_record(
        actor=acting_user,
        action="appointments.ticket_category_set",
        target=hall,
        changes={"letter": letter, "name": name, "is_default": is_default},
        role=_role(acting_user, hall.pk),
    )
    return category


@transaction.atomic
def ticket_category_delete(*, hall: Hall, letter: str, acting_user) -> None:
    """Remove a prefix from the hall's mapping; one that numbers were already issued under stays (history)."""
    _require_manager(acting_user, hall)
    category = TicketCategory.objects.filter(hall=hall, letter=(letter or "").strip().upper()).first()
    if category is None:
        raise QueueNotFound(_("该大厅没有这个业务类别。"))
    if QueueTicket.objects.filter(category=category).exists():
        raise AppointmentStateConflict(
            _("该类别已有取号记录，不能删除；可改名或取消其部门、主题对应。"), code="category_in_use"
        )
    category.delete()
    audit_record(
        actor=acting_user,
        action="appointments.ticket_category_delete",
        target=hall,
        changes={"letter": category.letter, "name": category.name},
        role=_role(acting_user, hall.pk),
    )


# --- slots ----------------------------------------------------------------------------------------


def _slot_bounds(hall: Hall, on: dt.date, minutes: int) -> list[tuple[dt.time, dt.time]]:
    """Slots of `minutes` inside the hall's opening periods of that weekday (union of its windows' schedules)."""
    periods = sorted(
        set(
            WindowSchedule.objects.filter(
                window__hall=hall, window__is_active=True, weekday=on.weekday()
            ).values_list("start", "end")
        )
    )
    merged: list[list[dt.datetime]] = []
    for start, end in periods:
        s, e = dt.datetime.combine(on, start), dt.datetime.combine(on, end)
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    bounds = []
    step = dt.timedelta(minutes=minutes)
    for s, e in merged:
        while s + step <= e:
            bounds.append((s.time(), (s + step).time()))
            s += step
    return bounds


def _sync_day(hall: Hall, day: dt.date, setting: HallSetting, *, acting_user=None) -> int:
    """Make the day's slots match the windows' schedules: create the missing ones, resize the others (never
    below what is booked), and close (capacity = booked) those no longer inside opening hours or on a day the
    working-day calendar closes. Bookings in a slot the hall no longer opens are cancelled by the hall (see
    _cancel_closed_bookings). Returns the number of slots created."""
    created_count = 0
    keep = []
    is_open_day = workcalendar.is_workday(day)
    bounds = _slot_bounds(hall, day, setting.slot_minutes) if is_open_day else []
    for s, e in bounds:
        capacity = selectors.windows_open(hall=hall, on=day, start=s, end=e) * setting.appointments_per_window
        slot, created = Slot.objects.get_or_create(
            hall=hall, on=day, start=s, defaults={"end": e, "capacity": capacity}
        )
        if not created and (slot.capacity != max(capacity, slot.booked) or slot.end != e):
            Slot.objects.filter(pk=slot.pk).update(capacity=Greatest(Value(capacity), F("booked")), end=e)
        created_count += int(created)
        keep.append(s)
    Slot.objects.filter(hall=hall, on=day).exclude(start__in=keep).exclude(capacity=F("booked")).update(
        capacity=F("booked")
    )
    _cancel_closed_bookings(hall, day, is_open_day=is_open_day, acting_user=acting_user)
    return created_count


def _cancel_closed_bookings(hall: Hall, day: dt.date, *, is_open_day: bool, acting_user=None) -> int:
    """Bookings in a slot the hall no longer opens are cancelled by the hall, and the applicant is told (in-app
    message and SMS, with a link to book again); the cancellation never counts as the applicant's.

    "No longer opens": the working-day calendar now closes the day (a holiday entered or imported), or no bookable
    window is open for the whole slot any more (schedules changed, a window closed). A slot that only lost some
    of its places keeps its bookings: the hall serves who it promised and stops taking new ones (capacity never
    drops below what is booked). Slots that have already begun are left alone (people may be on their way or on
    site). Idempotent: only bookings still in state "booked" are touched, each once, under a row lock.
    """
    now = _now()
    candidates = Slot.objects.filter(hall=hall, on=day, booked__gt=0).order_by("start")
    cancelled = 0
    for slot in candidates:
        if slot.starts_at() <= now:
            continue
        if is_open_day and selectors.windows_open(hall=hall, on=day, start=slot.start, end=slot.end):
            continue
        reason = CancelReason.HOURS_CHANGED if is_open_day else CancelReason.DAY_CLOSED
        Slot.objects.select_for_update().filter(pk=slot.pk).first()  # bookings of this slot wait for us
        rows = list(
            Appointment.objects.select_for_update()
            .filter(slot=slot, state=AppointmentState.BOOKED)
            .order_by("pk")
        )
        if not rows:
            continue
        for appointment in rows:
            appointment.state = AppointmentState.CANCELLED
            appointment.cancelled_at = now
            appointment.cancel_reason = reason
            appointment.save(update_fields=["state", "cancelled_at", "cancel_reason", "updated_at"])
            audit_record(
                actor=acting_user,
                action="appointments.cancel_by_hall",
                target=appointment,
                changes={"state": ["booked", "cancelled"], "reason": str(reason)},
                role=_role(acting_user, hall.pk) if acting_user is not None else "system",
            )
            notify_appointment.cancelled_by_hall(appointment, reason=str(reason))
        n = len(rows)
        # what stays booked (people already checked in today) is all the closed slot still holds
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") - n, capacity=F("booked") - n)
        cancelled += n
    return cancelled


@transaction.atomic
def slots_generate(*, hall: Hall, start: dt.date, working_days: int | None = None, acting_user=None) -> int:
    """Create or resize the hall's slots for the next N working days from `start` (closures have none).

    Capacity = bookable windows open for the whole slot × appointments per window; never below what is booked.
    A periodic task (tasks.py) runs it every night; a derived schedule, so no audit entry (bookings it has to
    cancel because the hall no longer opens then are audited one by one).
    """
    working_days = working_days or conf.get("APPOINTMENT_DAYS_AHEAD")
    setting = HallSetting.objects.filter(hall=hall).first() or HallSetting(hall=hall)
    count = 0
    day = start
    done = 0
    while done < working_days:
        done += int(workcalendar.is_workday(day))
        count += _sync_day(hall, day, setting, acting_user=acting_user)
        day += dt.timedelta(days=1)
    return count


def slots_refresh(*, hall: Hall, today: dt.date | None = None, acting_user=None) -> int:
    """After a change of schedules or settings: bring the hall's already generated slots from today on in line
    (the nightly slots_generate extends the horizon). Runs inside the caller's transaction."""
    today = today or _now().date()
    last = Slot.objects.filter(hall=hall, on__gte=today).order_by("-on").values_list("on", flat=True).first()
    if last is None:
        return 0
    setting = HallSetting.objects.filter(hall=hall).first() or HallSetting(hall=hall)
    count = 0
    day = today
    while day <= last:
        count += _sync_day(hall, day, setting, acting_user=acting_user)
        day += dt.timedelta(days=1)
    return count


def slots_on_calendar_published(change) -> int:
    """workdays listener: days whose working status flipped (a closure entered, a make-up working day) get their
    generated slots synced at once — closed days lose their places and their bookings are cancelled by the hall
    (the applicants are told, with a link to book again); new working days get slots. Runs inside the publishing
    transaction, so a failure rolls the publication back; messages go out after the commit."""
    today = _now().date()
    days = sorted(d for d in change.changed_dates if d >= today)
    if not days:
        return 0
    count = 0
    for hall in Hall.objects.filter(is_active=True):
        last = Slot.objects.filter(hall=hall).order_by("-on").values_list("on", flat=True).first()
        if last is None:
            continue
        setting = HallSetting.objects.filter(hall=hall).first() or HallSetting(hall=hall)
        for day in days:
            if day <= last:
                count += _sync_day(hall, day, setting, acting_user=change.acting_user)
    return count


def slots_on_window_saved(
    sender, instance: Window, created: bool = False, raw: bool = False, **kwargs
) -> None:
    """post_save receiver for organisations.Window (connected in AppConfig.ready): a window opened, closed or
    changed in kind through the organisations API or admin changes the places in the hall's generated slots, and
    bookings no window can serve any more are cancelled by the hall — at once, inside the saving transaction,
    not at the next nightly run. The organisations service audits who changed the window; the cancellations are
    audited as the system's."""
    if raw or created:  # fixtures load as they are; a new window has no schedule yet
        return
    slots_refresh(hall=instance.hall)


@transaction.atomic
def window_active_set(*, window: Window, is_active: bool, acting_user) -> Window:
    """Open or close a window (organisations data) and bring the generated slots in line at once: a closed
    window's places leave the slots, and bookings no window can serve any more are cancelled by the hall."""
    from bianmin.organisations import services as organisation_services

    window = organisation_services.window_update(window=window, acting_user=acting_user, is_active=is_active)
    slots_refresh(hall=window.hall, acting_user=acting_user)
    return window


# --- appointments ---------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))


def _person_key(user, mobile: str) -> str:
    if user is not None:
        return f"u:{user.pk}"
    return f"m:{pii_hash(mobile)}"


def _take_place(slot_id: int) -> Slot:
    """Row lock (PostgreSQL) + compare-and-set on the counter (any database): never more than the capacity."""
    slot = Slot.objects.select_for_update().get(pk=slot_id)
    taken = Slot.objects.filter(pk=slot_id, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise SlotFull()
    return slot


def _give_back(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _check_slot_open(slot: Slot, now: dt.datetime) -> None:
    if slot.starts_at() <= now:
        raise AppointmentValidationError(_("该时段已开始或已过去，请选择其他时段。"), code="slot_past")


def _check_person(person_key: str, on: dt.date, *, online: bool, today: dt.date, exclude_pk=None) -> None:
    if online:
        until = selectors.person_no_show_block_until(person_key=person_key, today=today)
        if until is not None:
            raise BookingBlocked(
                _("您近期多次预约未到，%(date)s 前不能网上预约，请致电大厅预约。")
                % {"date": until.isoformat()},
                extra={"blocked_until": until.isoformat()},
            )
    qs = Appointment.objects.filter(person_key=person_key, on=on, state__in=ACTIVE_APPOINTMENT_STATES)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.count() >= conf.get("APPOINTMENT_DAILY_LIMIT"):
        raise DailyLimitReached(_("每人每天最多预约%(n)d次。") % {"n": conf.get("APPOINTMENT_DAILY_LIMIT")})


@transaction.atomic
def appointment_book(
    *,
    acting_user,
    slot: Slot | int,
    item: ServiceItem | None = None,
    name: str = "",
    mobile: str = "",
    idempotency_key: str = "",
) -> Appointment:
    """Book a place in a slot: online by the applicant, or by hall staff for a phone booking (name + mobile)."""
    key = (idempotency_key or "").strip()[:64]
    if key:
        existing = Appointment.objects.filter(booked_by=acting_user, idempotency_key=key).first()
        if existing is not None:
            return existing
    slot_obj = Slot.objects.select_related("hall").filter(pk=getattr(slot, "pk", slot)).first()
    if slot_obj is None:
        raise QueueNotFound(_("时段不存在。"))
    now = _now()
    online = rules.is_applicant(acting_user)
    if online:
        user = acting_user
        name = (
            acting_user.display_name if hasattr(acting_user, "display_name") else acting_user.get_full_name()
        )
        mobile = getattr(acting_user, "mobile", "") or mobile
        channel = BookingChannel.ONLINE
    else:
        _require_hall_staff(acting_user, slot_obj.hall_id)
        user = None
        name = (name or "").strip()
        mobile = (mobile or "").strip()
        problems = {}
        if not name:
            problems["name"] = [_("请填写姓名。")]
        try:
            validate_mobile(mobile)
        except Exception:
            problems["mobile"] = [_("请填写正确的手机号码。")]
        if problems:
            raise AppointmentValidationError(_("请检查预约人信息。"), fields=problems)
        channel = BookingChannel.PHONE
    _check_slot_open(slot_obj, now)
    if item is not None and not selectors.hall_takes_item(hall=slot_obj.hall, item=item):
        raise AppointmentValidationError(_("该大厅不受理此事项。"), code="item_not_at_hall")
    person_key = _person_key(user, mobile)
    _check_person(person_key, slot_obj.on, online=online, today=now.date())
    _take_place(slot_obj.pk)
    appointment = Appointment(
        code=_new_code(),
        slot=slot_obj,
        hall=slot_obj.hall,
        on=slot_obj.on,
        item=item,
        user=user,
        person_key=person_key,
        name=name[:64],
        mobile=mobile,
        mobile_masked=mask_mobile(mobile) if mobile else "",
        channel=channel,
        booked_by=acting_user,
        idempotency_key=key,
    )
    try:
        with transaction.atomic():
            appointment.save(force_insert=True)
    except IntegrityError:
        existing = (
            Appointment.objects.filter(booked_by=acting_user, idempotency_key=key).first() if key else None
        )
        if existing is None:
            raise
        raise AppointmentStateConflict(_("重复提交，请刷新后查看预约。")) from None
    audit_record(
        actor=acting_user,
        action="appointments.book",
        target=appointment,
        changes={"slot": str(slot_obj), "channel": channel, "item": item.code if item else ""},
        role=_role(acting_user, slot_obj.hall_id),
    )
    notify_appointment.booked(appointment)  # message centre + SMS, on commit
    return appointment


def _lock_appointment(appointment: Appointment | str, user) -> Appointment:
    code = getattr(appointment, "code", appointment)
    visible = (
        selectors.appointment_list_for_user(user=user).filter(code=code).values_list("pk", flat=True).first()
    )
    if visible is None:
        raise QueueNotFound()
    return Appointment.objects.select_for_update().select_related("slot", "hall").get(pk=visible)


def _may_change(appointment: Appointment, user) -> None:
    if appointment.user_id == user.pk or appointment.booked_by_id == user.pk:
        return
    _require_hall_staff(user, appointment.hall_id)


@transaction.atomic
def appointment_cancel(*, appointment: Appointment | str, acting_user) -> Appointment:
    appointment = _lock_appointment(appointment, acting_user)
    _may_change(appointment, acting_user)
    if appointment.state != AppointmentState.BOOKED:
        raise AppointmentStateConflict(_("只有未签到的预约可以取消。"))
    now = _now()
    if appointment.slot.ends_at() <= now:
        raise AppointmentStateConflict(_("预约时段已结束，不能取消。"))
    by_staff = appointment.booked_by_id != acting_user.pk and appointment.user_id != acting_user.pk
    appointment.state = AppointmentState.CANCELLED
    appointment.cancelled_at = now
    appointment.cancel_reason = CancelReason.STAFF if by_staff else CancelReason.APPLICANT
    appointment.save(update_fields=["state", "cancelled_at", "cancel_reason", "updated_at"])
    _give_back(appointment.slot_id)
    audit_record(
        actor=acting_user,
        action="appointments.cancel",
        target=appointment,
        changes={"state": ["booked", "cancelled"], "reason": str(appointment.cancel_reason)},
        role=_role(acting_user, appointment.hall_id),
    )
    notify_appointment.cancelled(appointment, by_staff=by_staff)
    return appointment


@transaction.atomic
def appointment_reschedule(*, appointment: Appointment | str, slot: Slot | int, acting_user) -> Appointment:
    appointment = _lock_appointment(appointment, acting_user)
    _may_change(appointment, acting_user)
    if appointment.state != AppointmentState.BOOKED:
        raise AppointmentStateConflict(_("只有未签到的预约可以改期。"))
    new = Slot.objects.select_related("hall").filter(pk=getattr(slot, "pk", slot)).first()
    if new is None:
        raise QueueNotFound(_("时段不存在。"))
    if new.pk == appointment.slot_id:
        return appointment
    now = _now()
    _check_slot_open(new, now)
    if new.hall_id != appointment.hall_id:
        if appointment.item is not None and not selectors.hall_takes_item(
            hall=new.hall, item=appointment.item
        ):
            raise AppointmentValidationError(_("该大厅不受理此事项。"), code="item_not_at_hall")
        if not rules.is_applicant(acting_user):
            _require_hall_staff(acting_user, new.hall_id)
    if new.on != appointment.on:
        _check_person(
            appointment.person_key,
            new.on,
            online=rules.is_applicant(acting_user),
            today=now.date(),
            exclude_pk=appointment.pk,
        )
    old = appointment.slot
    _take_place(new.pk)
    _give_back(old.pk)
    appointment.slot, appointment.hall, appointment.on = new, new.hall, new.on
    appointment.save(update_fields=["slot", "hall", "on", "updated_at"])
    audit_record(
        actor=acting_user,
        action="appointments.reschedule",
        target=appointment,
        changes={"slot": [str(old), str(new)]},
        role=_role(acting_user, new.hall_id),
    )
    notify_appointment.rescheduled(appointment)
    return appointment


@transaction.atomic
def appointments_mark_no_shows(*, now: dt.datetime | None = None) -> int:
    """Booked appointments whose slot ended without a check-in become no-shows (periodic task)."""
    now = now or _now()
    local = timezone.localtime(now)
    rows = list(
        Appointment.objects.select_for_update()
        .filter(state=AppointmentState.BOOKED, on__lte=local.date())
        .select_related("slot")
    )
    count = 0
    for appointment in rows:
        if appointment.slot.ends_at() > now:
            continue
        appointment.state = AppointmentState.NO_SHOW
        appointment.no_show_on = appointment.on
        appointment.save(update_fields=["state", "no_show_on", "updated_at"])
        audit_record(
            actor=None,
            action="appointments.no_show",
            target=appointment,
            changes={"state": ["booked", "no_show"]},
            role="system",
        )
        count += 1
    return count


# --- the queue ------------------------------------------------------------------------------------


def category_for(*, hall: Hall, item: ServiceItem | None) -> TicketCategory:
    """The category of an item at the hall: by its department, then its themes, else the hall's default."""
    categories = list(hall.ticket_categories.prefetch_related("departments", "themes"))
    category = selectors.pick_category(
        categories, item, selectors.item_theme_ids(item) if categories else set()
    )
    if category is None:
        raise AppointmentValidationError(_("该大厅尚未设置排队业务类别。"), code="no_categories")
    return category


def _issue(
    *, hall: Hall, category: TicketCategory, source: str, now: dt.datetime, item=None, appointment=None
) -> QueueTicket:
    today = timezone.localtime(now).date()
    counter, _created = TicketCounter.objects.get_or_create(hall=hall, on=today, letter=category.letter)
    TicketCounter.objects.select_for_update().filter(pk=counter.pk).update(last=F("last") + 1)
    last = TicketCounter.objects.get(pk=counter.pk).last
    return QueueTicket.objects.create(
        hall=hall,
        on=today,
        category=category,
        number=f"{category.letter}{last:03d}",
        token=secrets.token_hex(16),
        source=source,
        appointment=appointment,
        priority_from=appointment.slot.starts_at() if appointment else None,
        item=item,
        issued_at=now,
    )


@transaction.atomic
def ticket_take(
    *, hall: Hall, acting_user=None, category: TicketCategory | None = None, item: ServiceItem | None = None
) -> QueueTicket:
    """Take a number at the kiosk (anonymous, acting_user None) or at the desk (hall staff)."""
    if (
        acting_user is not None
        and getattr(acting_user, "is_authenticated", False)
        and not rules.is_applicant(acting_user)
    ):
        _require_hall_staff(acting_user, hall.pk)
        source = TicketSource.STAFF
    else:
        source = TicketSource.KIOSK
    if not hall.is_active:
        raise AppointmentValidationError(_("该大厅暂停服务。"))
    if category is None:
        category = category_for(hall=hall, item=item)
    elif category.hall_id != hall.pk:
        raise QueueNotFound()
    now = _now()
    ticket = _issue(hall=hall, category=category, source=source, now=now, item=item)
    audit_record(
        actor=acting_user if source == TicketSource.STAFF else None,
        action="appointments.ticket_take",
        target=ticket,
        changes={"number": ticket.number, "source": source},
        role=_role(acting_user, hall.pk) if source == TicketSource.STAFF else "kiosk",
    )
    return ticket


@transaction.atomic
def appointment_check_in(*, hall: Hall, code: str, acting_user=None) -> QueueTicket:
    """An appointment holder checks in (kiosk with the booking code, or staff): a ticket that goes ahead of
    walk-ins from the start of the slot."""
    if (
        acting_user is not None
        and getattr(acting_user, "is_authenticated", False)
        and not rules.is_applicant(acting_user)
    ):
        _require_hall_staff(acting_user, hall.pk)
    code = (code or "").strip().upper()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot", "item")
        .filter(code=code, hall=hall)
        .first()
    )
    now = _now()
    if appointment is None or appointment.on != now.date():
        raise QueueNotFound(_("未找到本大厅今天的这个预约码，请核对后重试。"))
    if appointment.state != AppointmentState.BOOKED:
        raise AppointmentStateConflict(_("该预约已签到、已取消或已过期。"))
    if appointment.slot.ends_at() <= now:
        raise AppointmentStateConflict(_("预约时段已结束，请现场取号。"))
    category = category_for(hall=hall, item=appointment.item)
    ticket = _issue(
        hall=hall,
        category=category,
        source=TicketSource.APPOINTMENT,
        now=now,
        item=appointment.item,
        appointment=appointment,
    )
    appointment.state = AppointmentState.CHECKED_IN
    appointment.checked_in_at = now
    appointment.save(update_fields=["state", "checked_in_at", "updated_at"])
    audit_record(
        actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        action="appointments.check_in",
        target=appointment,
        changes={"ticket": ticket.number},
        role=_role(acting_user, hall.pk) if getattr(acting_user, "is_authenticated", False) else "kiosk",
    )
    return ticket


def _clerk_window(user, window: Window | int) -> Window:
    window_obj = Window.objects.select_related("hall").filter(pk=getattr(window, "pk", window)).first()
    if window_obj is None or window_obj.hall_id not in selectors.staff_hall_ids(user):
        raise QueueNotFound(_("窗口不存在。"))
    if not (rules.can_intake(user, window_obj.hall_id) or rules.can_manage_hall(user, window_obj.hall_id)):
        raise QueuePermissionDenied(_("只有本大厅的窗口人员可以叫号。"))
    return window_obj


def _lock_ticket(ticket: QueueTicket | int, user) -> QueueTicket:
    pk = getattr(ticket, "pk", ticket)
    if pk not in set(selectors.ticket_list_for_staff(user=user).filter(pk=pk).values_list("pk", flat=True)):
        raise QueueNotFound()
    if not (rules.can_intake(user) or rules.can_manage_hall(user)):
        raise QueuePermissionDenied(_("只有本大厅的窗口人员可以叫号。"))
    return (
        QueueTicket.objects.select_for_update(of=("self",)).select_related("window", "appointment").get(pk=pk)
    )


def _save_ticket(ticket: QueueTicket, fields: list[str], expected_state: str) -> None:
    """Compare-and-set on state + version so two windows never take the same ticket (SQLite too)."""
    updated = QueueTicket.objects.filter(pk=ticket.pk, state=expected_state, version=ticket.version).update(
        **{f: getattr(ticket, f) for f in fields}, version=ticket.version + 1
    )
    if not updated:
        raise TicketStateConflict(_("该号已被其他窗口处理，请刷新。"))
    ticket.version += 1


def _audit_ticket(user, ticket: QueueTicket, action: str, changes: dict) -> None:
    audit_record(
        actor=user,
        action=f"appointments.{action}",
        target=ticket,
        changes=changes,
        role=_role(user, ticket.hall_id),
    )


@transaction.atomic
def ticket_call_next(*, window: Window | int, acting_user) -> QueueTicket:
    """The window calls the next number it serves. A window has at most one current ticket."""
    window = _clerk_window(acting_user, window)
    now = _now()
    current = QueueTicket.objects.filter(
        window=window, on=now.date(), state__in=(TicketState.CALLED, TicketState.SERVING)
    ).first()
    if current is not None:
        raise TicketStateConflict(
            _("窗口当前号 %(n)s 尚未结束，请先办结、过号或转移。") % {"n": current.number}, code="window_busy"
        )
    for _attempt in range(5):  # another window may take the same ticket first: try the next one
        ticket = selectors.next_for_window(window=window, on=now.date(), now=now)
        if ticket is None:
            raise TicketStateConflict(_("当前没有等候的号。"), code="queue_empty")
        ticket.state, ticket.window, ticket.called_by = TicketState.CALLED, window, acting_user
        ticket.called_at = ticket.called_at or now
        ticket.last_called_at, ticket.call_count = now, ticket.call_count + 1
        try:
            _save_ticket(
                ticket,
                ["state", "window", "called_by", "called_at", "last_called_at", "call_count"],
                TicketState.WAITING,
            )
        except TicketStateConflict:
            continue
        _audit_ticket(acting_user, ticket, "ticket_call", {"window": window.number})
        return ticket
    raise TicketStateConflict(_("叫号冲突，请重试。"))


@transaction.atomic
def ticket_recall(*, ticket: QueueTicket | int, acting_user) -> QueueTicket:
    ticket = _lock_ticket(ticket, acting_user)
    if ticket.state != TicketState.CALLED:
        raise TicketStateConflict(_("只有已叫号且未到的号可以重呼。"))
    ticket.last_called_at, ticket.call_count = _now(), ticket.call_count + 1
    _save_ticket(ticket, ["last_called_at", "call_count"], TicketState.CALLED)
    _audit_ticket(acting_user, ticket, "ticket_recall", {"call_count": ticket.call_count})
    return ticket


@transaction.atomic
def ticket_start(*, ticket: QueueTicket | int, acting_user) -> QueueTicket:
    ticket = _lock_ticket(ticket, acting_user)
    if ticket.state != TicketState.CALLED:
        raise TicketStateConflict(_("只有已叫号的号可以开始办理。"))
    ticket.state = TicketState.SERVING
    _save_ticket(ticket, ["state"], TicketState.CALLED)
    _audit_ticket(acting_user, ticket, "ticket_start", {"state": ["called", "serving"]})
    return ticket


@transaction.atomic
def ticket_no_show(*, ticket: QueueTicket | int, acting_user) -> QueueTicket:
    """过号: only a called ticket, and only after it was called at least QUEUE_NO_SHOW_MIN_CALLS times."""
    ticket = _lock_ticket(ticket, acting_user)
    if ticket.state != TicketState.CALLED:
        raise TicketStateConflict(_("只有已叫号且未到的号可以过号。"))
    minimum = conf.get("QUEUE_NO_SHOW_MIN_CALLS")
    if ticket.call_count < minimum:
        raise TicketStateConflict(_("请至少呼叫%(n)d次后再过号。") % {"n": minimum}, code="not_called_enough")
    now = _now()
    ticket.state, ticket.finished_at = TicketState.NO_SHOW, now
    _save_ticket(ticket, ["state", "finished_at"], TicketState.CALLED)
    if ticket.appointment_id:
        Appointment.objects.filter(pk=ticket.appointment_id).update(
            state=AppointmentState.NO_SHOW, no_show_on=ticket.on, updated_at=now
        )
    _audit_ticket(acting_user, ticket, "ticket_no_show", {"state": ["called", "no_show"]})
    return ticket


@transaction.atomic
def ticket_transfer(
    *,
    ticket: QueueTicket | int,
    acting_user,
    window: Window | int | None = None,
    category: TicketCategory | None = None,
) -> QueueTicket:
    """Send a called/serving ticket to another window or category; it keeps its number and waits again at the front."""
    ticket = _lock_ticket(ticket, acting_user)
    if ticket.state not in (TicketState.CALLED, TicketState.SERVING):
        raise TicketStateConflict(_("只有叫号中或办理中的号可以转移。"))
    if window is None and category is None:
        raise AppointmentValidationError(_("请选择转至的窗口或业务类别。"))
    target = None
    if window is not None:
        target = Window.objects.filter(
            pk=getattr(window, "pk", window), hall=ticket.hall_id, is_active=True
        ).first()
        if target is None or target.pk == ticket.window_id:
            raise AppointmentValidationError(
                _("请选择本大厅的其他窗口。"), fields={"window": [_("窗口无效。")]}
            )
    if category is not None and category.hall_id != ticket.hall_id:
        raise AppointmentValidationError(_("业务类别不属于本大厅。"), fields={"category": [_("类别无效。")]})
    previous = ticket.state
    from_window = ticket.window.number if ticket.window else ""
    ticket.state, ticket.window, ticket.target_window = TicketState.WAITING, None, target
    if category is not None:
        ticket.category = category
    ticket.priority_from = ticket.issued_at  # transferred people do not queue again from the back
    ticket.transfer_count += 1
    _save_ticket(
        ticket, ["state", "window", "target_window", "category", "priority_from", "transfer_count"], previous
    )
    _audit_ticket(
        acting_user,
        ticket,
        "ticket_transfer",
        {
            "from_window": from_window,
            "to_window": target.number if target else "",
            "category": ticket.category.letter,
        },
    )
    return ticket


@transaction.atomic
def ticket_finish(*, ticket: QueueTicket | int, acting_user) -> QueueTicket:
    """The service at the window is over: the applicant is invited to rate it (service_finished)."""
    ticket = _lock_ticket(ticket, acting_user)
    if ticket.state not in (TicketState.CALLED, TicketState.SERVING):
        raise TicketStateConflict(_("只有叫号中或办理中的号可以办结。"))
    previous = ticket.state
    now = _now()
    ticket.state, ticket.finished_at = TicketState.DONE, now
    _save_ticket(ticket, ["state", "finished_at"], previous)
    user_id = None
    if ticket.appointment_id:
        Appointment.objects.filter(pk=ticket.appointment_id).update(
            state=AppointmentState.SERVED, updated_at=now
        )
        user_id = ticket.appointment.user_id
    _audit_ticket(acting_user, ticket, "ticket_finish", {"state": [previous, "done"]})
    done = ServiceFinished(
        ticket_id=ticket.pk,
        number=ticket.number,
        hall_id=ticket.hall_id,
        window_id=ticket.window_id,
        case_id=ticket.case_id,
        appointment_id=ticket.appointment_id,
        user_id=user_id,
        item_id=ticket.item_id,
        clerk_id=acting_user.pk,
    )
    transaction.on_commit(lambda: publish_service_finished(done))
    return ticket


@transaction.atomic
def ticket_open_case(
    *, ticket: QueueTicket | int, acting_user, item: ServiceItem, applicant: dict, agent=None
):
    """Open a case at the window for the ticket being served: the case records hall and window (cases services)."""
    from bianmin.cases import services as case_services

    ticket = _lock_ticket(ticket, acting_user)
    if ticket.state not in (TicketState.CALLED, TicketState.SERVING):
        raise TicketStateConflict(_("只有叫号中或办理中的号可以受理办件。"))
    if ticket.case_id:
        raise TicketStateConflict(_("该号已关联办件。"))
    case = case_services.case_save_draft(
        acting_user=acting_user,
        item=item,
        applicant=applicant,
        agent=agent,
        hall=ticket.hall_id,
        window=ticket.window_id,
        idempotency_key=f"ticket-{ticket.token[:20]}",
    )
    previous = ticket.state
    ticket.case, ticket.item = case, item
    ticket.state = TicketState.SERVING
    _save_ticket(ticket, ["case", "item", "state"], previous)
    _audit_ticket(acting_user, ticket, "ticket_open_case", {"case": str(case.pk)})
    return case
