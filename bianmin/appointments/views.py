"""Pages: hall finder, booking, my appointments, kiosk, big-screen display, phone ticket status, the window's
calling console and the hall manager's figures. Every change goes through services."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bianmin.accounts import rules
from bianmin.accounts.constants import Role
from bianmin.appointments import figures, selectors, services
from bianmin.appointments.constants import AppointmentState, TicketState, Weekday
from bianmin.appointments.exceptions import AppointmentValidationError
from bianmin.appointments.models import HallSetting, QueueTicket, TicketCategory
from bianmin.cases.constants import ApplicantKind
from bianmin.catalog.models import ServiceItem, Theme
from bianmin.core.exceptions import ApplicationError
from bianmin.organisations import services as organisation_services
from bianmin.organisations.api.filters import parse_point
from bianmin.organisations.constants import WindowKind
from bianmin.organisations.models import Department, Hall, Region, Window
from bianmin.web.text import clause_separator, join_list
from bianmin.web.views import applicant_login_required, staff_required


def _today() -> dt.date:
    return timezone.localdate()


def _error_text(error: ApplicationError) -> str:
    """The refusal's message followed by what is wrong with each field (when the service says)."""
    details = [str(m) for msgs in (error.fields or {}).values() for m in msgs if str(m) != str(error.message)]
    return " ".join([str(error.message), clause_separator().join(details)]) if details else str(error.message)


def _item_from(request) -> ServiceItem | None:
    code = (request.GET.get("item") or request.POST.get("item") or "").strip()
    if not code:
        return None
    return (
        ServiceItem.objects.select_related("current_version", "department__region").filter(code=code).first()
    )


def hall_finder(request: HttpRequest) -> HttpResponse:
    """/halls/?item=<code>&region=<street code>&near=lat,lng — the halls that take the item, nearest first."""
    item = _item_from(request)
    region = Region.objects.filter(code=request.GET.get("region", "")).first()
    point = parse_point(request.GET.get("near", "")) if request.GET.get("near") else None
    rows = selectors.nearest_halls(item=item, region=region, point=point) if item else []
    if item is None:
        halls = list(Hall.objects.filter(is_active=True).select_related("region"))
        waits = selectors.hall_waits(halls=halls)
        rows = [selectors.NearHall(hall=h, distance_km=None, wait=waits[h.pk]) for h in halls]
    streets = Region.objects.filter(level="street").order_by("code")
    return render(
        request,
        "appointments/finder.html",
        {
            "item": item,
            "rows": rows,
            "region": region,
            "streets": streets,
            "near": request.GET.get("near", ""),
        },
    )


def hall_book(request: HttpRequest, pk: int) -> HttpResponse:
    hall = get_object_or_404(Hall, pk=pk, is_active=True)
    item = _item_from(request)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
        try:
            appointment = services.appointment_book(
                acting_user=request.user,
                slot=int(request.POST.get("slot", 0) or 0),
                item=item,
                name=request.POST.get("name", ""),
                mobile=request.POST.get("mobile", ""),
                idempotency_key=request.POST.get("idempotency_key", ""),
            )
        except ApplicationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("预约成功，预约码 %(code)s。") % {"code": appointment.code})
            if rules.is_applicant(request.user):
                return redirect("appointments:mine")
            return redirect(
                f"{reverse('appointments:staff_list')}?hall={hall.pk}&date={appointment.on.isoformat()}"
            )
    today = _today()
    slots = list(selectors.slots_available(hall=hall, start=today, end=today + dt.timedelta(days=21)))
    days: dict[dt.date, list] = {}
    for slot in slots:
        days.setdefault(slot.on, []).append(slot)
    staff = request.user.is_authenticated and not rules.is_applicant(request.user)
    return render(
        request,
        "appointments/book_staff.html" if staff else "appointments/book.html",
        {
            "hall": hall,
            "item": item,
            "days": sorted(days.items()),
            "is_staff": staff,
            "post": request.POST if request.method == "POST" else {},
            "idempotency_key": secrets.token_hex(12),
        },
    )


