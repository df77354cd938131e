"""Cases API: list and create, detail, timeline, materials, and one POST sub-resource per action.

Views are thin: parse input, fetch through a selector (404 for what the caller may not see), call the
one service of the action, render the case again. Errors are ApplicationError → {code, detail, fields}.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from bianmin.accounts.models import Enterprise
from bianmin.cases import access, notices, selectors, services
from bianmin.cases import transitions as t
from bianmin.cases.api import serializers as s
from bianmin.cases.exceptions import CaseNotFound, CaseValidationError
from bianmin.cases.models import Case
from bianmin.catalog.models import Material, ServiceItem

ERROR_RESPONSE = OpenApiResponse(description="{code, detail, fields}")
ERRORS = {400: ERROR_RESPONSE, 403: ERROR_RESPONSE, 404: ERROR_RESPONSE, 409: ERROR_RESPONSE}
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Same key from the same user: the same case (create) / no second submission (submit).",
)
REF_PARAMETER = OpenApiParameter(
    "ref", OpenApiTypes.STR, OpenApiParameter.PATH, description="办件编号 (23 digits), or the UUID of a draft"
)


def _detail(request, case: Case, *, status_code: int = status.HTTP_200_OK) -> Response:
    fresh = selectors.case_get_for_user(user=request.user, ref=str(case.pk))
    return Response(
        s.CaseDetailOutputSerializer(fresh, context={"user": request.user}).data, status=status_code
    )


def _idempotency_key(request) -> str:
    return (request.headers.get("Idempotency-Key") or "").strip()[:64]


class CaseListCreateApi(GenericAPIView):
    """Cases the caller may see (filters: state, item, number, overdue, mine); create a draft."""

    serializer_class = s.CaseListOutputSerializer
    filter_backends: list = []

    @extend_schema(
        operation_id="cases_list",
        summary="办件列表",
        parameters=[s.CaseListInputSerializer],
        responses={200: s.CaseListOutputSerializer(many=True), 400: ERROR_RESPONSE},
        tags=["cases"],
    )
    def get(self, request):
        params = s.CaseListInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = {k: ("1" if v is True else v) for k, v in params.validated_data.items() if v is not False}
        page = self.paginate_queryset(selectors.case_list(user=request.user, filters=filters))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        summary="新建申请（草稿）",
        parameters=[IDEMPOTENCY_HEADER],
        request=s.CaseCreateInputSerializer,
        responses={201: s.CaseDetailOutputSerializer, 200: s.CaseDetailOutputSerializer, **ERRORS},
        tags=["cases"],
    )
    def post(self, request):
        data_in = s.CaseCreateInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = data_in.validated_data
        item = ServiceItem.objects.select_related("current_version").filter(code=data["item"]).first()
        if item is None:
            raise CaseValidationError(_("事项不存在。"), fields={"item": [_("事项不存在。")]})
        enterprise = None
        if data.get("enterprise"):
            enterprise = Enterprise.objects.filter(pk=data["enterprise"]).first()
            if enterprise is None:
                raise CaseValidationError(_("企业不存在。"), fields={"enterprise": [_("企业不存在。")]})
        key = _idempotency_key(request)
        replay = bool(key) and Case.objects.filter(created_by=request.user, idempotency_key=key).exists()
        case = services.case_save_draft(
            acting_user=request.user,
            item=item,
            form_data=data.get("form_data") or {},
            enterprise=enterprise,
            applicant=data.get("applicant"),
            agent=data.get("agent"),
            hall=data.get("hall"),
            window=data.get("window"),
            delivery=data.get("delivery"),
            idempotency_key=key,
        )
        return _detail(request, case, status_code=status.HTTP_200_OK if replay else status.HTTP_201_CREATED)


class CaseWorkQueueApi(GenericAPIView):
    """Staff work queue, most urgent first."""

    serializer_class = s.CaseListOutputSerializer
    filter_backends: list = []

    @extend_schema(operation_id="cases_queue", summary="待办队列", tags=["cases"])
    def get(self, request):
        page = self.paginate_queryset(selectors.work_queue(user=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CaseOverdueListApi(GenericAPIView):
    """超期件: open accepted cases past their deadline (scoped to what the caller may see)."""

    serializer_class = s.CaseListOutputSerializer
    filter_backends: list = []

    @extend_schema(operation_id="cases_overdue", summary="超期办件", tags=["cases"])
    def get(self, request):
        page = self.paginate_queryset(selectors.overdue_list(user=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PublicProgressThrottle(SimpleRateThrottle):
    scope = "case_progress"
    rate = "30/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class CasePublicProgressApi(APIView):
    """Public progress lookup: number + applicant's full name or phone tail; reveals state and dates only."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicProgressThrottle]

    @extend_schema(
        operation_id="cases_progress",
        summary="办件进度公开查询",
        parameters=[s.CasePublicProgressInputSerializer],
        responses={200: s.CasePublicProgressOutputSerializer, 404: ERROR_RESPONSE},
        tags=["cases"],
    )
    def get(self, request):
        params = s.CasePublicProgressInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        case = selectors.case_public_progress(**params.validated_data)
        if case is None:
            raise CaseNotFound(_("未找到匹配的办件，请核对办件编号和申请人信息。"))
        return Response(s.CasePublicProgressOutputSerializer(case).data)


