import django_filters

from bianmin.organisations.constants import DepartmentKind, HallKind, RegionLevel
from bianmin.organisations.models import Department, Hall, Region
from bianmin.organisations.selectors import region_code_prefix, text_filter


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

    class Meta:
        model = Hall
        fields = ["kind", "region", "department", "q"]

    def filter_region(self, qs, name, value):
        return qs.filter(region__code__startswith=region_code_prefix(value))

    def filter_department(self, qs, name, value):
        return qs.filter(windows__departments__short_code=value, windows__is_active=True).distinct()

    def filter_q(self, qs, name, value):
        return text_filter(qs, value, "name", "address")
