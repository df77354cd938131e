from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bianmin.hotline import attributes as category_attributes
from bianmin.hotline import rules
from bianmin.hotline.constants import RequestChannel, RequestKind
from bianmin.hotline.models import FaqEntry, RequestCategory, RequestEvent, ServiceRequest
from bianmin.hotline.selectors import request_events_for_user


class CategoryAttributeValueOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class CategoryAttributeOutputSerializer(serializers.Serializer):
    """One extra question of a category, as Open311 GeoReport v2 defines a service attribute."""

    variable = serializers.BooleanField()
    code = serializers.CharField()
    datatype = serializers.CharField()
    required = serializers.BooleanField()
    datatype_description = serializers.CharField(allow_null=True)
    order = serializers.IntegerField()
    description = serializers.CharField()
    values = CategoryAttributeValueOutputSerializer(many=True, required=False)


class RequestCategoryOutputSerializer(serializers.ModelSerializer):
    attributes = serializers.SerializerMethodField()

    class Meta:
        model = RequestCategory
        fields = ["code", "name", "description", "group", "default_kind", "requires_location", "attributes"]

    @extend_schema_field(CategoryAttributeOutputSerializer(many=True))
    def get_attributes(self, obj):
        return [category_attributes.definition(a) for a in obj.attributes.all()]


class RequestAttributeAnswerOutputSerializer(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.CharField()


class RequestEventOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    department = serializers.CharField(source="department.name", default="")

    class Meta:
        model = RequestEvent
        fields = ["kind", "kind_label", "department", "note", "created_at"]


class ServiceRequestListOutputSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display")
    state_label = serializers.CharField(source="get_state_display")
    department = serializers.CharField(source="department.name", default="")
    category = serializers.CharField(source="category.code", default="")

    class Meta:
        model = ServiceRequest
        fields = [
            "number",
            "kind",
            "kind_label",
            "channel",
            "category",
            "title",
            "state",
            "state_label",
            "department",
            "received_on",
            "due_on",
            "is_overdue",
            "is_anonymous",
        ]

    def _sees(self, obj) -> bool:
        user = self.context.get("user")
        return user is not None and rules.sees_identity(user, obj)

    def get_title(self, obj) -> str:
        return obj.title if self._sees(obj) else obj.redact(obj.title)


class ServiceRequestDetailOutputSerializer(ServiceRequestListOutputSerializer):
    """Identity only for those who may see it: never the 举报人 to the department concerned."""

    content = serializers.SerializerMethodField()
    requester_name = serializers.SerializerMethodField()
    requester_mobile = serializers.SerializerMethodField()
    suggested_department = serializers.CharField(source="suggested_department.name", default="")
    attributes = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta(ServiceRequestListOutputSerializer.Meta):
        fields = [
            *ServiceRequestListOutputSerializer.Meta.fields,
            "content",
            "address",
            "attributes",
            "requester_name",
            "requester_mobile",
            "suggested_department",
            "limit_days",
            "dispatch_count",
            "return_count",
            "return_reason",
            "answer",
            "answered_at",
            "close_reason",
            "closed_at",
            "is_satisfied",
            "events",
        ]

    def get_content(self, obj) -> str:
        return obj.content if self._sees(obj) else obj.redact(obj.content)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requester_name(self, obj):
        return (obj.requester_name or None) if self._sees(obj) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requester_mobile(self, obj):
        return (obj.requester_mobile or None) if self._sees(obj) else None

    @extend_schema_field(RequestAttributeAnswerOutputSerializer(many=True))
    def get_attributes(self, obj):
        if not obj.attributes or obj.category is None:
            return []
        rows = category_attributes.labelled(obj.category.attributes.all(), obj.attributes)
        return [{"question": q, "answer": a} for q, a in rows]

    @extend_schema_field(RequestEventOutputSerializer(many=True))
    def get_events(self, obj):
        events = request_events_for_user(obj, user=self.context["user"])
        return RequestEventOutputSerializer(events, many=True).data


class ServiceRequestCreateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    channel = serializers.ChoiceField(choices=RequestChannel.choices, default=RequestChannel.WEB)
    category = serializers.SlugField(required=False, allow_blank=True)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    content = serializers.CharField(max_length=4000)
    is_anonymous = serializers.BooleanField(default=False)
    requester_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    requester_mobile = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    attributes = serializers.DictField(
        required=False,
        help_text="类别附加信息的回答 {编码: 值}，多选为数组；定义见 /api/v1/request-categories/",
    )


class RequestClassifyInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    category = serializers.SlugField(required=False, allow_blank=True, default="")


class RequestDispatchInputSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RequestReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RequestAnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)


class RequestConfirmInputSerializer(serializers.Serializer):
    is_satisfied = serializers.BooleanField(default=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RequestCallbackInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000)
    is_satisfied = serializers.BooleanField(required=False, allow_null=True, default=None)


class RequestReviewInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class FaqOutputSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", default="")
    department = serializers.CharField(source="department.name", default="")

    class Meta:
        model = FaqEntry
        fields = ["id", "code", "question", "answer", "keywords", "item_code", "department", "updated_at"]


class FaqCreateInputSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=60)
    question = serializers.CharField(max_length=200)
    answer = serializers.CharField(max_length=4000)
    keywords = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    item_code = serializers.CharField(max_length=82, required=False, allow_blank=True, default="")


class GuideItemOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField()
    materials_count = serializers.IntegerField()
    time_limit = serializers.CharField()
    where = serializers.CharField()
    is_online = serializers.BooleanField()
    is_instant = serializers.BooleanField()
    url = serializers.CharField()
    apply_url = serializers.CharField()


class GuideFaqOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField()
    score = serializers.FloatField()
    item_code = serializers.CharField()
    item_url = serializers.CharField()


class GuideOutputSerializer(serializers.Serializer):
    q = serializers.CharField()
    items = GuideItemOutputSerializer(many=True)
    faqs = GuideFaqOutputSerializer(many=True)