@applicant_login_required
def my_appointments(request: HttpRequest) -> HttpResponse:
    upcoming, past = selectors.applicant_appointments(user=request.user, today=_today())
    return render(
        request,
        "appointments/mine.html",
        {"upcoming": upcoming, "past": past, "booked": AppointmentState.BOOKED, "today": _today()},
    )


@require_POST
@applicant_login_required
def appointment_cancel(request: HttpRequest, code: str) -> HttpResponse:
    try:
        services.appointment_cancel(appointment=code, acting_user=request.user)
        messages.success(request, _("预约已取消。"))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("appointments:mine")


# --- kiosk, display, phone ---------------------------------------------------------------------------


def kiosk(request: HttpRequest, pk: int) -> HttpResponse:
    """Taking a number at the hall (anonymous kiosk device): a category button, or check-in with a booking code."""
    hall = get_object_or_404(Hall, pk=pk, is_active=True)
    ticket, error = None, ""
    if request.method == "POST":
        try:
            if request.POST.get("code"):
                ticket = services.appointment_check_in(
                    hall=hall, code=request.POST["code"], acting_user=request.user
                )
            else:
                category = get_object_or_404(TicketCategory, pk=request.POST.get("category") or 0, hall=hall)
                ticket = services.ticket_take(hall=hall, category=category, acting_user=request.user)
        except ApplicationError as refused:
            error = refused.message
    context = {
        "hall": hall,
        "categories": hall.ticket_categories.all(),
        "ticket": ticket,
        "ahead": selectors.tickets_ahead(ticket=ticket) if ticket else None,
        "ticket_qr": _qr_svg(request.build_absolute_uri(reverse("appointments:ticket", args=[ticket.token])))
        if ticket
        else "",
        "error": error,
    }
    return render(request, "appointments/kiosk.html", context, status=400 if error else 200)


def _qr_svg(url: str) -> str:
    """An inline SVG QR code of the phone status page (scan at the kiosk instead of typing the address)."""
    import io

    import qrcode
    import qrcode.image.svg

    buffer = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2).save(buffer)
    svg = buffer.getvalue().decode()
    return mark_safe(svg[svg.index("<svg") :])  # generated by qrcode from our own URL


def display(request: HttpRequest, pk: int) -> HttpResponse:
    hall = get_object_or_404(Hall, pk=pk, is_active=True)
    return render(
        request,
        "appointments/display.html",
        {"hall": hall, **selectors.display_board(hall=hall, on=_today())},
    )


def display_board(request: HttpRequest, pk: int) -> HttpResponse:
    hall = get_object_or_404(Hall, pk=pk, is_active=True)
    return render(
        request,
        "appointments/display.html#board",
        {"hall": hall, **selectors.display_board(hall=hall, on=_today())},
    )


def _ticket_context(token: str) -> dict:
    ticket = QueueTicket.objects.select_related("hall", "window", "category").filter(token=token).first()
    if ticket is None:
        raise Http404
    return {"ticket": ticket, "ahead": selectors.tickets_ahead(ticket=ticket), "states": TicketState}


def ticket_status(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "appointments/ticket.html", _ticket_context(token))


def ticket_status_fragment(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "appointments/ticket.html#status", _ticket_context(token))


# --- workbench ------------------------------------------------------------------------------------------


def _staff_halls(user):
    ids = selectors.staff_hall_ids(user)
    if not ids:
        raise PermissionDenied(_("您不是大厅工作人员。"))
    return Hall.objects.filter(pk__in=ids).order_by("sort_order", "name")


