"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) over the request desk.

Formats by extension (.json / .xml); errors as Open311 lists them: [{"code": 400, "description": "…"}]
(<errors><error><code/><description/></error></errors>). Creating needs an api_key (hotline.ApiKey).
Service definitions carry the category's attributes (hotline.CategoryAttribute, GeoReport v2 fields);
answers come as attribute[CODE]=… (attribute[CODE][]=… for a multivaluelist) and are checked by the
service; each wrong or missing one is its own 400 error. A 举报 service takes an anonymity answer; its
requests are never in the lists nor in the status lookup.
The open lists and the status lookup never show a 举报 or anything personal: requester identity is not
part of any output, and descriptions are masked (ID and mobile numbers).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree as ET

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from bianmin.core.exceptions import ApplicationError
from bianmin.hotline import attributes as category_attributes
from bianmin.hotline import selectors, services
from bianmin.hotline.constants import AttributeRole, RequestChannel, RequestKind, RequestState
from bianmin.web.text import join_list

MAX_RESULTS = 1000
LIST_CHILD = {"attributes": "attribute", "values": "value"}
ATTRIBUTE_PARAM = re.compile(r"^attribute\[(?P<code>[^\[\]]+)\](?P<many>\[\])?$")
DEFAULT_DAYS = 90


def _xml(root_name: str, child_name: str, rows: list[dict]) -> bytes:
    root = ET.Element(root_name)
    for row in rows:
        child = ET.SubElement(root, child_name)
        _fill(child, row)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="utf-8")


def _fill(element, row: dict) -> None:
    for key, value in row.items():
        sub = ET.SubElement(element, key)
        if isinstance(value, list):
            for entry in value:
                item = ET.SubElement(sub, LIST_CHILD.get(key, "item"))
                if isinstance(entry, dict):
                    _fill(item, entry)
                else:
                    item.text = str(entry)
        elif isinstance(value, bool):
            sub.text = "true" if value else "false"
        elif value is not None:
            sub.text = str(value)


