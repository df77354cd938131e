import math

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bianmin.organisations.models import Department, Hall, Region, Window
from bianmin.web.text import join_list


class RegionOutputSerializer(serializers.ModelSerializer):
    level = serializers.CharField(read_only=True, help_text="province / city / district / street / community")
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "short_code", "name", "level", "level_label", "parent_code"]


class DepartmentOutputSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="government / street_office / vertical / institution / other"
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    parent_short_code = serializers.CharField(source="parent.short_code", default=None, read_only=True)

    class Meta:
        model = Department
        fields = [
            "short_code",
            "name",
            "short_name",
            "uscc",
            "kind",
            "kind_label",
            "region_code",
            "region_name",
            "parent_short_code",
            "phone",
            "address",
        ]


class WindowDepartmentOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["short_code", "name", "short_name"]


class WindowOutputSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="comprehensive / special / pickup / consultation")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    departments = WindowDepartmentOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Window
        fields = ["id", "hall", "number", "name", "kind", "kind_label", "is_active", "departments"]


class HallOutputSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="district_centre / street_hall / community_station"
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    managing_department = serializers.CharField(
        source="managing_department.short_code", default=None, read_only=True
    )
    distance_km = serializers.SerializerMethodField()
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=True, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=True, allow_null=True
    )

    class Meta:
        model = Hall
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "region_code",
            "region_name",
            "address",
            "latitude",
            "longitude",
            "phone",
            "opening_hours",
            "managing_department",
            "distance_km",
        ]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_distance_km(self, obj):
        """Great-circle distance to ?near=lat,lng (null without it)."""
        point = self.context.get("near")
        if point is None or obj.latitude is None or obj.longitude is None:
            return None
        lat1, lng1, lat2, lng2 = map(
            math.radians, (float(point[0]), float(point[1]), obj.latitude, obj.longitude)
        )
        a = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
        )
        return round(2 * 6371.0 * math.asin(math.sqrt(a)), 2)


class HallDetailOutputSerializer(HallOutputSerializer):
    windows = WindowOutputSerializer(many=True, read_only=True)

    class Meta(HallOutputSerializer.Meta):
        fields = [*HallOutputSerializer.Meta.fields, "windows"]


# --- writing halls and windows (platform admins; a hall manager for their own hall) -----------------


class HallUpdateInputSerializer(serializers.Serializer):
    """All fields optional (PATCH). A hall manager may change address, position, phone and opening hours."""

    name = serializers.CharField(required=False, max_length=100)
    kind = serializers.CharField(
        required=False, help_text="district_centre / street_hall / community_station"
    )
    region = serializers.CharField(required=False, help_text="所在区划代码（12位）")
    address = serializers.CharField(required=False, max_length=200)
    latitude = serializers.DecimalField(
        required=False, allow_null=True, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = serializers.DecimalField(
        required=False, allow_null=True, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    opening_hours = serializers.CharField(required=False, max_length=200)
    managing_department = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="管理单位部门简码"
    )
    is_active = serializers.BooleanField(required=False)
    sort_order = serializers.IntegerField(required=False, min_value=0)

    def validate(self, attrs):
        if ("latitude" in attrs) != ("longitude" in attrs) or (
            (attrs.get("latitude") is None) != (attrs.get("longitude") is None)
        ):
            raise serializers.ValidationError({"latitude": [_("纬度和经度须同时填写（或同时清空）。")]})
        if "region" in attrs:
            region = Region.objects.filter(code=attrs["region"], is_active=True).first()
            if region is None:
                raise serializers.ValidationError({"region": [_("区划代码不存在。")]})
            attrs["region"] = region
        if attrs.get("managing_department"):
            department = Department.objects.filter(short_code=attrs["managing_department"]).first()
            if department is None:
                raise serializers.ValidationError({"managing_department": [_("部门简码不存在。")]})
            attrs["managing_department"] = department
        elif "managing_department" in attrs:
            attrs["managing_department"] = None
        return attrs


class HallCreateInputSerializer(HallUpdateInputSerializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.CharField(help_text="district_centre / street_hall / community_station")
    region = serializers.CharField(help_text="所在区划代码（12位）")
    address = serializers.CharField(max_length=200)


class WindowUpdateInputSerializer(serializers.Serializer):
    number = serializers.CharField(required=False, max_length=16)
    name = serializers.CharField(required=False, max_length=100)
    kind = serializers.CharField(required=False, help_text="comprehensive / special / pickup / consultation")
    is_active = serializers.BooleanField(required=False)
    departments = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="进驻部门简码列表"
    )

    def validate_departments(self, value):
        codes = list(dict.fromkeys(value))
        found = {d.short_code: d for d in Department.objects.filter(short_code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise serializers.ValidationError(_("部门简码不存在：%(c)s") % {"c": join_list(missing)})
        return [found[c] for c in codes]


class WindowCreateInputSerializer(WindowUpdateInputSerializer):
    number = serializers.CharField(max_length=16)
    name = serializers.CharField(max_length=100)
    kind = serializers.CharField(help_text="comprehensive / special / pickup / consultation")
