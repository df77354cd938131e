"""Catalog API: the public catalog and certificate list (read-only), and the editing API for catalog staff.

Views are thin: they parse input, call a selector or a service, and render the output.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from bianmin.catalog import rules, selectors, services
from bianmin.catalog.api import serializers as s
from bianmin.catalog.models import ItemVersion, ServiceItem
from bianmin.core.exceptions import NotFound

ERROR_RESPONSE = OpenApiResponse(description="{code, detail, fields}")


class IsCatalogStaff(permissions.BasePermission):
    """Department catalog editors and platform administrators."""

    message = _("只有部门事项编辑和平台管理员可以使用事项编辑接口。")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and rules.is_catalog_staff(request.user))


# --------------------------------------------------------------------------------------------------
# public catalog
# --------------------------------------------------------------------------------------------------


class ItemListApi(GenericAPIView):
    """The published catalog (办事指南 list), with filters and text search."""

    permission_classes = [permissions.AllowAny]
    serializer_class = s.ItemListOutputSerializer
    filter_backends: list = []

    @extend_schema(
        operation_id="items_list",
        summary="已发布事项列表",
        parameters=[s.ItemListInputSerializer],
        responses={200: s.ItemListOutputSerializer(many=True), 400: ERROR_RESPONSE},
        tags=["catalog"],
    )
    def get(self, request):
        params = s.ItemListInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = {k: ("1" if v is True else v) for k, v in params.validated_data.items() if v is not False}
        qs = selectors.published_item_list(filters=filters)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ItemDetailApi(APIView):
    """One published item's full guide by its `code`, with materials and form fields."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="items_retrieve",
        summary="事项办事指南",
        responses={200: s.ItemDetailOutputSerializer, 404: ERROR_RESPONSE},
        tags=["catalog"],
    )
    def get(self, request, code: str):
        item = selectors.published_item_get(code=code)
        return Response(s.ItemDetailOutputSerializer(item, context={"request": request}).data)


class CertificateListApi(GenericAPIView):
    """The published 证明事项清单 (public); POST registers a new entry as a draft (catalog staff)."""

    serializer_class = s.CertificateOutputSerializer
    filter_backends: list = []

    def get_permissions(self):
        return [IsCatalogStaff()] if self.request.method == "POST" else [permissions.AllowAny()]

    @extend_schema(
        operation_id="certificates_list",
        summary="证明事项清单",
        parameters=[s.CertificateListInputSerializer],
        responses={200: s.CertificateOutputSerializer(many=True)},
        tags=["catalog"],
    )
    def get(self, request):
        params = s.CertificateListInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = {k: ("1" if v is True else v) for k, v in params.validated_data.items() if v is not False}
        page = self.paginate_queryset(selectors.certificate_list_public(filters=filters))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="certificates_create",
        summary="登记证明事项（草稿）",
        request=s.CertificateWriteInputSerializer,
        responses={201: s.CertificateOutputSerializer, 400: ERROR_RESPONSE, 403: ERROR_RESPONSE},
        tags=["catalog-editing"],
    )
    def post(self, request):
        data = s.CertificateWriteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = services.certificate_create(acting_user=request.user, data=data.validated_data)
        return Response(s.CertificateOutputSerializer(certificate).data, status=status.HTTP_201_CREATED)


class CertificateDetailApi(APIView):
    """A published entry (public); catalog staff also see their drafts and change them with PATCH."""

    def get_permissions(self):
        return [IsCatalogStaff()] if self.request.method == "PATCH" else [permissions.AllowAny()]

    @extend_schema(
        operation_id="certificates_retrieve",
        summary="证明事项详情",
        responses={200: s.CertificateOutputSerializer, 404: ERROR_RESPONSE},
        tags=["catalog"],
    )
    def get(self, request, pk: int):
        if rules.is_catalog_staff(request.user):
            certificate = selectors.certificate_get_for_user(user=request.user, pk=pk)
        else:
            certificate = selectors.certificate_get_public(pk=pk)
        return Response(s.CertificateOutputSerializer(certificate).data)

    @extend_schema(
        operation_id="certificates_update",
        summary="修改证明事项",
        request=s.CertificateWriteInputSerializer(partial=True),
        responses={
            200: s.CertificateOutputSerializer,
            400: ERROR_RESPONSE,
            403: ERROR_RESPONSE,
            404: ERROR_RESPONSE,
            409: ERROR_RESPONSE,
        },
        tags=["catalog-editing"],
    )
    def patch(self, request, pk: int):
        certificate = selectors.certificate_get_for_user(user=request.user, pk=pk)
        data = s.CertificateWriteInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        certificate = services.certificate_update(
            certificate=certificate, acting_user=request.user, data=data.validated_data
        )
        return Response(s.CertificateOutputSerializer(certificate).data)


