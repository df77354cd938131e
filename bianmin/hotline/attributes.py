"""A category's extra questions (Open311 service definition attributes): their choices and the checking of answers.

GeoReport v2 attributes: variable, code, datatype (string, number, datetime, text, singlevaluelist,
multivaluelist), required, datatype_description, order, description, values [{key, name}]. Answers
arrive as attribute[CODE]=value (attribute[CODE][]=value for a multivaluelist). List choices are fixed on
the attribute or taken live from reference data (departments, streets, halls), so a renamed department
never leaves a stale choice behind. The service (request_create) checks answers; Open311 and the JSON API
both pass them through it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from bianmin.hotline.constants import (
    LIST_DATATYPES,
    AttributeDatatype,
    AttributeRole,
    AttributeValuesSource,
)
from bianmin.web.text import join_list

MAX_STRING = 200
MAX_TEXT = 2000
TRUE_KEYS = {"true", "1", "yes"}


def attribute_choices(attribute) -> list[dict]:
    """The [{key, name}] choices of a list attribute, live for reference-data sources."""
    from bianmin.organisations.constants import RegionLevel
    from bianmin.organisations.models import Department, Hall, Region

    source = attribute.values_source
    if source == AttributeValuesSource.DEPARTMENTS:
        rows = Department.objects.filter(is_active=True).order_by("sort_order", "short_code")
        return [{"key": d.short_code, "name": d.name} for d in rows]
    if source == AttributeValuesSource.STREETS:
        rows = Region.objects.filter(level=RegionLevel.STREET, is_active=True).order_by("sort_order", "code")
        return [{"key": r.code, "name": r.name} for r in rows]
    if source == AttributeValuesSource.HALLS:
        return [
            {"key": str(h.pk), "name": h.name} for h in Hall.objects.filter(is_active=True).order_by("name")
        ]
    return [{"key": str(v.get("key", "")), "name": str(v.get("name", ""))} for v in attribute.values or []]


def definition(attribute) -> dict:
    """One attribute as GeoReport v2 describes it."""
    row = {
        "variable": attribute.is_variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.is_required and attribute.is_variable,
        "datatype_description": attribute.datatype_description or None,
        "order": attribute.order,
        "description": attribute.description,
    }
    if attribute.datatype in LIST_DATATYPES:
        row["values"] = attribute_choices(attribute)
    return row


@dataclass
class Answers:
    """Checked answers: what is stored on the request and what they change."""

    values: dict[str, object] = field(default_factory=dict)
    is_anonymous: bool | None = None
    department_code: str = ""
    location: str = ""


def _blank(value) -> bool:
    if isinstance(value, list):
        return not [v for v in value if str(v).strip()]
    return value is None or not str(value).strip()


def check(attributes, raw: dict[str, object]) -> tuple[Answers, dict[str, list[str]]]:
    """Check answers against a category's attributes; returns (answers, errors by attribute code).

    Unknown codes are ignored (clients written for other cities send their own), as are answers to
    informational (variable=false) attributes.
    """
    answers = Answers()
    errors: dict[str, list[str]] = {}
    for attribute in attributes:
        if not attribute.is_variable:
            continue
        value = raw.get(attribute.code)
        if _blank(value):
            if attribute.is_required:
                errors[attribute.code] = [_("必填：%(q)s") % {"q": attribute.description}]
            continue
        try:
            clean, label = _clean(attribute, value)
        except ValueError as exc:
            errors[attribute.code] = [str(exc)]
            continue
        answers.values[attribute.code] = clean
        if attribute.role == AttributeRole.ANONYMOUS:
            answers.is_anonymous = str(clean).lower() in TRUE_KEYS
        elif attribute.role == AttributeRole.DEPARTMENT:
            answers.department_code = str(clean)
        elif attribute.role == AttributeRole.LOCATION:
            answers.location = label
    return answers, errors


def _clean(attribute, value) -> tuple[object, str]:
    datatype = attribute.datatype
    if datatype in LIST_DATATYPES:
        choices = {c["key"]: c["name"] for c in attribute_choices(attribute)}
        given = value if isinstance(value, list) else [value]
        given = [str(v).strip() for v in given if str(v).strip()]
        if datatype == AttributeDatatype.SINGLE and len(given) > 1:
            raise ValueError(_("只能选择一项。"))
        wrong = [v for v in given if v not in choices]
        if wrong:
            raise ValueError(
                _("无效的选项：%(wrong)s；可选：%(keys)s")
                % {"wrong": join_list(wrong), "keys": join_list(choices) or "—"}
            )
        if datatype == AttributeDatatype.SINGLE:
            return given[0], choices[given[0]]
        # the label may become the request's stored address (a LOCATION answer): data, in Chinese whatever the
        # filer's language, like the names it joins
        return given, "、".join(choices[v] for v in given)
    text = (value[0] if isinstance(value, list) and value else str(value)).strip()
    if datatype == AttributeDatatype.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("须为数字。")) from None
        if not number.is_finite():
            raise ValueError(_("须为数字。"))
        return str(number), str(number)
    if datatype == AttributeDatatype.DATETIME:
        parsed = parse_datetime(text) or parse_date(text)
        if parsed is None:
            raise ValueError(_("须为 ISO 8601 日期或时间，如 2026-11-20T21:30:00+08:00。"))
        shown = parsed.isoformat() if isinstance(parsed, dt.datetime | dt.date) else text
        return shown, shown
    limit = MAX_STRING if datatype == AttributeDatatype.STRING else MAX_TEXT
    if len(text) > limit:
        raise ValueError(_("最多%(n)s个字。") % {"n": limit})
    return text, text


def labelled(attributes, values: dict[str, object]) -> list[tuple[str, str]]:
    """(question, answer as shown) pairs for a request page, in the attributes' order."""
    rows = []
    for attribute in attributes:
        if attribute.code not in values:
            continue
        value = values[attribute.code]
        if attribute.datatype in LIST_DATATYPES:
            choices = {c["key"]: c["name"] for c in attribute_choices(attribute)}
            keys = value if isinstance(value, list) else [value]
            shown = join_list(choices.get(str(k), str(k)) for k in keys)
        else:
            shown = str(value)
        rows.append((attribute.description, shown))
    return rows
