"""Reads of reference data. Organisations are public: active rows for everyone, inactive ones for admins."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from bianmin.organisations.models import Department, Hall, Region, Window


def region_code_prefix(code: str) -> str:
    """The significant prefix of a 12-digit 区划代码: 440507000000 -> 440507, 440507001000 -> 440507001."""
    code = (code or "").strip()
    if len(code) != 12 or not code.isdigit():
        return code
    for size in (2, 4, 6, 9):
        if set(code[size:]) == {"0"}:
            return code[:size]
    return code


def region_list(*, include_inactive: bool = False) -> QuerySet[Region]:
    qs = Region.objects.select_related("parent")
    return qs if include_inactive else qs.filter(is_active=True)


def department_list(*, include_inactive: bool = False) -> QuerySet[Department]:
    qs = Department.objects.select_related("region", "parent")
    return qs if include_inactive else qs.filter(is_active=True)


def hall_list(*, include_inactive: bool = False) -> QuerySet[Hall]:
    qs = Hall.objects.select_related("region", "managing_department")
    return qs if include_inactive else qs.filter(is_active=True)


def hall_with_windows() -> QuerySet[Hall]:
    windows = Window.objects.filter(is_active=True).prefetch_related(
        Prefetch("departments", queryset=Department.objects.only("pk", "name", "short_name", "short_code"))
    )
    return hall_list().prefetch_related(Prefetch("windows", queryset=windows))


def window_list(*, hall: Hall | None = None, include_inactive: bool = True) -> QuerySet[Window]:
    qs = Window.objects.select_related("hall").prefetch_related(
        Prefetch("departments", queryset=Department.objects.only("pk", "name", "short_name", "short_code"))
    )
    if hall is not None:
        qs = qs.filter(hall=hall)
    return qs if include_inactive else qs.filter(is_active=True)


def hall_get(*, pk: int) -> Hall:
    return get_object_or_404(hall_with_windows(), pk=pk)


def text_filter(qs: QuerySet, value: str, *fields: str) -> QuerySet:
    cond = Q()
    for field in fields:
        cond |= Q(**{f"{field}__icontains": value.strip()})
    return qs.filter(cond)