def _open_case(request: HttpRequest, ticket_id: int):
    """受理办件 for the ticket being served: the cases app's window-intake form, then ticket_open_case (the case
    records the hall and window; the ticket records the case). None (with an error message) on bad input."""
    from bianmin.cases.forms_web import WindowIntakeForm

    form = WindowIntakeForm(request.POST)
    if not form.is_valid():
        problems = clause_separator().join(str(m) for errors in form.errors.values() for m in errors)
        messages.error(request, _("请检查申请人信息：%(p)s") % {"p": problems})
        return None
    data = form.cleaned_data
    item = _item_from(request)
    if item is None:
        messages.error(request, _("事项不存在或未发布。"))
        return None
    agent = None
    if data.get("agent_name"):
        agent = {"name": data["agent_name"], "id_no": data["agent_id_no"], "mobile": data["agent_mobile"]}
    return services.ticket_open_case(
        ticket=ticket_id,
        acting_user=request.user,
        item=item,
        applicant={
            "kind": data["kind"],
            "name": data["name"],
            "id_no": data["id_no"],
            "mobile": data["mobile"],
        },
        agent=agent,
    )


@staff_required
def counter(request: HttpRequest) -> HttpResponse:
    """The window clerk's calling console: call next, recall, start, no-show, transfer, finish."""
    halls = list(_staff_halls(request.user))
    windows = list(
        Window.objects.filter(hall__in=halls, is_active=True)
        .select_related("hall")
        .order_by("hall", "number")
    )
    window_id = request.POST.get("window") or request.GET.get("window") or request.session.get("queue_window")
    window = next((w for w in windows if str(w.pk) == str(window_id)), windows[0] if windows else None)
    if window is None:
        raise Http404
    request.session["queue_window"] = window.pk
    if request.method == "POST":
        action = request.POST.get("action", "")
        ticket_id = int(request.POST.get("ticket") or 0)
        try:
            if action == "call":
                ticket = services.ticket_call_next(window=window, acting_user=request.user)
                messages.success(
                    request, _("请 %(n)s 号到 %(w)s 号窗口。") % {"n": ticket.number, "w": window.number}
                )
            elif action == "recall":
                services.ticket_recall(ticket=ticket_id, acting_user=request.user)
            elif action == "start":
                services.ticket_start(ticket=ticket_id, acting_user=request.user)
            elif action == "no_show":
                services.ticket_no_show(ticket=ticket_id, acting_user=request.user)
            elif action == "finish":
                services.ticket_finish(ticket=ticket_id, acting_user=request.user)
            elif action == "transfer":
                target = request.POST.get("to_window") or None
                category = TicketCategory.objects.filter(pk=request.POST.get("to_category") or 0).first()
                services.ticket_transfer(
                    ticket=ticket_id, acting_user=request.user, window=target, category=category
                )
            elif action == "open_case":
                case = _open_case(request, ticket_id)
                if case is not None:
                    messages.success(request, _("已为该号登记办件，请录入申请表，再扫描上传材料。"))
                    return redirect("cases:apply_form", case.pk)
            elif action == "take":
                category = get_object_or_404(
                    TicketCategory, pk=request.POST.get("category") or 0, hall=window.hall
                )
                ticket = services.ticket_take(hall=window.hall, category=category, acting_user=request.user)
                messages.success(request, _("已取号 %(n)s。") % {"n": ticket.number})
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect(f"{reverse('appointments:counter')}?window={window.pk}")
    today = _today()
    current = (
        QueueTicket.objects.filter(
            window=window, on=today, state__in=(TicketState.CALLED, TicketState.SERVING)
        )
        .select_related("category", "appointment", "item__current_version")
        .first()
    )
    waiting = selectors.queue_waiting(hall=window.hall_id, on=today)
    return render(
        request,
        "appointments/counter.html",
        {
            "window": window,
            "windows": windows,
            "current": current,
            "waiting": waiting[:30],
            "waiting_count": len(waiting),
            "categories": window.hall.ticket_categories.all(),
            "other_windows": [w for w in windows if w.hall_id == window.hall_id and w.pk != window.pk],
            "applicant_kinds": ApplicantKind.choices,
        },
    )