class CaseDetailApi(APIView):
    """One case (by number, or a draft by UUID); PATCH updates a draft (save_draft)."""

    @extend_schema(
        operation_id="cases_retrieve",
        summary="办件详情",
        parameters=[REF_PARAMETER],
        responses={200: s.CaseDetailOutputSerializer, 404: ERROR_RESPONSE},
        tags=["cases"],
    )
    def get(self, request, ref: str):
        case = selectors.case_get_for_user(user=request.user, ref=ref)
        return Response(s.CaseDetailOutputSerializer(case, context={"user": request.user}).data)

    @extend_schema(
        operation_id="cases_save_draft",
        summary="保存草稿",
        parameters=[REF_PARAMETER],
        request=s.CaseUpdateInputSerializer,
        responses={200: s.CaseDetailOutputSerializer, **ERRORS},
        tags=["cases"],
    )
    def patch(self, request, ref: str):
        case = selectors.case_get_for_user(user=request.user, ref=ref)
        data_in = s.CaseUpdateInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = data_in.validated_data
        case = services.case_save_draft(
            acting_user=request.user,
            case=case,
            form_data=data.get("form_data"),
            agent=data.get("agent"),
            delivery=data.get("delivery"),
            expected_version=data.get("version"),
        )
        return _detail(request, case)


class CaseTimelineApi(GenericAPIView):
    serializer_class = s.CaseEventOutputSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        operation_id="cases_timeline",
        summary="办件时间线",
        parameters=[REF_PARAMETER],
        responses={200: s.CaseEventOutputSerializer(many=True), 404: ERROR_RESPONSE},
        tags=["cases"],
    )
    def get(self, request, ref: str):
        case = selectors.case_get_for_user(user=request.user, ref=ref)
        # the applicant gets the meaningful steps (no repeated draft saves); staff get every event
        applicant_view = not (access.actor_roles(request.user, case) - {t.APPLICANT}) and not (
            access.is_supervisor(request.user)
        )
        events = selectors.case_timeline(user=request.user, case=case, applicant_view=applicant_view)
        return Response(self.get_serializer(events, many=True).data)


def _material(case: Case, material_id) -> Material | None:
    if material_id in (None, ""):
        return None
    material = (
        Material.objects.select_related("certificate")
        .filter(pk=material_id, version_id=case.item_version_id)
        .first()
    )
    if material is None:
        raise CaseValidationError(_("该材料不属于本事项版本。"), fields={"material": [_("材料不存在。")]})
    return material


