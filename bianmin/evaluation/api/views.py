"""好差评 API: the invitation, rating, staff lists, rectification actions, appeals, public figures."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from bianmin.evaluation import selectors, services
from bianmin.evaluation.api import serializers as s

ERROR = OpenApiResponse(description="{code, detail, fields}")
ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}


class InvitationDetailApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="evaluation_invitation",
        summary="评价邀请（凭令牌）",
        responses={200: s.InvitationOutputSerializer, 404: ERROR},
    )
    def get(self, request, token: str):
        return Response(s.InvitationOutputSerializer(selectors.invitation_get(token=token)).data)


class EvaluationListCreateApi(GenericAPIView):
    serializer_class = s.EvaluationOutputSerializer
    filter_backends: list = []

    def get_permissions(self):
        return [permissions.AllowAny()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(operation_id="evaluations_list", summary="评价列表（按身份限定范围）")
    def get(self, request):
        page = self.paginate_queryset(selectors.evaluation_list_for_user(user=request.user))
        return self.get_paginated_response(
            s.EvaluationOutputSerializer(page, many=True, context={"user": request.user}).data
        )

    @extend_schema(
        operation_id="evaluations_create",
        summary="评价（一次评价 + 一次追评）",
        request=s.EvaluationSubmitInputSerializer,
        responses={201: s.EvaluationOutputSerializer, **ERRORS},
    )
    def post(self, request):
        data = s.EvaluationSubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        invitation = selectors.invitation_get(token=v.pop("token"))
        evaluation = services.evaluation_submit(invitation=invitation, acting_user=request.user, **v)
        return Response(
            s.EvaluationOutputSerializer(evaluation, context={"user": request.user}).data,
            status=status.HTTP_201_CREATED,
        )


class RectificationListApi(GenericAPIView):
    serializer_class = s.RectificationOutputSerializer
    filter_backends: list = []

    @extend_schema(operation_id="rectifications_list", summary="差评整改（工作人员）")
    def get(self, request):
        page = self.paginate_queryset(selectors.rectification_list_for_user(user=request.user))
        return self.get_paginated_response(
            s.RectificationOutputSerializer(page, many=True, context={"user": request.user}).data
        )


class RectificationDetailApi(APIView):
    @extend_schema(
        operation_id="rectifications_retrieve",
        summary="差评整改详情",
        responses={200: s.RectificationOutputSerializer, 404: ERROR},
    )
    def get(self, request, pk: int):
        return Response(
            s.RectificationOutputSerializer(
                selectors.rectification_get_for_user(user=request.user, pk=pk), context={"user": request.user}
            ).data
        )


def _rectification_action(name, input_serializer, call, summary):
    class _Api(APIView):
        @extend_schema(
            operation_id=f"rectifications_{name}",
            summary=summary,
            request=input_serializer,
            responses={200: s.RectificationOutputSerializer, **ERRORS},
        )
        def post(self, request, pk: int):
            rectification = selectors.rectification_get_for_user(user=request.user, pk=pk)
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            call(rectification, request.user, data.validated_data)
            fresh = selectors.rectification_get_for_user(user=request.user, pk=pk)
            return Response(s.RectificationOutputSerializer(fresh, context={"user": request.user}).data)

    _Api.__name__ = _Api.__qualname__ = f"Rectification{name.title()}Api"
    return _Api


RectificationRespondApi = _rectification_action(
    "respond",
    s.RectificationRespondInputSerializer,
    lambda r, u, v: services.rectification_respond(rectification=r, acting_user=u, **v),
    "核实并填写整改措施",
)
RectificationCallbackApi = _rectification_action(
    "callback",
    s.RectificationCallbackInputSerializer,
    lambda r, u, v: services.rectification_callback(rectification=r, acting_user=u, **v),
    "记录回访",
)
RectificationCompleteApi = _rectification_action(
    "complete",
    s.RectificationCompleteInputSerializer,
    lambda r, u, v: services.rectification_complete(rectification=r, acting_user=u, **v),
    "记录整改结果并办结",
)


class EvaluationAppealApi(APIView):
    @extend_schema(
        operation_id="evaluations_appeal",
        summary="对恶意或错误差评提出申诉",
        request=s.AppealFileInputSerializer,
        responses={201: s.AppealOutputSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        evaluation = selectors.evaluation_get_for_staff(user=request.user, pk=pk)
        data = s.AppealFileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_file(evaluation=evaluation, acting_user=request.user, **data.validated_data)
        return Response(s.AppealOutputSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealDecideApi(APIView):
    @extend_schema(
        operation_id="appeals_decide",
        summary="监督员复核申诉",
        request=s.AppealDecideInputSerializer,
        responses={200: s.AppealOutputSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        appeal = selectors.appeal_get_for_supervisor(user=request.user, pk=pk)
        data = s.AppealDecideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_decide(appeal=appeal, acting_user=request.user, **data.validated_data)
        return Response(s.AppealOutputSerializer(appeal).data)


class RatingFiguresApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="ratings_figures",
        summary="好差评公开数据：按部门、事项、大厅的满意率",
        responses=s.RatingFiguresOutputSerializer,
    )
    def get(self, request):
        data = {
            "totals": selectors.totals(),
            "departments": selectors.figures(by="department"),
            "items": selectors.figures(by="item"),
            "halls": selectors.figures(by="hall"),
        }
        return Response(s.RatingFiguresOutputSerializer(data).data)


class PublicRectificationListApi(GenericAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.PublicRectificationOutputSerializer
    filter_backends: list = []

    @extend_schema(operation_id="ratings_rectifications", summary="差评整改公开列表（不含个人信息）")
    def get(self, request):
        page = self.paginate_queryset(selectors.public_rectifications())
        return self.get_paginated_response(s.PublicRectificationOutputSerializer(page, many=True).data)
