"""/api/v1/messages/: the signed-in user's own messages (anyone else's is 404)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from bianmin.notifications import selectors, services
from bianmin.notifications.api import serializers as s
from bianmin.notifications.constants import MANDATORY_NOTICES, Category
from bianmin.notifications.exceptions import MessageInvalid

ERROR = OpenApiResponse(description="{code, detail, fields}")


class MessageListApi(GenericAPIView):
    serializer_class = s.MessageOutputSerializer
    filter_backends: list = []

    @extend_schema(
        operation_id="messages_list",
        summary="我的消息（最新在前）",
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL, description="只看未读"),
            OpenApiParameter("category", OpenApiTypes.STR, enum=Category.values, description="消息类别"),
        ],
        responses={200: s.MessageOutputSerializer(many=True), 400: ERROR},
    )
    def get(self, request):
        category = request.query_params.get("category") or ""
        if category and category not in Category.values:
            raise MessageInvalid(_("无效的消息类别。"), fields={"category": [_("无效的消息类别。")]})
        qs = selectors.message_list(user=request.user, filters=request.query_params)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.MessageOutputSerializer(page, many=True).data)


class MessageDetailApi(APIView):
    @extend_schema(
        operation_id="messages_retrieve",
        summary="消息详情（不改变已读状态）",
        responses={200: s.MessageOutputSerializer, 404: ERROR},
    )
    def get(self, request, pk: int):
        return Response(
            s.MessageOutputSerializer(selectors.message_get_for_user(user=request.user, pk=pk)).data
        )


class MessageReadApi(APIView):
    @extend_schema(
        operation_id="messages_read",
        summary="标为已读",
        request=None,
        responses={200: s.MessageOutputSerializer, 404: ERROR},
    )
    def post(self, request, pk: int):
        message = services.message_mark_read(message=pk, acting_user=request.user)
        return Response(s.MessageOutputSerializer(message).data)


class MessageReadAllApi(APIView):
    @extend_schema(
        operation_id="messages_read_all",
        summary="全部标为已读（可限定类别）",
        request=s.MessageReadAllInputSerializer,
        responses={200: s.MessageReadAllOutputSerializer, 400: ERROR},
    )
    def post(self, request):
        data = s.MessageReadAllInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.message_mark_all_read(
            acting_user=request.user, category=data.validated_data.get("category") or None
        )
        return Response({"marked": marked})


class MessageUnreadCountApi(APIView):
    @extend_schema(
        operation_id="messages_unread_count",
        summary="未读消息数",
        responses={200: s.MessageUnreadCountOutputSerializer},
    )
    def get(self, request):
        counts = selectors.unread_by_category(user=request.user)
        total = counts.pop("all")
        return Response({"unread": total, "by_category": {c: counts.get(c, 0) for c in Category.values}})


def _preference_data(user) -> dict:
    preference = selectors.preference_for_user(user=user)
    return {
        "sms_enabled": preference.sms_enabled,
        "email_enabled": preference.email_enabled,
        "email_available": services.email_available(),
        "mandatory_sms": [str(label) for label in MANDATORY_NOTICES],
    }


class NotificationPreferenceApi(APIView):
    @extend_schema(
        operation_id="messages_preferences_retrieve",
        summary="我的通知方式（短信、邮件）",
        responses={200: s.NotificationPreferenceOutputSerializer},
    )
    def get(self, request):
        return Response(_preference_data(request.user))

    @extend_schema(
        operation_id="messages_preferences_update",
        summary="修改通知方式：是否同时接收短信、邮件（站内消息总会收到）",
        request=s.NotificationPreferenceUpdateInputSerializer,
        responses={200: s.NotificationPreferenceOutputSerializer, 400: ERROR},
    )
    def patch(self, request):
        data = s.NotificationPreferenceUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.preference_update(acting_user=request.user, **data.validated_data)
        return Response(_preference_data(request.user))