def _render(fmt: str, rows, *, root: str, child: str, status: int = 200):
    if fmt == "xml":
        return HttpResponse(_xml(root, child, rows), content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(rows, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, code: int, description: str | list[str]):
    descriptions = description if isinstance(description, list) else [description]
    return _render(
        fmt,
        [{"code": code, "description": d} for d in descriptions],
        root="errors",
        child="error",
        status=code,
    )


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return timezone.make_aware(dt.datetime.combine(value, dt.time(18, 0))).isoformat(timespec="seconds")


def _service_row(category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": any(a.is_variable for a in category.attributes.all()),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def _request_row(request) -> dict:
    """One request as the open lists show it: no requester, the text with numbers and the requester's own
    name blotted; a 求助 (help) is about the person's own circumstances, so its text and place are withheld."""
    status = "open" if request.state != RequestState.CLOSED else "closed"
    notes = request.answer[:500] if request.state in (RequestState.ANSWERED, RequestState.CLOSED) else ""
    private = request.kind == RequestKind.HELP
    return {
        "service_request_id": request.number,
        "status": status,
        "status_notes": (request.redact(notes) if notes and not private else "")
        or request.get_state_display(),
        "service_name": request.category.name if request.category else request.get_kind_display(),
        "service_code": request.category.code if request.category else "",
        "description": "" if private else request.redact(request.content)[:1000],
        "agency_responsible": request.department.name if request.department else "",
        "service_notice": "",
        "requested_datetime": _iso(request.created_at),
        "updated_datetime": _iso(request.updated_at),
        "expected_datetime": _iso(request.due_on) if status == "open" else None,
        "address": "" if private else request.address,
        "address_id": "",
        "zipcode": "",
        "lat": float(request.latitude) if request.latitude is not None and not private else None,
        "long": float(request.longitude) if request.longitude is not None and not private else None,
        "media_url": "" if private else request.media_url,
    }


@require_http_methods(["GET"])
def service_list(request, fmt: str):
    rows = [_service_row(c) for c in selectors.public_categories().prefetch_related("attributes")]
    return _render(fmt, rows, root="services", child="service")


@require_http_methods(["GET"])
def service_definition(request, code: str, fmt: str):
    category = selectors.public_categories().filter(code=code).first()
    if category is None:
        return _error(fmt, 404, "service_code not found")
    row = {
        "service_code": category.code,
        "attributes": [category_attributes.definition(a) for a in category.attributes.all()],
    }
    if fmt == "xml":
        root = ET.Element("service_definition")
        _fill(root, row)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="utf-8")
        return HttpResponse(body, content_type="text/xml; charset=utf-8")
    return JsonResponse(row, json_dumps_params={"ensure_ascii": False})


def _decimal(value: str | None):
    if value in (None, ""):
        return None
    try:
        return Decimal(value).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValueError(value) from None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_collection(request, fmt: str):
    if request.method == "POST":
        return _create(request, fmt)
    params = request.GET
    qs = selectors.public_requests()
    ids = [i.strip() for i in (params.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        qs = qs.filter(number__in=ids)
    else:
        codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()]
        if codes:
            qs = qs.filter(category__code__in=codes)
        start = parse_datetime(params.get("start_date") or "") if params.get("start_date") else None
        end = parse_datetime(params.get("end_date") or "") if params.get("end_date") else None
        if (params.get("start_date") and start is None) or (params.get("end_date") and end is None):
            return _error(fmt, 400, "start_date and end_date must be w3c datetimes")
        if start is None and end is None:
            start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
        if start is not None:
            qs = qs.filter(created_at__gte=start)
        if end is not None:
            qs = qs.filter(created_at__lte=end)
        statuses = {s.strip() for s in (params.get("status") or "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            return _error(fmt, 400, "status must be open or closed")
        if statuses == {"open"}:
            qs = qs.exclude(state=RequestState.CLOSED)
        elif statuses == {"closed"}:
            qs = qs.filter(state=RequestState.CLOSED)
    rows = [_request_row(r) for r in qs.order_by("-created_at")[:MAX_RESULTS]]
    return _render(fmt, rows, root="service_requests", child="request")


def _attribute_answers(data) -> dict[str, object]:
    """attribute[CODE]=v → {CODE: v}; attribute[CODE][]=a&attribute[CODE][]=b → {CODE: [a, b]}."""
    answers: dict[str, object] = {}
    for name in data:
        match = ATTRIBUTE_PARAM.match(name)
        if match is None:
            continue
        values = data.getlist(name)
        answers[match["code"]] = values if match["many"] or len(values) > 1 else values[0]
    return answers


def _create(request, fmt: str):
    data = request.POST
    key = services.api_key_check(data.get("api_key") or "")
    if key is None:
        return _error(fmt, 403, "api_key missing or invalid")
    code = (data.get("service_code") or "").strip()
    category = selectors.public_categories().filter(code=code).first() if code else None
    if category is None:
        # GeoReport v2: 404 for a code that names no service, 400 for a missing required parameter
        return (
            _error(fmt, 404, "service_code not found")
            if code
            else _error(fmt, 400, "service_code is required")
        )
    try:
        lat, lon = _decimal(data.get("lat")), _decimal(data.get("long"))
    except ValueError:
        return _error(fmt, 400, "lat and long must be numbers")
    address = (data.get("address_string") or "").strip()
    answers = _attribute_answers(data)
    definitions = list(category.attributes.all())
    located = (lat is not None and lon is not None) or address or data.get("address_id")
    located = located or any(
        a.role == AttributeRole.LOCATION and a.code in answers and answers[a.code] for a in definitions
    )
    if category.requires_location and not located:
        return _error(fmt, 400, "lat & long, address_string or address_id is required")
    first, last = (data.get("first_name") or "").strip(), (data.get("last_name") or "").strip()
    name = f"{last}{first}" if not (first + last).isascii() else f"{first} {last}".strip()
    try:
        obj = services.request_create(
            acting_user=None,
            kind=category.default_kind,
            channel=RequestChannel.API,
            category=category,
            content=data.get("description") or "",
            requester_name=name,
            requester_mobile=(data.get("phone") or "").strip(),
            address=address,
            latitude=lat,
            longitude=lon,
            media_url=(data.get("media_url") or "")[:200],
            api_key=key,
            idempotency_key=(data.get("device_id") or "")
            and f"{data.get('device_id')}:{data.get('description', '')[:20]}",
            attributes=answers,
        )
    except ApplicationError as exc:
        attribute_errors = [
            f"attribute[{name.removeprefix('attributes.')}]: {join_list(messages)}"
            for name, messages in exc.fields.items()
            if name.startswith("attributes.")
        ]
        return _error(fmt, exc.http_status, attribute_errors or str(exc.message))
    if obj.kind == RequestKind.REPORT:
        notice = _("举报已受理，举报人信息严格保密；举报不在公开接口中显示，请于%(due)s后致电热线查询结果。")
    else:
        notice = _("请于%(due)s前留意答复。")
    rows = [
        {
            "service_request_id": obj.number,
            "service_notice": notice % {"due": obj.due_on.isoformat()},
            "account_id": None,
        }
    ]
    return _render(fmt, rows, root="service_requests", child="request", status=201)


@require_http_methods(["GET"])
def request_detail(request, number: str, fmt: str):
    obj = selectors.public_requests().filter(number=number).first()
    if obj is None:
        return _error(fmt, 404, "service_request_id not found")
    return _render(fmt, [_request_row(obj)], root="service_requests", child="request")