class CaseMaterialAddApi(APIView):
    """Give one material while a draft or awaiting correction: a file (multipart), a licence or a commitment."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="cases_materials_add",
        summary="提交申请材料",
        parameters=[REF_PARAMETER],
        request={
            "multipart/form-data": s.CaseMaterialInputSerializer,
            "application/json": s.CaseMaterialInputSerializer,
        },
        responses={200: s.CaseDetailOutputSerializer, **ERRORS},
        tags=["cases"],
    )
    def post(self, request, ref: str):
        case = selectors.case_get_for_user(user=request.user, ref=ref)
        data_in = s.CaseMaterialInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = data_in.validated_data
        services.case_material_add(
            case=case,
            acting_user=request.user,
            material=_material(case, data.get("material")),
            name=data.get("name", ""),
            upload=data.get("file"),
            licence_provider=data.get("licence_provider", ""),
            licence_ref=data.get("licence_ref", ""),
            commitment_text=data.get("commitment_text", ""),
            expected_version=data.get("version"),
        )
        return _detail(request, case)


class CaseMaterialFileApi(APIView):
    """Download an uploaded material, only for those who may see the case."""

    @extend_schema(
        operation_id="cases_materials_file",
        summary="下载办件材料",
        parameters=[REF_PARAMETER],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: ERROR_RESPONSE},
        tags=["cases"],
    )
    def get(self, request, ref: str, pk: int):
        row = selectors.case_material_get_for_user(user=request.user, ref=ref, material_id=pk)
        extension = row.file.name.rsplit(".", 1)[-1]
        response = FileResponse(
            row.file.open("rb"),
            as_attachment=True,
            filename=f"{row.name[:60]}.{extension}",
            content_type=row.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class CaseNoticeApi(APIView):
    """A notice of the case as PDF (受理通知书, 不予受理决定书, 补正材料通知书, 特别程序告知书, 延期告知书,
    准予/不予许可决定书, 送达回执), for those who may see the case."""

    @extend_schema(
        operation_id="cases_notice",
        summary="办件文书（PDF）",
        parameters=[
            REF_PARAMETER,
            OpenApiParameter(
                "kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(notices.NOTICE_KINDS)
            ),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: ERROR_RESPONSE, 409: ERROR_RESPONSE},
        tags=["cases"],
    )
    def get(self, request, ref: str, kind: str):
        case = selectors.case_get_for_user(user=request.user, ref=ref)
        if kind not in notices.NOTICE_KINDS:
            raise CaseNotFound(_("文书不存在。"))
        pdf = notices.render_notice_pdf(case, kind)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{case.number}-{kind}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class CaseResultDocumentApi(APIView):
    """审批结果文书 (电子送达): the stored decision notice of the conclusion (准予/不予行政许可决定书), byte for
    byte the file issued and sealed at the conclusion, for those who may see the case; 404 before it."""

    @extend_schema(
        operation_id="cases_result_document",
        summary="审批结果文书（PDF）",
        parameters=[REF_PARAMETER],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: ERROR_RESPONSE},
        tags=["cases"],
    )
    def get(self, request, ref: str):
        case = selectors.case_get_for_user(user=request.user, ref=ref)
        notice = notices.result_document(case)
        if notice is None:
            raise CaseNotFound(_("该办件尚未办结，没有审批结果文书。"))
        response = HttpResponse(notices.notice_read(notice), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{case.number}-result.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class InstantAuthorisationApi(APIView):
    """即办授权: a department head authorises window clerks to accept and conclude the department's 即办件
    on the spot (accept_and_conclude), or withdraws it (active=false). Lists those the user manages."""

    @extend_schema(
        operation_id="cases_instant_authorisations_list",
        summary="即办授权列表",
        responses={200: s.InstantAuthorisationOutputSerializer(many=True)},
        tags=["cases"],
    )
    def get(self, request):
        rows = selectors.instant_authorisations(user=request.user)
        return Response(s.InstantAuthorisationOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="cases_instant_authorisations_set",
        summary="授予或撤销即办授权",
        request=s.InstantAuthorisationInputSerializer,
        responses={200: s.InstantAuthorisationOutputSerializer, **ERRORS},
        tags=["cases"],
    )
    def post(self, request):
        from bianmin.accounts.models import User
        from bianmin.organisations.models import Department

        data = s.InstantAuthorisationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        department = Department.objects.filter(pk=data.validated_data["department"]).first()
        clerk = User.objects.filter(pk=data.validated_data["clerk"], is_active=True).first()
        if department is None:
            raise CaseValidationError(_("部门不存在。"), fields={"department": [_("部门不存在。")]})
        if clerk is None:
            raise CaseValidationError(_("人员不存在。"), fields={"clerk": [_("人员不存在。")]})
        row = services.instant_authorisation_grant(
            department=department,
            clerk=clerk,
            acting_user=request.user,
            active=data.validated_data["active"],
        )
        return Response(s.InstantAuthorisationOutputSerializer(row).data)


class CaseNoticeVerifyApi(APIView):
    """Public verification of an issued notice by the id printed on it: kind, number, department, date,
    whether it was sealed (seal and key when it was), whether the SM2 signature verifies (`valid`) and the
    stored PDF is the one issued (`intact`). Nothing about the applicant."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicProgressThrottle]

    @extend_schema(
        operation_id="cases_notice_verify",
        summary="核验办件文书",
        responses={200: s.CaseNoticeVerifyOutputSerializer, 404: ERROR_RESPONSE},
        tags=["cases"],
    )
    def get(self, request, pk):
        from bianmin.cases.models import CaseNotice

        notice = CaseNotice.objects.select_related("case__department", "seal").filter(pk=pk).first()
        if notice is None:
            raise CaseNotFound(_("文书不存在。"))
        check = notices.notice_check(notice)
        data = {
            "id": notice.pk,
            "valid": check.valid,
            "sealed": check.sealed,
            "intact": check.intact,
            "kind": notice.kind,
            "title": notices.notice_title(notice.case, notice.kind),
            "case_number": notice.case.number,
            "department": notice.case.department.name,
            "issued_at": notice.issued_at,
            "seal_code": notice.seal.code if notice.seal is not None else None,
            "key_version": notice.key_version,
            "key_fingerprint": notice.key_fingerprint,
            "pdf_sm3": notice.pdf_sm3,
        }
        return Response(s.CaseNoticeVerifyOutputSerializer(data).data)


