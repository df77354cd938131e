from rest_framework import serializers

from bianmin.audit.models import AuditEntry


class AuditEntryListInputSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="起始日期（含），本地时区")
    date_to = serializers.DateField(required=False, help_text="截止日期（含），本地时区")
    actor = serializers.CharField(
        required=False, allow_blank=True, max_length=150, help_text="账号（包含匹配）或用户编号"
    )
    role = serializers.CharField(required=False, allow_blank=True, max_length=32)
    action = serializers.CharField(
        required=False, allow_blank=True, max_length=65, help_text="动作；以 * 结尾按前缀匹配"
    )
    object_type = serializers.CharField(required=False, allow_blank=True, max_length=64)
    object_id = serializers.CharField(required=False, allow_blank=True, max_length=64)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": "截止日期不能早于起始日期。"})
        return attrs


class AuditEntryOutputSerializer(serializers.ModelSerializer):
    actor = serializers.IntegerField(source="actor_id", allow_null=True, read_only=True)
    changes = serializers.JSONField(read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "partition",
            "seq",
            "created_at",
            "actor",
            "actor_label",
            "actor_role",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "ip_address",
        ]
        read_only_fields = fields
