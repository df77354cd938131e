"""Licences API: verification (public), published seal keys (public), the holder's licences, lifecycle
actions of the issuing department, share links, and the logged inter-department query."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from bianmin.core.ratelimit import ClientAddressThrottle
from bianmin.documents.services import published_keys
from bianmin.licences import canonical, selectors, services
from bianmin.licences.api import serializers as s
from bianmin.licences.constants import KEYS_FORMAT
from bianmin.licences.exceptions import LicenceInvalid, LicenceNotFound
from bianmin.licences.models import Licence
from bianmin.licences.verification import Verification, verify_any, verify_file

ERROR = OpenApiResponse(description="{code, detail, fields}")
ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}
MAX_UPLOAD = 10 * 1024 * 1024


def _verification_data(v: Verification) -> dict:
    return {
        "outcome": v.outcome,
        "outcome_label": v.outcome_label,
        "message": v.message,
        "detail": str(v.detail or ""),
        "signature_valid": v.signature_valid,
        "revoked_on": v.revoked_on,
        "revocation_kind": str(v.revocation_kind or ""),
        "revocation_reason": v.revocation_reason,
        "current_identifier": v.current_identifier,
        "licence": v.public(),
    }


class LicenceVerifyThrottle(ClientAddressThrottle):
    scope = "licence_verify"


class LicenceVerifyApi(APIView):
    """Verify an e-licence by its identifier, an exported licence data file (JSON object) or an uploaded PDF or
    data file: the outcome (valid, revoked, expired, tampered, unknown), whether the SM2 seal signature holds, and
    the public face of the licence (holder's number masked). Public, rate limited per client address."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [LicenceVerifyThrottle]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="licences_verify",
        summary="核验电子证照",
        request={
            "application/json": s.LicenceVerifyInputSerializer,
            "multipart/form-data": s.LicenceVerifyInputSerializer,
        },
        responses={200: s.LicenceVerifyOutputSerializer, 400: ERROR},
        tags=["licences"],
    )
    def post(self, request):
        data = s.LicenceVerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data.get("upload")
        document = data.validated_data.get("licence_file")
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                raise LicenceInvalid(_("文件过大（最大10MB）。"), fields={"upload": [_("文件过大。")]})
            result = verify_any(file_bytes=upload.read())
        elif document is not None:
            try:
                raw = canonical.dumps(document)
            except (TypeError, ValueError):
                raise LicenceInvalid(
                    _("证照数据文件不是有效的JSON。"), fields={"licence_file": [_("格式不正确。")]}
                )
            result = verify_file(raw)
        else:
            result = verify_any(identifier=data.validated_data["identifier"])
        return Response(s.LicenceVerifyOutputSerializer(_verification_data(result)).data)


class SealKeysApi(APIView):
    """Published SM2 public keys of every e-seal and key version, retired ones included, in the format that
    `manage.py licences verify --keys` reads (offline verification). Public."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="seals_keys",
        summary="电子印章公钥",
        responses={200: s.SealKeysOutputSerializer},
        tags=["licences"],
    )
    def get(self, request):
        keys = [k.as_dict() for k in published_keys()]
        return Response(s.SealKeysOutputSerializer({"format": KEYS_FORMAT, "keys": keys}).data)


class LicenceListApi(GenericAPIView):
    """The caller's licences: those held under the caller's own ID number and those of the enterprises the caller
    acts for, newest first (paginated)."""

    serializer_class = s.LicenceListOutputSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Licence.objects.none()

    @extend_schema(
        operation_id="licences_list",
        summary="我的证照",
        responses={200: s.LicenceListOutputSerializer(many=True)},
        tags=["licences"],
    )
    def get(self, request):
        page = self.paginate_queryset(selectors.wallet_list(user=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _visible(request, identifier: str) -> Licence:
    """The holder, or a head of the issuing department; 404 otherwise."""
    try:
        return selectors.wallet_get(user=request.user, identifier=identifier)
    except LicenceNotFound:
        return selectors.licence_get_for_manager(user=request.user, identifier=identifier)


class LicenceDetailApi(APIView):
    """One licence by its identifier, with its face fields and signature data, for its holder or a head of the
    issuing department; 404 for anyone else."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="licences_detail",
        summary="证照详情",
        responses={200: s.LicenceDetailOutputSerializer, 404: ERROR},
        tags=["licences"],
    )
    def get(self, request, identifier: str):
        return Response(s.LicenceDetailOutputSerializer(_visible(request, identifier)).data)


