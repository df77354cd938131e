"""Serializers of the catalog API: uniquely named input and output shapes."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bianmin.catalog import flags
from bianmin.catalog.constants import (
    FormFieldKind,
    HandleKind,
    ItemStatus,
    ItemType,
    LimitUnit,
    MaterialForm,
    MaterialSource,
    Necessity,
    ResultType,
    Target,
    VersionState,
)
from bianmin.catalog.models import Certificate, FormField, ItemVersion, Material, ServiceItem, Theme
from bianmin.organisations.models import Department

# --------------------------------------------------------------------------------------------------
# shared small shapes
# --------------------------------------------------------------------------------------------------


class CatalogDepartmentOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["short_code", "name", "short_name"]


class CatalogThemeOutputSerializer(serializers.ModelSerializer):
    audience_label = serializers.CharField(source="get_audience_display", read_only=True)

    class Meta:
        model = Theme
        fields = ["code", "name", "audience", "audience_label"]


class LegalBasisSerializer(serializers.Serializer):
    law = serializers.CharField(max_length=300)
    article = serializers.CharField(max_length=200, required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)


class FeeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    standard = serializers.CharField(required=False, allow_blank=True)
    basis = serializers.CharField(required=False, allow_blank=True)


class SpecialStepSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    duration = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    unit = serializers.ChoiceField(choices=LimitUnit.choices, required=False)
    counted = serializers.BooleanField(required=False, default=False)


class TimeLimitOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField()
    unit_label = serializers.CharField()
    explanation = serializers.CharField()


def _limit(version: ItemVersion, which: str) -> dict:
    unit = getattr(version, f"{which}_limit_unit")
    return {
        "number": getattr(version, f"{which}_limit"),
        "unit": unit,
        "unit_label": str(LimitUnit(unit).label) if unit in LimitUnit.values else unit,
        "explanation": getattr(version, f"{which}_limit_explanation"),
    }


# --------------------------------------------------------------------------------------------------
# certificates
# --------------------------------------------------------------------------------------------------


class CertificateOutputSerializer(serializers.ModelSerializer):
    requesting_department = CatalogDepartmentOutputSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "name",
            "legal_basis",
            "requesting_department",
            "issuing_unit",
            "guide",
            "commitment_allowed",
            "alternative",
            "state",
            "state_label",
            "published_at",
        ]


class CertificateListInputSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, help_text="证明名称或开具单位中的文字")
    department = serializers.CharField(required=False, help_text="索要单位的4位部门简码")
    commitment = serializers.BooleanField(required=False, help_text="仅可告知承诺的证明")


class CertificateWriteInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    legal_basis = serializers.CharField()
    requesting_department = serializers.SlugRelatedField(
        slug_field="short_code", queryset=Department.objects.all()
    )
    issuing_unit = serializers.CharField(max_length=200)
    guide = serializers.CharField(required=False, allow_blank=True)
    commitment_allowed = serializers.BooleanField(required=False, default=False)
    alternative = serializers.CharField(required=False, allow_blank=True)


class CertificateRetireInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class MaterialCertificateOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = ["id", "name", "commitment_allowed", "alternative"]


# --------------------------------------------------------------------------------------------------
# materials and form fields
# --------------------------------------------------------------------------------------------------


class MaterialOutputSerializer(serializers.ModelSerializer):
    necessity_label = serializers.CharField(source="get_necessity_display", read_only=True)
    form_label = serializers.CharField(source="get_form_display", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    certificate = MaterialCertificateOutputSerializer(read_only=True, allow_null=True)
    blank_form_url = serializers.SerializerMethodField()
    sample_url = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = [
            "id",
            "order",
            "name",
            "necessity",
            "necessity_label",
            "form",
            "form_label",
            "original_count",
            "copy_count",
            "source",
            "source_label",
            "source_note",
            "is_certificate",
            "certificate",
            "licence_type_code",
            "blank_form_url",
            "sample_url",
            "notes",
        ]

    def _url(self, obj: Material, kind: str) -> str | None:
        if not getattr(obj, kind):
            return None
        path = reverse("catalog:material-file", kwargs={"pk": obj.pk, "kind": kind})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_blank_form_url(self, obj: Material) -> str | None:
        return self._url(obj, "blank_form")

    @extend_schema_field(OpenApiTypes.URI)
    def get_sample_url(self, obj: Material) -> str | None:
        return self._url(obj, "sample")


class FormFieldOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = FormField
        fields = [
            "id",
            "order",
            "key",
            "label",
            "kind",
            "kind_label",
            "required",
            "choices",
            "max_length",
            "help_text",
        ]


# --------------------------------------------------------------------------------------------------
# public items
# --------------------------------------------------------------------------------------------------


class ItemListInputSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, help_text="检索词，可用口语提问，如“办食品店要什么证”")
    department = serializers.CharField(
        required=False, help_text="实施主体的4位部门简码（其他数字按部门 id 处理）"
    )
    type = serializers.CharField(required=False, help_text="事项类型编码（01 05 07 08 09 10 20），可逗号分隔")
    target = serializers.ChoiceField(
        choices=Target.choices, required=False, help_text="服务对象：natural 或 legal"
    )
    theme = serializers.CharField(required=False, help_text="主题编码")
    level = serializers.CharField(required=False, help_text="行使层级编码，可逗号分隔")
    online = serializers.BooleanField(required=False, help_text="网上办")
    instant = serializers.BooleanField(required=False, help_text="马上办")
    nearby = serializers.BooleanField(required=False, help_text="就近办")
    one_visit = serializers.BooleanField(required=False, help_text="一次办")


class ItemListOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="current_version.name")
    aliases = serializers.ListField(source="current_version.aliases", child=serializers.CharField())
    type = serializers.ChoiceField(source="current_version.item_type", choices=ItemType.choices)
    type_label = serializers.CharField(source="current_version.get_item_type_display")
    status = serializers.ChoiceField(source="current_version.status", choices=ItemStatus.choices)
    status_label = serializers.CharField(source="current_version.get_status_display")
    exercise_level = serializers.CharField(source="current_version.exercise_level")
    service_objects = serializers.ListField(
        source="current_version.service_objects", child=serializers.CharField()
    )
    handle_kind = serializers.ChoiceField(source="current_version.handle_kind", choices=HandleKind.choices)
    department = CatalogDepartmentOutputSerializer(read_only=True)
    promised_limit_days = serializers.IntegerField(
        source="current_version.promised_limit_days", allow_null=True
    )
    statutory_limit_days = serializers.IntegerField(
        source="current_version.statutory_limit_days", allow_null=True
    )
    version = serializers.IntegerField(source="current_version.number")
    published_at = serializers.DateTimeField(source="current_version.published_at")
    is_instant = serializers.SerializerMethodField()
    is_online = serializers.SerializerMethodField()
    is_nearby = serializers.SerializerMethodField()
    is_one_visit = serializers.SerializerMethodField()

    class Meta:
        model = ServiceItem
        fields = [
            "code",
            "implementation_code",
            "handle_item_code",
            "catalog_code",
            "name",
            "aliases",
            "type",
            "type_label",
            "status",
            "status_label",
            "exercise_level",
            "service_objects",
            "handle_kind",
            "department",
            "promised_limit_days",
            "statutory_limit_days",
            "is_instant",
            "is_online",
            "is_nearby",
            "is_one_visit",
            "version",
            "published_at",
        ]

    def _flags(self, obj) -> dict:
        cache = getattr(obj, "_flags_cache", None)
        if cache is None:
            cache = obj._flags_cache = flags.item_flags(obj)
        return cache

    def get_is_instant(self, obj) -> bool:
        return self._flags(obj)["instant"]

    def get_is_online(self, obj) -> bool:
        return self._flags(obj)["online"]

    def get_is_nearby(self, obj) -> bool:
        return self._flags(obj)["nearby"]

    def get_is_one_visit(self, obj) -> bool:
        return self._flags(obj)["one_visit"]


class SubItemOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="current_version.name", default="")

    class Meta:
        model = ServiceItem
        fields = ["code", "name"]


class ItemDetailOutputSerializer(ItemListOutputSerializer):
    local_catalog_code = serializers.CharField()
    local_implementation_code = serializers.CharField()
    parent_code = serializers.CharField(source="parent.code", default=None, allow_null=True)
    sub_items = serializers.SerializerMethodField()
    conditions = serializers.CharField(source="current_version.conditions")
    process_steps = serializers.ListField(
        source="current_version.process_steps", child=serializers.CharField()
    )
    legal_bases = LegalBasisSerializer(source="current_version.legal_bases", many=True)
    statutory_limit = serializers.SerializerMethodField()
    promised_limit = serializers.SerializerMethodField()
    special_steps = SpecialStepSerializer(source="current_version.special_steps", many=True)
    handling_forms = serializers.ListField(
        source="current_version.handling_forms", child=serializers.CharField()
    )
    visits_required = serializers.IntegerField(source="current_version.visits_required")
    online_depth = serializers.ListField(source="current_version.online_depth", child=serializers.CharField())
    universal_scope = serializers.CharField(source="current_version.universal_scope")
    is_free = serializers.BooleanField(source="current_version.is_free")
    fees = FeeSerializer(source="current_version.fees", many=True)
    is_investment_project = serializers.BooleanField(source="current_version.is_investment_project")
    result_name = serializers.CharField(source="current_version.result_name")
    result_type = serializers.ChoiceField(source="current_version.result_type", choices=ResultType.choices)
    place_notes = serializers.CharField(source="current_version.place_notes")
    consultation_phone = serializers.CharField(source="current_version.consultation_phone")
    supervision_phone = serializers.CharField(source="current_version.supervision_phone")
    accepts_applications = serializers.SerializerMethodField()
    themes = CatalogThemeOutputSerializer(source="current_version.themes", many=True, read_only=True)
    partner_departments = CatalogDepartmentOutputSerializer(
        source="current_version.partner_departments", many=True, read_only=True
    )
    materials = MaterialOutputSerializer(source="current_version.materials", many=True, read_only=True)
    form_fields = FormFieldOutputSerializer(source="current_version.form_fields", many=True, read_only=True)

    class Meta(ItemListOutputSerializer.Meta):
        fields = [
            *ItemListOutputSerializer.Meta.fields,
            "local_catalog_code",
            "local_implementation_code",
            "parent_code",
            "sub_items",
            "conditions",
            "process_steps",
            "legal_bases",
            "statutory_limit",
            "promised_limit",
            "special_steps",
            "handling_forms",
            "visits_required",
            "online_depth",
            "universal_scope",
            "is_free",
            "fees",
            "is_investment_project",
            "result_name",
            "result_type",
            "place_notes",
            "consultation_phone",
            "supervision_phone",
            "accepts_applications",
            "themes",
            "partner_departments",
            "materials",
            "form_fields",
        ]

    @extend_schema_field(SubItemOutputSerializer(many=True))
    def get_sub_items(self, obj):
        subs = [s for s in obj.sub_items.all() if s.current_version_id]
        return SubItemOutputSerializer(subs, many=True).data

    def get_accepts_applications(self, obj) -> bool:
        return obj.accepts_applications()

    @extend_schema_field(TimeLimitOutputSerializer)
    def get_statutory_limit(self, obj):
        return _limit(obj.current_version, "statutory")

    @extend_schema_field(TimeLimitOutputSerializer)
    def get_promised_limit(self, obj):
        return _limit(obj.current_version, "promised")


# --------------------------------------------------------------------------------------------------
# editing: item versions
# --------------------------------------------------------------------------------------------------


class ItemVersionListInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=VersionState.choices, required=False)
    item = serializers.CharField(required=False, help_text="事项编码 code")


class ItemVersionListOutputSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code")
    department = CatalogDepartmentOutputSerializer(source="item.department", read_only=True)
    state_label = serializers.CharField(source="get_state_display")
    codes_valid = serializers.BooleanField(source="item.codes_valid")

    class Meta:
        model = ItemVersion
        fields = [
            "id",
            "item_code",
            "number",
            "name",
            "state",
            "state_label",
            "status",
            "department",
            "codes_valid",
            "needs_correction",
            "review_comments",
            "submitted_at",
            "published_at",
            "retired_at",
            "updated_at",
        ]


class ItemVersionDetailOutputSerializer(ItemVersionListOutputSerializer):
    item_type_label = serializers.CharField(source="get_item_type_display")
    legal_bases = LegalBasisSerializer(many=True)
    fees = FeeSerializer(many=True)
    special_steps = SpecialStepSerializer(many=True)
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    partner_departments = serializers.SlugRelatedField(slug_field="short_code", many=True, read_only=True)
    materials = MaterialOutputSerializer(many=True, read_only=True)
    form_fields = FormFieldOutputSerializer(many=True, read_only=True)
    promised_limit_days = serializers.IntegerField(allow_null=True)
    statutory_limit_days = serializers.IntegerField(allow_null=True)

    class Meta(ItemVersionListOutputSerializer.Meta):
        fields = [
            *ItemVersionListOutputSerializer.Meta.fields,
            "aliases",
            "item_type",
            "item_type_label",
            "exercise_level",
            "service_objects",
            "conditions",
            "process_steps",
            "legal_bases",
            "statutory_limit",
            "statutory_limit_unit",
            "statutory_limit_explanation",
            "promised_limit",
            "promised_limit_unit",
            "promised_limit_explanation",
            "statutory_limit_days",
            "promised_limit_days",
            "special_steps",
            "handle_kind",
            "handling_forms",
            "visits_required",
            "online_depth",
            "universal_scope",
            "is_free",
            "fees",
            "is_investment_project",
            "result_name",
            "result_type",
            "place_notes",
            "consultation_phone",
            "supervision_phone",
            "is_instant",
            "is_online",
            "is_one_visit",
            "is_nearby_scope",
            "themes",
            "partner_departments",
            "materials",
            "form_fields",
        ]


class MaterialInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text="保留已有材料（及其附件）时填写")
    order = serializers.IntegerField(min_value=0, required=False)
    name = serializers.CharField(max_length=300)
    necessity = serializers.ChoiceField(choices=Necessity.choices, required=False)
    form = serializers.ChoiceField(choices=MaterialForm.choices, required=False)
    original_count = serializers.IntegerField(min_value=0, required=False)
    copy_count = serializers.IntegerField(min_value=0, required=False)
    source = serializers.ChoiceField(choices=MaterialSource.choices, required=False)
    source_note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    is_certificate = serializers.BooleanField(required=False)
    certificate = serializers.PrimaryKeyRelatedField(
        queryset=Certificate.objects.all(), required=False, allow_null=True
    )
    licence_type_code = serializers.CharField(required=False, allow_blank=True, max_length=32)
    notes = serializers.CharField(required=False, allow_blank=True)


class FormFieldInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    order = serializers.IntegerField(min_value=0, required=False)
    key = serializers.CharField(max_length=50)
    label = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=FormFieldKind.choices, required=False)
    required = serializers.BooleanField(required=False, default=True)
    choices = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    max_length = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    help_text = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ItemVersionUpdateInputSerializer(serializers.Serializer):
    """Partial update of a draft. Lists (materials, form_fields) replace the whole list when given."""

    status = serializers.ChoiceField(choices=ItemStatus.choices, required=False)
    name = serializers.CharField(max_length=200, required=False)
    aliases = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    item_type = serializers.ChoiceField(choices=ItemType.choices, required=False)
    exercise_level = serializers.CharField(max_length=1, required=False)
    service_objects = serializers.ListField(child=serializers.CharField(max_length=2), required=False)
    conditions = serializers.CharField(required=False, allow_blank=True)
    process_steps = serializers.ListField(child=serializers.CharField(), required=False)
    legal_bases = LegalBasisSerializer(many=True, required=False)
    statutory_limit = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    statutory_limit_unit = serializers.ChoiceField(choices=LimitUnit.choices, required=False)
    statutory_limit_explanation = serializers.CharField(required=False, allow_blank=True)
    promised_limit = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    promised_limit_unit = serializers.ChoiceField(choices=LimitUnit.choices, required=False)
    promised_limit_explanation = serializers.CharField(required=False, allow_blank=True)
    special_steps = SpecialStepSerializer(many=True, required=False)
    handle_kind = serializers.ChoiceField(choices=HandleKind.choices, required=False)
    handling_forms = serializers.ListField(child=serializers.CharField(max_length=1), required=False)
    visits_required = serializers.IntegerField(min_value=0, required=False)
    online_depth = serializers.ListField(child=serializers.CharField(max_length=1), required=False)
    universal_scope = serializers.CharField(max_length=1, required=False, allow_blank=True)
    is_free = serializers.BooleanField(required=False)
    fees = FeeSerializer(many=True, required=False)
    is_investment_project = serializers.BooleanField(required=False)
    result_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    result_type = serializers.ChoiceField(choices=ResultType.choices, required=False)
    place_notes = serializers.CharField(required=False, allow_blank=True)
    consultation_phone = serializers.CharField(max_length=64, required=False, allow_blank=True)
    supervision_phone = serializers.CharField(max_length=64, required=False, allow_blank=True)
    themes = serializers.SlugRelatedField(
        slug_field="code", queryset=Theme.objects.all(), many=True, required=False
    )
    partner_departments = serializers.SlugRelatedField(
        slug_field="short_code", queryset=Department.objects.all(), many=True, required=False
    )
    materials = MaterialInputSerializer(many=True, required=False)
    form_fields = FormFieldInputSerializer(many=True, required=False)


class ItemVersionCreateInputSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="事项编码 code：复制现行版本，新建草稿")


class ItemCreateInputSerializer(ItemVersionUpdateInputSerializer):
    """A new item with its first draft."""

    department = serializers.SlugRelatedField(slug_field="short_code", queryset=Department.objects.all())
    implementation_code = serializers.CharField(max_length=31)
    catalog_code = serializers.CharField(max_length=12)
    handle_item_code = serializers.CharField(max_length=50, required=False, allow_blank=True)
    local_catalog_code = serializers.CharField(max_length=50, required=False, allow_blank=True)
    local_implementation_code = serializers.CharField(max_length=50, required=False, allow_blank=True)
    parent = serializers.CharField(required=False, allow_blank=True, help_text="主项的事项编码")
    name = serializers.CharField(max_length=200)
    item_type = serializers.ChoiceField(choices=ItemType.choices)
    exercise_level = serializers.CharField(max_length=1)
    service_objects = serializers.ListField(child=serializers.CharField(max_length=2))


class ItemVersionReturnInputSerializer(serializers.Serializer):
    comments = serializers.CharField(help_text="退回意见")


class ItemVersionRetireInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class ItemVersionDiffInputSerializer(serializers.Serializer):
    against = serializers.IntegerField(required=False, help_text="对比的版本 id；缺省为同一事项的上一个版本")


class ItemVersionDiffRowOutputSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class ItemVersionDiffOutputSerializer(serializers.Serializer):
    old_version = serializers.IntegerField(allow_null=True)
    new_version = serializers.IntegerField()
    changes = ItemVersionDiffRowOutputSerializer(many=True)