class CertificatePublishApi(APIView):
    permission_classes = [IsCatalogStaff]

    @extend_schema(
        operation_id="certificates_publish",
        summary="公布证明事项",
        request=None,
        responses={
            200: s.CertificateOutputSerializer,
            403: ERROR_RESPONSE,
            404: ERROR_RESPONSE,
            409: ERROR_RESPONSE,
        },
        tags=["catalog-editing"],
    )
    def post(self, request, pk: int):
        certificate = selectors.certificate_get_for_user(user=request.user, pk=pk)
        certificate = services.certificate_publish(certificate=certificate, acting_user=request.user)
        return Response(s.CertificateOutputSerializer(certificate).data)


class CertificateRetireApi(APIView):
    permission_classes = [IsCatalogStaff]

    @extend_schema(
        operation_id="certificates_retire",
        summary="取消证明事项",
        request=s.CertificateRetireInputSerializer,
        responses={
            200: s.CertificateOutputSerializer,
            403: ERROR_RESPONSE,
            404: ERROR_RESPONSE,
            409: ERROR_RESPONSE,
        },
        tags=["catalog-editing"],
    )
    def post(self, request, pk: int):
        certificate = selectors.certificate_get_for_user(user=request.user, pk=pk)
        data = s.CertificateRetireInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = services.certificate_retire(
            certificate=certificate, acting_user=request.user, reason=data.validated_data.get("reason", "")
        )
        return Response(s.CertificateOutputSerializer(certificate).data)


# --------------------------------------------------------------------------------------------------
# editing API: item versions
# --------------------------------------------------------------------------------------------------


def _version_payload(version: ItemVersion, request) -> dict:
    version = selectors.version_detail_queryset().get(pk=version.pk)
    return s.ItemVersionDetailOutputSerializer(version, context={"request": request}).data


def _split_update(data: dict) -> tuple[dict, list | None, list | None]:
    data = dict(data)
    materials = data.pop("materials", None)
    form_fields = data.pop("form_fields", None)
    return data, materials, form_fields


class ItemVersionListApi(GenericAPIView):
    """Versions the caller may edit or review; POST makes a new draft of an existing item."""

    permission_classes = [IsCatalogStaff]
    serializer_class = s.ItemVersionListOutputSerializer
    filter_backends: list = []

    @extend_schema(
        operation_id="item_versions_list",
        summary="事项版本列表（编辑）",
        parameters=[s.ItemVersionListInputSerializer],
        responses={200: s.ItemVersionListOutputSerializer(many=True), 403: ERROR_RESPONSE},
        tags=["catalog-editing"],
    )
    def get(self, request):
        params = s.ItemVersionListInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = selectors.version_list_for_user(user=request.user, state=params.validated_data.get("state"))
        if params.validated_data.get("item"):
            qs = qs.filter(item__code=params.validated_data["item"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="item_versions_create",
        summary="新建草稿版本（复制现行版本）",
        request=s.ItemVersionCreateInputSerializer,
        responses={
            201: s.ItemVersionDetailOutputSerializer,
            403: ERROR_RESPONSE,
            404: ERROR_RESPONSE,
            409: ERROR_RESPONSE,
        },
        tags=["catalog-editing"],
    )
    def post(self, request):
        data = s.ItemVersionCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = (
            selectors.item_list_for_editor(user=request.user).filter(code=data.validated_data["item"]).first()
        )
        if item is None:
            raise NotFound(_("未找到该事项。"))
        version = services.version_create_draft(item=item, acting_user=request.user)
        return Response(_version_payload(version, request), status=status.HTTP_201_CREATED)


class ItemCreateApi(APIView):
    """A new item with its first draft version."""

    permission_classes = [IsCatalogStaff]

    @extend_schema(
        operation_id="item_versions_create_item",
        summary="新建事项（及其第一个草稿版本）",
        request=s.ItemCreateInputSerializer,
        responses={201: s.ItemVersionDetailOutputSerializer, 400: ERROR_RESPONSE, 403: ERROR_RESPONSE},
        tags=["catalog-editing"],
    )
    def post(self, request):
        data = s.ItemCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        identity = {
            key: values.pop(key, "")
            for key in (
                "implementation_code",
                "catalog_code",
                "handle_item_code",
                "local_catalog_code",
                "local_implementation_code",
            )
        }
        department = values.pop("department")
        parent_code = values.pop("parent", "")
        parent = None
        if parent_code:
            parent = ServiceItem.objects.filter(code=parent_code, department=department).first()
            if parent is None:
                raise NotFound(_("未找到主项。"))
        version_data, materials, form_fields = _split_update(values)
        item = services.item_create(
            acting_user=request.user,
            department=department,
            parent=parent,
            version_data=version_data,
            materials=materials or (),
            form_fields=form_fields or (),
            **identity,
        )
        return Response(_version_payload(item.versions.get(), request), status=status.HTTP_201_CREATED)


class ItemVersionDetailApi(APIView):
    """One version (any state) for its editors and reviewers; PATCH changes a draft."""

    permission_classes = [IsCatalogStaff]

    @extend_schema(
        operation_id="item_versions_retrieve",
        summary="事项版本详情",
        responses={200: s.ItemVersionDetailOutputSerializer, 404: ERROR_RESPONSE},
        tags=["catalog-editing"],
    )
    def get(self, request, pk: int):
        version = selectors.version_get_for_user(user=request.user, pk=pk)
        return Response(s.ItemVersionDetailOutputSerializer(version, context={"request": request}).data)

    @extend_schema(
        operation_id="item_versions_update",
        summary="修改草稿版本",
        request=s.ItemVersionUpdateInputSerializer,
        responses={
            200: s.ItemVersionDetailOutputSerializer,
            400: ERROR_RESPONSE,
            404: ERROR_RESPONSE,
            409: ERROR_RESPONSE,
        },
        tags=["catalog-editing"],
    )
    def patch(self, request, pk: int):
        version = selectors.version_get_for_user(user=request.user, pk=pk)
        data = s.ItemVersionUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values, materials, form_fields = _split_update(data.validated_data)
        version = services.version_update(
            version=version,
            acting_user=request.user,
            data=values,
            materials=materials,
            form_fields=form_fields,
        )
        return Response(_version_payload(version, request))


class _VersionActionApi(APIView):
    permission_classes = [IsCatalogStaff]
    input_serializer = None  # subclasses define act(*, version, user, data) calling one service

    def post(self, request, pk: int):
        version = selectors.version_get_for_user(user=request.user, pk=pk)
        data = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        version = self.act(version=version, user=request.user, data=data)
        return Response(_version_payload(version, request))


def _action_schema(operation_id: str, summary: str, request=None):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=request,
        responses={
            200: s.ItemVersionDetailOutputSerializer,
            400: ERROR_RESPONSE,
            403: ERROR_RESPONSE,
            404: ERROR_RESPONSE,
            409: ERROR_RESPONSE,
        },
        tags=["catalog-editing"],
    )