class LicenceRevokeApi(APIView):
    """Cancel (注销) or revoke (吊销) a valid licence, with the reason (head of the issuing department).
    Verification then reports it as revoked; 409 when it is no longer valid."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="licences_revoke",
        summary="注销/吊销证照",
        request=s.LicenceRevokeInputSerializer,
        responses={200: s.LicenceDetailOutputSerializer, **ERRORS},
        tags=["licences"],
    )
    def post(self, request, identifier: str):
        licence = _visible(request, identifier)
        data = s.LicenceRevokeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        licence = services.licence_revoke(licence=licence, acting_user=request.user, **data.validated_data)
        return Response(s.LicenceDetailOutputSerializer(licence).data)


class LicenceRenewApi(APIView):
    """Renew (延续) a licence: a new signed version with a new validity period; the old version is superseded
    (head of the issuing department)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="licences_renew",
        summary="证照延续",
        request=s.LicenceRenewInputSerializer,
        responses={201: s.LicenceDetailOutputSerializer, **ERRORS},
        tags=["licences"],
    )
    def post(self, request, identifier: str):
        licence = _visible(request, identifier)
        data = s.LicenceRenewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = services.licence_renew(licence=licence, acting_user=request.user, **data.validated_data)
        return Response(s.LicenceDetailOutputSerializer(new).data, status=status.HTTP_201_CREATED)


class LicenceChangeApi(APIView):
    """Change (变更) the holder's name or face fields: a new signed version with the same validity; the old
    version is superseded (head of the issuing department). 400 when nothing changes."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="licences_change",
        summary="证照变更",
        request=s.LicenceChangeInputSerializer,
        responses={201: s.LicenceDetailOutputSerializer, **ERRORS},
        tags=["licences"],
    )
    def post(self, request, identifier: str):
        licence = _visible(request, identifier)
        data = s.LicenceChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = services.licence_change(licence=licence, acting_user=request.user, **data.validated_data)
        return Response(s.LicenceDetailOutputSerializer(new).data, status=status.HTTP_201_CREATED)


class LicenceShareApi(APIView):
    """A time-limited verification link to one of the caller's own licences, to hand to a third party (the
    holder only)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="licences_share",
        summary="生成限时核验链接",
        request=s.LicenceShareInputSerializer,
        responses={201: s.LicenceShareOutputSerializer, **ERRORS},
        tags=["licences"],
    )
    def post(self, request, identifier: str):
        licence = selectors.wallet_get(user=request.user, identifier=identifier)
        data = s.LicenceShareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, expires_at = services.share_link_create(
            licence=licence, acting_user=request.user, days=data.validated_data["days"]
        )
        url = request.build_absolute_uri(reverse("licences:shared", args=[token]))
        return Response(
            s.LicenceShareOutputSerializer({"url": url, "expires_at": expires_at}).data,
            status=status.HTTP_201_CREATED,
        )


class LicenceSharedQueryApi(GenericAPIView):
    """Data sharing (数据共享): a department's staff query a holder's valid licences by ID number or USCC,
    stating the purpose and the case; every query is written to the audit log."""

    serializer_class = s.LicenceDetailOutputSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None
    queryset = Licence.objects.none()

    @extend_schema(
        operation_id="licences_shared",
        summary="共享证照查询（留痕）",
        parameters=[s.LicenceSharedQueryInputSerializer],
        responses={200: s.LicenceDetailOutputSerializer(many=True), 400: ERROR, 403: ERROR},
        tags=["licences"],
    )
    def get(self, request):
        params = s.LicenceSharedQueryInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        licences = services.licence_shared_query(
            acting_user=request.user,
            holder_code=params.validated_data["holder_code"],
            purpose=params.validated_data["purpose"],
            case_number=params.validated_data.get("case", ""),
        )
        return Response(self.get_serializer(licences, many=True).data)
