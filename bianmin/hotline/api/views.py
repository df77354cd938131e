"""Request desk API: list/create, detail, one POST per action; FAQ; smart guide."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from bianmin.catalog.models import ServiceItem
from bianmin.hotline import guide, selectors, services
from bianmin.hotline.api import serializers as s
from bianmin.hotline.exceptions import RequestInvalid
from bianmin.hotline.models import RequestCategory
from bianmin.organisations.models import Department

ERROR = OpenApiResponse(description="{code, detail, fields}")
ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}


def _detail(request, obj, code=status.HTTP_200_OK) -> Response:
    fresh = selectors.request_get_for_user(user=request.user, number=obj.number)
    return Response(
        s.ServiceRequestDetailOutputSerializer(fresh, context={"user": request.user}).data, status=code
    )


class ServiceRequestListCreateApi(GenericAPIView):
    serializer_class = s.ServiceRequestListOutputSerializer
    filter_backends: list = []

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(
        operation_id="service_requests_list",
        summary="诉求列表（按身份限定范围）",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, description="open | received | dispatched | …"),
            OpenApiParameter("kind", OpenApiTypes.STR),
            OpenApiParameter("overdue", OpenApiTypes.BOOL),
            OpenApiParameter("mine", OpenApiTypes.BOOL),
        ],
    )
    def get(self, request):
        qs = selectors.request_list_for_user(user=request.user, filters=request.query_params)
        page = self.paginate_queryset(qs)
        rows = s.ServiceRequestListOutputSerializer(page, many=True, context={"user": request.user})
        return self.get_paginated_response(rows.data)

    @extend_schema(
        operation_id="service_requests_create",
        summary="提出诉求（举报可匿名）",
        request=s.ServiceRequestCreateInputSerializer,
        responses={201: s.ServiceRequestDetailOutputSerializer, **ERRORS},
    )
    def post(self, request):
        data = s.ServiceRequestCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        category = None
        if v.pop("category", ""):
            category = selectors.public_categories().filter(code=data.validated_data["category"]).first()
            if category is None:
                raise RequestInvalid("未知的诉求类别。", fields={"category": ["未知的类别。"]})
        obj = services.request_create(
            acting_user=request.user,
            category=category,
            idempotency_key=(request.headers.get("Idempotency-Key") or "")[:64],
            **v,
        )
        if obj.is_anonymous or not request.user.is_authenticated:
            # An anonymous requester gets the number only: nobody can look an anonymous request up.
            return Response({"number": obj.number, "due_on": obj.due_on}, status=status.HTTP_201_CREATED)
        return _detail(request, obj, status.HTTP_201_CREATED)


class ServiceRequestDetailApi(APIView):
    @extend_schema(
        operation_id="service_requests_retrieve",
        summary="诉求详情",
        responses={200: s.ServiceRequestDetailOutputSerializer, 404: ERROR},
    )
    def get(self, request, number: str):
        return _detail(request, selectors.request_get_for_user(user=request.user, number=number))


def _action(name, input_serializer, call, summary):
    class _Api(APIView):
        @extend_schema(
            operation_id=f"service_requests_{name}",
            summary=summary,
            request=input_serializer,
            responses={200: s.ServiceRequestDetailOutputSerializer, **ERRORS},
        )
        def post(self, request, number: str):
            obj = selectors.request_get_for_user(user=request.user, number=number)
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            obj = call(obj, request.user, data.validated_data)
            return _detail(request, obj)

    _Api.__name__ = _Api.__qualname__ = f"ServiceRequest{name.title()}Api"
    return _Api


def _dispatch(obj, user, v):
    department = Department.objects.filter(pk=v["department"], is_active=True).first()
    return services.request_dispatch(request=obj, acting_user=user, department=department, reason=v["reason"])


def _classify(obj, user, v):
    category = None
    if v.get("category"):
        category = RequestCategory.objects.filter(code=v["category"], is_active=True).first()
        if category is None:
            raise RequestInvalid(_("未知的诉求类别。"), fields={"category": [_("未知的类别。")]})
    return services.request_classify(request=obj, acting_user=user, kind=v["kind"], category=category)


ServiceRequestClassifyApi = _action(
    "classify", s.RequestClassifyInputSerializer, _classify, "分类（类型与类别，分办前；时限随类型重算）"
)
ServiceRequestDispatchApi = _action(
    "dispatch", s.RequestDispatchInputSerializer, _dispatch, "分办（可重新分办一次）"
)
ServiceRequestReturnApi = _action(
    "return",
    s.RequestReturnInputSerializer,
    lambda o, u, v: services.request_return(request=o, acting_user=u, reason=v["reason"]),
    "部门退回（一次，须说明理由）",
)
ServiceRequestAnswerApi = _action(
    "answer",
    s.RequestAnswerInputSerializer,
    lambda o, u, v: services.request_answer(request=o, acting_user=u, answer=v["answer"]),
    "部门答复",
)
ServiceRequestConfirmApi = _action(
    "confirm",
    s.RequestConfirmInputSerializer,
    lambda o, u, v: services.request_confirm(request=o, acting_user=u, **v),
    "诉求人确认办结",
)
ServiceRequestCallbackApi = _action(
    "callback",
    s.RequestCallbackInputSerializer,
    lambda o, u, v: services.request_callback_record(request=o, acting_user=u, **v),
    "记录回访并办结",
)
ServiceRequestReviewApi = _action(
    "review",
    s.RequestReviewInputSerializer,
    lambda o, u, v: services.request_review_close(request=o, acting_user=u, **v),
    "监督员审核办结匿名诉求",
)


class RequestCategoryListApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="request_categories_list",
        summary="诉求类别",
        responses=s.RequestCategoryOutputSerializer(many=True),
    )
    def get(self, request):
        categories = selectors.public_categories().prefetch_related("attributes")
        return Response(s.RequestCategoryOutputSerializer(categories, many=True).data)


class FaqListCreateApi(GenericAPIView):
    serializer_class = s.FaqOutputSerializer
    filter_backends: list = []

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(
        operation_id="faq_list",
        summary="常见问题（?q= 检索）",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR)],
    )
    def get(self, request):
        q = (request.query_params.get("q") or "").strip()
        if q:
            ids = [hit.id for hit in guide.search_faq(q, limit=20)]
            rows = {e.pk: e for e in selectors.faq_published().filter(pk__in=ids)}
            qs = [rows[i] for i in ids if i in rows]
        else:
            qs = selectors.faq_published()
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.FaqOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="faq_create",
        summary="新增常见问题（工作人员）",
        request=s.FaqCreateInputSerializer,
        responses={201: s.FaqOutputSerializer, **ERRORS},
    )
    def post(self, request):
        data = s.FaqCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        item_code = v.pop("item_code", "")
        item = ServiceItem.objects.filter(code=item_code).first() if item_code else None
        entry = services.faq_save(acting_user=request.user, item=item, **v)
        return Response(s.FaqOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


class FaqDetailApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="faq_retrieve",
        summary="常见问题详情",
        responses={200: s.FaqOutputSerializer, 404: ERROR},
    )
    def get(self, request, pk: int):
        return Response(s.FaqOutputSerializer(selectors.faq_get(pk=pk)).data)


class GuideApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="guide",
        summary="智能导办：用一句话提问，返回匹配事项与常见问题",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True)],
        responses=s.GuideOutputSerializer,
    )
    def get(self, request):
        result = guide.answer(request.query_params.get("q") or "")
        return Response(s.GuideOutputSerializer(asdict(result)).data)