# --------------------------------------------------------------------------------------------------
# one view per action
# --------------------------------------------------------------------------------------------------


class _CaseActionApi(APIView):
    """POST one action; subclasses name the input serializer and define act(request, case, data, expected_version)."""

    input_serializer: type[s.serializers.Serializer] = s.CaseSubmitInputSerializer

    def post(self, request, ref: str):
        case = selectors.case_get_for_user(user=request.user, ref=ref)
        data_in = self.input_serializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = dict(data_in.validated_data)
        expected_version = data.pop("version", None)
        self.act(request=request, case=case, data=data, expected_version=expected_version)
        return _detail(request, case)


def _action_schema(operation_id: str, summary: str, serializer, *, extra_parameters=()):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        parameters=[REF_PARAMETER, *extra_parameters],
        request=serializer,
        responses={200: s.CaseDetailOutputSerializer, **ERRORS},
        tags=["cases"],
    )


class CaseSubmitApi(_CaseActionApi):
    input_serializer = s.CaseSubmitInputSerializer

    @_action_schema(
        "cases_submit", "提交申请", s.CaseSubmitInputSerializer, extra_parameters=[IDEMPOTENCY_HEADER]
    )
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_submit(
            case=case,
            acting_user=request.user,
            idempotency_key=_idempotency_key(request),
            expected_version=expected_version,
        )


