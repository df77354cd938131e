"""GET /api/v1/audit/: the audit trail for supervisors and platform administrators (403 for others)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import BasePermission

from bianmin.audit import selectors
from bianmin.audit.api.serializers import AuditEntryListInputSerializer, AuditEntryOutputSerializer


class CanBrowseAudit(BasePermission):
    message = _("只有效能监督员和平台管理员可以查看审计日志。")

    def has_permission(self, request, view):
        return selectors.audit_can_browse(request.user)


class AuditEntryListApi(generics.ListAPIView):
    permission_classes = [CanBrowseAudit]
    serializer_class = AuditEntryOutputSerializer
    filter_backends: list = []

    @extend_schema(
        operation_id="audit_entry_list",
        parameters=[AuditEntryListInputSerializer],
        summary="审计日志（全过程记录）",
        description="新的在前；个人信息已脱敏。仅效能监督员与平台管理员可用，其他用户 403。",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = AuditEntryListInputSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.audit_entry_list(user=self.request.user, filters=filters.validated_data)
