import math
from decimal import Decimal, InvalidOperation

import django_filters
from django.db.models import DecimalField, ExpressionWrapper, F, Value
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from bianmin.organisations.constants import DepartmentKind, HallKind, RegionLevel
from bianmin.organisations.models import Department, Hall, Region
from bianmin.organisations.selectors import region_code_prefix, text_filter


def parse_point(value: str) -> tuple[Decimal, Decimal] | None:
    try:
        lat, lng = (Decimal(part.strip()) for part in (value or "").split(","))
    except (ValueError, InvalidOperation):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = django_filters.CharFilter(field_name="parent__code", help_text="上级区划代码（12位）")
    within = django_filters.CharFilter(method="filter_within", help_text="区划代码：返回其下所有层级")
    q = django_filters.CharFilter(method="filter_q", help_text="名称或代码")

    class Meta:
        model = Region
        fields = ["level", "parent", "within", "q"]

    def filter_within(self, qs, name, value):
        return qs.filter(code__startswith=region_code_prefix(value))

    def filter_q(self, qs, name, value):
        return text_filter(qs, value, "name", "code")


class DepartmentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DepartmentKind.choices)
    region = django_filters.CharFilter(
        method="filter_region", help_text="区划代码：返回该区划及其下属区划的部门"
    )
    q = django_filters.CharFilter(method="filter_q", help_text="名称、简称或统一社会信用代码")

    class Meta:
        model = Department
        fields = ["kind", "region", "q"]

    def filter_region(self, qs, name, value):
        return qs.filter(region__code__startswith=region_code_prefix(value))

    def filter_q(self, qs, name, value):
        return text_filter(qs, value, "name", "short_name", "uscc")


class HallFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=HallKind.choices)
    region = django_filters.CharFilter(
        method="filter_region", help_text="区划代码：返回该区划及其下属区划的大厅"
    )
    department = django_filters.CharFilter(
        method="filter_department", help_text="部门简码：返回有该部门进驻窗口的大厅"
    )
    q = django_filters.CharFilter(method="filter_q", help_text="名称或地址")
    near = django_filters.CharFilter(
        method="filter_near", help_text="纬度,经度：按距离由近到远排序，如 23.37,116.70"
    )

    class Meta:
        model = Hall
        fields = ["kind", "region", "department", "q", "near"]

    def filter_near(self, qs, name, value):
        point = parse_point(value)
        if point is None:
            raise ValidationError({"near": [_("请按“纬度,经度”填写，如 23.37,116.70。")]})
        lat, lng = point
        scale = Decimal(str(round(math.cos(math.radians(float(lat))), 6)))  # a degree of longitude is shorter
        dlat = ExpressionWrapper(
            F("latitude") - Value(lat), output_field=DecimalField(max_digits=12, decimal_places=6)
        )
        dlng = ExpressionWrapper(
            (F("longitude") - Value(lng)) * Value(scale),
            output_field=DecimalField(max_digits=18, decimal_places=12),
        )
        return (
            qs.filter(latitude__isnull=False, longitude__isnull=False)
            .annotate(distance_sq=dlat * dlat + dlng * dlng)
            .order_by("distance_sq", "pk")
        )

    def filter_region(self, qs, name, value):
        return qs.filter(region__code__startswith=region_code_prefix(value))

    def filter_department(self, qs, name, value):
        return qs.filter(windows__departments__short_code=value, windows__is_active=True).distinct()

    def filter_q(self, qs, name, value):
        return text_filter(qs, value, "name", "address")