class CaseRequestCorrectionApi(_CaseActionApi):
    input_serializer = s.CaseRequestCorrectionInputSerializer

    @_action_schema("cases_request_correction", "一次性告知补正", s.CaseRequestCorrectionInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_request_correction(
            case=case, acting_user=request.user, problems=data["problems"], expected_version=expected_version
        )


class CaseResubmitApi(_CaseActionApi):
    input_serializer = s.CaseResubmitInputSerializer

    @_action_schema("cases_resubmit", "补正后重新提交", s.CaseResubmitInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_resubmit(case=case, acting_user=request.user, expected_version=expected_version)


class CaseDeclineApi(_CaseActionApi):
    input_serializer = s.CaseDeclineInputSerializer

    @_action_schema("cases_decline", "不予受理", s.CaseDeclineInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_decline(case=case, acting_user=request.user, expected_version=expected_version, **data)


class CaseAcceptApi(_CaseActionApi):
    input_serializer = s.CaseAcceptInputSerializer

    @_action_schema("cases_accept", "受理（标准/容缺）", s.CaseAcceptInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_accept(case=case, acting_user=request.user, expected_version=expected_version, **data)


class CaseAcceptAndConcludeApi(_CaseActionApi):
    input_serializer = s.CaseAcceptAndConcludeInputSerializer

    @_action_schema("cases_accept_and_conclude", "即办件当场办结", s.CaseAcceptAndConcludeInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_accept_and_conclude(
            case=case, acting_user=request.user, expected_version=expected_version, **data
        )


class CaseSupplementApi(_CaseActionApi):
    input_serializer = s.CaseSupplementInputSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="cases_supplement",
        summary="补齐材料",
        parameters=[REF_PARAMETER],
        request={
            "multipart/form-data": s.CaseSupplementInputSerializer,
            "application/json": s.CaseSupplementInputSerializer,
        },
        responses={200: s.CaseDetailOutputSerializer, **ERRORS},
        tags=["cases"],
    )
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_supplement(
            case=case,
            acting_user=request.user,
            material=_material(case, data.get("material")),
            name=data.get("name", ""),
            upload=data.get("file"),
            licence_provider=data.get("licence_provider", ""),
            licence_ref=data.get("licence_ref", ""),
            commitment_text=data.get("commitment_text", ""),
            expected_version=expected_version,
        )


class CaseStartReviewApi(_CaseActionApi):
    input_serializer = s.CaseStartReviewInputSerializer

    @_action_schema("cases_start_review", "开始审查（并联分发）", s.CaseStartReviewInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_start_review(case=case, acting_user=request.user, expected_version=expected_version)


class CaseReviewApi(_CaseActionApi):
    input_serializer = s.CaseReviewInputSerializer

    @_action_schema("cases_review", "填写审查意见", s.CaseReviewInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_review(case=case, acting_user=request.user, expected_version=expected_version, **data)


class CaseReturnToApplicantApi(_CaseActionApi):
    input_serializer = s.CaseReturnInputSerializer

    @_action_schema("cases_return_to_applicant", "退回申请人补充材料", s.CaseReturnInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_return_to_applicant(
            case=case, acting_user=request.user, expected_version=expected_version, **data
        )


class CaseSuspendApi(_CaseActionApi):
    input_serializer = s.CaseSuspendInputSerializer

    @_action_schema("cases_suspend", "启动特别程序（中止计时）", s.CaseSuspendInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_suspend(case=case, acting_user=request.user, expected_version=expected_version, **data)


class CaseResumeApi(_CaseActionApi):
    input_serializer = s.CaseResumeInputSerializer

    @_action_schema("cases_resume", "恢复计时", s.CaseResumeInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_resume(case=case, acting_user=request.user, expected_version=expected_version)


class CaseExtendApi(_CaseActionApi):
    input_serializer = s.CaseExtendInputSerializer

    @_action_schema("cases_extend", "延期", s.CaseExtendInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_extend(case=case, acting_user=request.user, expected_version=expected_version, **data)


class CaseConcludeApi(_CaseActionApi):
    input_serializer = s.CaseConcludeInputSerializer

    @_action_schema("cases_conclude", "办结（准予/不予许可）", s.CaseConcludeInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_conclude(case=case, acting_user=request.user, expected_version=expected_version, **data)


class CasePayApi(_CaseActionApi):
    input_serializer = s.CasePayInputSerializer

    @_action_schema("cases_pay", "缴费", s.CasePayInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_pay(case=case, acting_user=request.user, expected_version=expected_version)


class CaseDeliverApi(_CaseActionApi):
    input_serializer = s.CaseDeliverInputSerializer

    @_action_schema("cases_deliver", "送达", s.CaseDeliverInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_deliver(case=case, acting_user=request.user, expected_version=expected_version, **data)


class CaseWithdrawApi(_CaseActionApi):
    input_serializer = s.CaseWithdrawInputSerializer

    @_action_schema("cases_withdraw", "撤回申请", s.CaseWithdrawInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_withdraw(case=case, acting_user=request.user, expected_version=expected_version, **data)


class CaseVoidApi(_CaseActionApi):
    input_serializer = s.CaseVoidInputSerializer

    @_action_schema("cases_void", "作废", s.CaseVoidInputSerializer)
    def post(self, request, ref: str):
        return super().post(request, ref)

    def act(self, *, request, case, data, expected_version):
        services.case_void(case=case, acting_user=request.user, expected_version=expected_version, **data)


ACTION_VIEWS = {
    "submit": CaseSubmitApi,
    "request_correction": CaseRequestCorrectionApi,
    "resubmit": CaseResubmitApi,
    "decline": CaseDeclineApi,
    "accept": CaseAcceptApi,
    "accept_and_conclude": CaseAcceptAndConcludeApi,
    "supplement": CaseSupplementApi,
    "start_review": CaseStartReviewApi,
    "review": CaseReviewApi,
    "return_to_applicant": CaseReturnToApplicantApi,
    "suspend": CaseSuspendApi,
    "resume": CaseResumeApi,
    "extend": CaseExtendApi,
    "conclude": CaseConcludeApi,
    "pay": CasePayApi,
    "deliver": CaseDeliverApi,
    "withdraw": CaseWithdrawApi,
    "void": CaseVoidApi,
}
