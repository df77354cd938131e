import math

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bianmin.organisations.models import Department, Hall, Region, Window


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
        fields = ["id", "number", "name", "kind", "kind_label", "departments"]


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