class ItemVersionSubmitApi(_VersionActionApi):
    @_action_schema("item_versions_submit", "提交审核")
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, *, version, user, data):
        return services.version_submit_for_review(version=version, acting_user=user)


class ItemVersionReturnApi(_VersionActionApi):
    input_serializer = s.ItemVersionReturnInputSerializer

    @_action_schema("item_versions_return", "退回修改（附审核意见）", s.ItemVersionReturnInputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, *, version, user, data):
        return services.version_return_to_draft(version=version, acting_user=user, comments=data["comments"])


class ItemVersionPublishApi(_VersionActionApi):
    @_action_schema("item_versions_publish", "审核通过并发布")
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, *, version, user, data):
        return services.version_publish(version=version, acting_user=user)


class ItemVersionRetireApi(_VersionActionApi):
    input_serializer = s.ItemVersionRetireInputSerializer

    @_action_schema("item_versions_retire", "停用已发布版本或放弃草稿", s.ItemVersionRetireInputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, *, version, user, data):
        return services.version_retire(version=version, acting_user=user, reason=data.get("reason", ""))


class ItemVersionDiffApi(APIView):
    """Field-by-field differences from another version of the same item (default: the previous one)."""

    permission_classes = [IsCatalogStaff]

    @extend_schema(
        operation_id="item_versions_diff",
        summary="版本对比",
        parameters=[s.ItemVersionDiffInputSerializer],
        responses={200: s.ItemVersionDiffOutputSerializer, 404: ERROR_RESPONSE},
        tags=["catalog-editing"],
    )
    def get(self, request, pk: int):
        version = selectors.version_get_for_user(user=request.user, pk=pk)
        params = s.ItemVersionDiffInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        against_id = params.validated_data.get("against")
        if against_id:
            other = selectors.version_get_for_user(user=request.user, pk=against_id)
            if other.item_id != version.item_id:
                raise NotFound(_("只能对比同一事项的版本。"))
        else:
            previous = (
                ItemVersion.objects.filter(item_id=version.item_id, number__lt=version.number)
                .order_by("-number")
                .first()
            )
            other = selectors.version_detail_queryset().get(pk=previous.pk) if previous else None
        changes = selectors.version_diff(other, version) if other is not None else []
        payload = {
            "old_version": other.number if other is not None else None,
            "new_version": version.number,
            "changes": [{"field": f, "old": o, "new": n} for f, o, n in changes],
        }
        return Response(s.ItemVersionDiffOutputSerializer(payload).data)
