from rest_framework import serializers

from bianmin.notifications.constants import Category
from bianmin.notifications.models import Message


class MessageOutputSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    is_read = serializers.BooleanField(read_only=True)
    link = serializers.CharField(source="safe_link", read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "category",
            "category_label",
            "title",
            "body",
            "link",
            "target_kind",
            "target_ref",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class MessageReadAllInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)


class MessageReadAllOutputSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class MessageUnreadCountOutputSerializer(serializers.Serializer):
    unread = serializers.IntegerField()
    by_category = serializers.DictField(child=serializers.IntegerField())


class NotificationPreferenceOutputSerializer(serializers.Serializer):
    sms_enabled = serializers.BooleanField(
        help_text="接收非必要通知的短信（依法必须告知的办件通知始终发送短信）"
    )
    email_enabled = serializers.BooleanField(help_text="接收邮件通知（本平台开通邮件时）")
    email_available = serializers.BooleanField(help_text="本平台是否发送邮件通知")
    mandatory_sms = serializers.ListField(
        child=serializers.CharField(), help_text="无论如何都会发送短信的通知（依法必须告知）"
    )


class NotificationPreferenceUpdateInputSerializer(serializers.Serializer):
    sms_enabled = serializers.BooleanField(required=False)
    email_enabled = serializers.BooleanField(required=False)