@staff_required
def hall_dashboard(request: HttpRequest) -> HttpResponse:
    """The hall manager's figures (/workbench/halls/); window clerks have the calling console instead."""
    halls = list(_managed_halls(request.user))
    hall = next((h for h in halls if str(h.pk) == request.GET.get("hall")), halls[0])
    end = _today()
    try:
        days = max(1, min(366, int(request.GET.get("days", 30))))
    except ValueError:
        days = 30
    start = end - dt.timedelta(days=days - 1)
    return render(
        request,
        "appointments/dashboard.html",
        {
            "halls": halls,
            "hall": hall,
            "days": days,
            "start": start,
            "end": end,
            "figures": figures.hall_figures(hall=hall, start=start, end=end),
            "wait": selectors.hall_wait(hall=hall),
            "nearby": figures.nearby_share_by_street(),
        },
    )


# --- hall setup (the hall's manager; platform admins for any hall) -------------------------------------

WEEKDAYS = [(d.value, d.label) for d in Weekday]


def _managed_halls(user):
    if rules.is_platform_admin(user):
        return Hall.objects.filter(is_active=True).order_by("sort_order", "name")
    ids = rules.hall_ids(user, Role.HALL_MANAGER)
    if not ids:
        raise PermissionDenied(_("只有大厅管理员可以维护大厅数据。"))
    return Hall.objects.filter(pk__in=ids).order_by("sort_order", "name")


def parse_periods(text: str) -> list[tuple[dt.time, dt.time]]:
    """'09:00-12:00, 14:30-17:30' → [(09:00, 12:00), (14:30, 17:30)]; '' → []."""
    periods = []
    for part in text.replace("，", ",").replace("、", ",").replace("–", "-").replace("—", "-").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            start, end = (dt.time.fromisoformat(p.strip().zfill(5)) for p in part.split("-"))
        except ValueError:
            raise AppointmentValidationError(
                _("“%(p)s”无法识别，请按 09:00-12:00 的格式填写，多段用逗号分隔。") % {"p": part},
                code="period_invalid",
            ) from None
        periods.append((start, end))
    return periods


def schedule_text(days: list[tuple[int, str, str]]) -> str:
    """[(0, '周一', '09:00-12:00'), …] → '周一至周五 09:00-12:00；周六 09:00-12:00' (runs of equal days joined)."""
    runs: list[list] = []
    for _d, label, text in days:
        if runs and runs[-1][2] == text:
            runs[-1][1] = label
        else:
            runs.append([label, label, text])
    parts = []
    for first, last, text in runs:
        if not text:
            continue
        when = first if first == last else _("%(a)s至%(b)s") % {"a": first, "b": last}
        parts.append(f"{when} {text}")
    return clause_separator().join(parts)


def _codes(text: str) -> list[str]:
    return [c for c in text.replace("，", ",").replace("、", ",").replace("\n", ",").split(",") if c.strip()]


def _items_by_code(codes: list[str]) -> list[ServiceItem]:
    codes = list(dict.fromkeys(c.strip() for c in codes))
    found = {i.code: i for i in ServiceItem.objects.select_related("current_version").filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise AppointmentValidationError(
            _("事项不存在：%(c)s") % {"c": join_list(missing)}, code="item_unknown"
        )
    return [found[c] for c in codes]


def _setup_action(request, hall: Hall) -> str:
    """Apply one POSTed change through the services; returns the success message."""
    action = request.POST.get("action", "")
    post = request.POST
    if action == "hall":
        data = {f: post.get(f, "").strip() for f in ("address", "phone", "opening_hours")}
        lat, lng = post.get("latitude", "").strip(), post.get("longitude", "").strip()
        if bool(lat) != bool(lng):
            raise AppointmentValidationError(_("纬度和经度须同时填写（或同时清空）。"))
        data["latitude"], data["longitude"] = lat or None, lng or None
        organisation_services.hall_update(hall=hall, acting_user=request.user, **data)
        return _("大厅信息已保存。")
    if action == "setting":
        try:
            minutes, per_window = (
                int(post.get("slot_minutes", "")),
                int(post.get("appointments_per_window", "")),
            )
        except ValueError:
            raise AppointmentValidationError(_("请填写整数。")) from None
        services.hall_setting_set(
            hall=hall, acting_user=request.user, slot_minutes=minutes, appointments_per_window=per_window
        )
        return _("预约设置已保存，已生成的时段容量随之调整。")
    if action == "window_add":
        organisation_services.window_create(
            acting_user=request.user,
            hall=hall,
            number=post.get("number", "").strip(),
            name=post.get("name", "").strip(),
            kind=post.get("kind", ""),
            departments=list(Department.objects.filter(pk__in=post.getlist("departments"))),
        )
        return _("窗口已添加，请设置它的开放时间。")
    window = None
    if post.get("window"):
        window = get_object_or_404(Window, pk=post["window"], hall=hall)
    if action == "window_active" and window is not None:
        services.window_active_set(
            window=window, is_active=post.get("is_active") == "1", acting_user=request.user
        )
        return _("窗口状态已更新。")
    if action == "schedule" and window is not None:
        periods = [(d, s, e) for d, _label in WEEKDAYS for s, e in parse_periods(post.get(f"day{d}", ""))]
        services.window_schedule_set(window=window, periods=periods, acting_user=request.user)
        return _("%(n)s 号窗口的开放时间已保存。") % {"n": window.number}
    if action == "window_items" and window is not None:
        services.window_scope_set(
            window=window, items=_items_by_code(_codes(post.get("items", ""))), acting_user=request.user
        )
        return _("%(n)s 号窗口的办理事项已保存。") % {"n": window.number}
    if action == "category":
        services.ticket_category_set(
            hall=hall,
            letter=post.get("letter", ""),
            name=post.get("name", ""),
            acting_user=request.user,
            departments=list(Department.objects.filter(pk__in=post.getlist("departments"))),
            themes=list(Theme.objects.filter(pk__in=post.getlist("themes"))),
            is_default=post.get("is_default") == "1",
        )
        return _("业务类别已保存。")
    if action == "category_delete":
        services.ticket_category_delete(hall=hall, letter=post.get("letter", ""), acting_user=request.user)
        return _("业务类别已删除。")
    if action in ("items_add", "items_withdraw"):
        changed = services.hall_items_set(
            hall=hall,
            items=_items_by_code(_codes(post.get("items", ""))),
            acting_user=request.user,
            active=action == "items_add",
        )
        return _("可办事项已更新（%(n)d 项变化）。") % {"n": changed}
    raise AppointmentValidationError(_("未知操作。"))


@staff_required
def hall_setup_first(request: HttpRequest) -> HttpResponse:
    """/workbench/halls/setup/: the setup page of the (first) hall the user manages."""
    hall = _managed_halls(request.user).first()
    if hall is None:
        raise Http404
    return redirect("appointments:hall_setup", hall.pk)


@staff_required
def hall_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """/workbench/halls/<pk>/setup/: the hall's details, slot settings, windows with their weekly schedules and
    items, number prefixes and the items taken in. Every change goes through the services (which check again)."""
    halls = list(_managed_halls(request.user))
    hall = next((h for h in halls if h.pk == pk), None)
    if hall is None:
        raise Http404
    error_section = ""
    if request.method == "POST":
        try:
            messages.success(request, _setup_action(request, hall))
        except ApplicationError as error:
            messages.error(request, _error_text(error))
            error_section = request.POST.get("action", "")
        else:
            url = reverse("appointments:hall_setup", args=[hall.pk])
            if request.POST.get("window"):
                return redirect(f"{url}?window={request.POST['window']}#window-{request.POST['window']}")
            return redirect(f"{url}#{request.POST.get('action', '')}")
    hall.refresh_from_db()
    setting = HallSetting.objects.filter(hall=hall).first() or HallSetting(hall=hall)
    windows = selectors.window_setup(hall=hall)
    for row in windows:
        days = {d: [] for d, _label in WEEKDAYS}
        for p in row["periods"]:
            days[p["weekday"]].append(f"{p['start']:%H:%M}-{p['end']:%H:%M}")
        row["days"] = [(d, label, ", ".join(days[d])) for d, label in WEEKDAYS]
        row["schedule_text"] = schedule_text(row["days"])
    taken = selectors.items_taken_at(hall=hall)
    return render(
        request,
        "appointments/setup.html",
        {
            "halls": halls,
            "hall": hall,
            "setting": setting,
            "windows": windows,
            "window_kinds": WindowKind.choices,
            "categories": selectors.ticket_category_rows(hall=hall),
            "departments": Department.objects.filter(is_active=True).order_by("sort_order", "short_code"),
            "themes": Theme.objects.order_by("audience", "order", "code"),
            "listed": list(taken.filter(listed=True)),
            "district_count": taken.filter(listed=False).count(),
            "error_section": error_section,
            "open_window": request.POST.get("window", "") if error_section else request.GET.get("window", ""),
            "post": request.POST if error_section else {},
        },
        status=400 if error_section else 200,
    )


# --- rescheduling (applicant online; hall staff for phone bookings) and the staff's list of bookings ----


def _slot_days(hall: Hall, *, exclude_slot: int | None = None) -> list:
    today = _today()
    days: dict[dt.date, list] = {}
    for slot in selectors.slots_available(hall=hall, start=today, end=today + dt.timedelta(days=21)):
        if slot.pk != exclude_slot:
            days.setdefault(slot.on, []).append(slot)
    return sorted(days.items())


def _reschedule(request: HttpRequest, code: str, *, staff: bool) -> HttpResponse:
    appointment = get_object_or_404(selectors.appointment_list_for_user(user=request.user), code=code)
    back = reverse("appointments:staff_list") if staff else reverse("appointments:mine")
    if staff:
        back += f"?hall={appointment.hall_id}&date={appointment.on.isoformat()}"
    if request.method == "POST":
        try:
            moved = services.appointment_reschedule(
                appointment=appointment.code,
                slot=int(request.POST.get("slot") or 0),
                acting_user=request.user,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("已改期至 %(day)s %(time)s。")
                % {"day": moved.on.isoformat(), "time": f"{moved.slot.start:%H:%M}"},
            )
            return redirect(back)
    return render(
        request,
        "appointments/reschedule.html",
        {
            "appointment": appointment,
            "days": _slot_days(appointment.hall, exclude_slot=appointment.slot_id),
            "base": "web/base_workbench.html" if staff else "web/base_portal.html",
            "back": back,
            "can_change": appointment.state == AppointmentState.BOOKED,
        },
    )


@applicant_login_required
def appointment_reschedule(request: HttpRequest, code: str) -> HttpResponse:
    return _reschedule(request, code, staff=False)


@staff_required
def staff_appointment_reschedule(request: HttpRequest, code: str) -> HttpResponse:
    _staff_halls(request.user)
    return _reschedule(request, code, staff=True)


@staff_required
def staff_appointments(request: HttpRequest) -> HttpResponse:
    """/workbench/appointments/: a hall's bookings of a day (online and phone), to reschedule or cancel on the
    phone, with a link to book for a caller."""
    halls = list(_staff_halls(request.user))
    hall = next((h for h in halls if str(h.pk) == request.GET.get("hall")), halls[0])
    try:
        day = dt.date.fromisoformat(request.GET.get("date") or _today().isoformat())
    except ValueError:
        day = _today()
    rows = (
        selectors.appointment_list_for_user(user=request.user)
        .filter(hall=hall, on=day)
        .order_by("slot__start", "pk")
    )
    return render(
        request,
        "appointments/staff_list.html",
        {
            "halls": halls,
            "hall": hall,
            "day": day,
            "rows": rows,
            "booked": AppointmentState.BOOKED,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
        },
    )


@require_POST
@staff_required
def staff_appointment_cancel(request: HttpRequest, code: str) -> HttpResponse:
    appointment = get_object_or_404(selectors.appointment_list_for_user(user=request.user), code=code)
    try:
        services.appointment_cancel(appointment=appointment.code, acting_user=request.user)
        messages.success(request, _("预约 %(code)s 已取消。") % {"code": appointment.code})
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(
        f"{reverse('appointments:staff_list')}?hall={appointment.hall_id}&date={appointment.on.isoformat()}"
    )
