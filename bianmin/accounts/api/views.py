"""Account API: token, profile (/me/), SMS codes, registration, password reset, enterprises and their members,
role grants (platform admins) and the staff list. Thin: every rule is in services.py and rules.py."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from bianmin.accounts import rules, selectors, services
from bianmin.accounts.api.serializers import (
    EnterpriseMemberAddInputSerializer,
    EnterpriseMemberOutputSerializer,
    EnterpriseOutputSerializer,
    EnterpriseRegisterInputSerializer,
    MeOutputSerializer,
    OtpSendInputSerializer,
    OtpSendOutputSerializer,
    PasswordResetInputSerializer,
    RegisterInputSerializer,
    RoleAssignmentOutputSerializer,
    RoleGrantInputSerializer,
    StaffOutputSerializer,
    TokenObtainInputSerializer,
    TokenObtainOutputSerializer,
)
from bianmin.accounts.exceptions import AccountInvalid, AccountNotFound
from bianmin.accounts.models import EnterpriseMembership, RoleAssignment, User
from bianmin.core.exceptions import ApplicationError
from bianmin.organisations.models import Department, Hall


class IsPlatformAdmin(BasePermission):
    message = "只有平台管理员可以执行此操作。"

    def has_permission(self, request, view):
        return rules.is_platform_admin(request.user)


class IsAdminOrSupervisor(BasePermission):
    message = "只有平台管理员或效能监督员可以查看。"

    def has_permission(self, request, view):
        return rules.is_platform_admin(request.user) or rules.is_supervisor(request.user)


def me_data(user: User) -> dict:
    assignments = selectors.role_assignments_of(user)
    memberships = selectors.memberships_of(user)
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "kind": user.kind,
        "kind_label": user.get_kind_display(),
        "id_card_no": user.masked_id_card,
        "mobile": user.masked_mobile,
        "mobile_verified": user.mobile_verified_at is not None,
        "privacy_version": user.privacy_version,
        "is_platform_admin": rules.is_platform_admin(user),
        "roles": assignments,
        "enterprises": memberships,
        "scopes": {
            "departments": sorted({a.department.short_code for a in assignments if a.department_id}),
            "halls": sorted({a.hall_id for a in assignments if a.hall_id}),
            "enterprises": [m.enterprise.uscc for m in memberships],
            "permissions": rules.permissions_of(user),
        },
    }
    return MeOutputSerializer(data).data


@extend_schema(tags=["accounts"], summary="当前用户（角色与权限范围）", responses=MeOutputSerializer)
class MeApi(APIView):
    def get(self, request):
        return Response(me_data(request.user))


class TokenObtainApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        tags=["accounts"],
        summary="用用户名（或手机号）和密码换取 API 令牌",
        request=TokenObtainInputSerializer,
        responses={200: TokenObtainOutputSerializer, 400: OpenApiResponse(description="用户名或密码不正确")},
    )
    def post(self, request):
        data = TokenObtainInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        locked = ApplicationError(
            _("密码连续输错5次，该账号已被锁定30分钟。"), code="account_locked", http_status=403
        )
        if AxesProxyHandler.is_locked(
            django_request, credentials={"username": data.validated_data["username"]}
        ):
            raise locked  # answered here in JSON, before axes' own HTML lockout page
        user = authenticate(django_request, **data.validated_data)
        if getattr(django_request, "axes_locked_out", False):
            django_request.axes_locked_out = False
            raise locked
        if user is None:
            raise AccountInvalid(_("用户名（手机号）或密码不正确。"), code="invalid_credentials")
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "me": me_data(user)})


class OtpSendApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "otp"

    @extend_schema(
        tags=["accounts"],
        summary="发送短信验证码",
        request=OtpSendInputSerializer,
        responses=OtpSendOutputSerializer,
    )
    def post(self, request):
        data = OtpSendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.otp_send(**data.validated_data)
        return Response(
            {"detail": _("如手机号有效，验证码已发送，5分钟内有效。")}, status=status.HTTP_202_ACCEPTED
        )


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        tags=["accounts"],
        summary="自然人注册",
        request=RegisterInputSerializer,
        responses={201: MeOutputSerializer},
    )
    def post(self, request):
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.citizen_register(**data.validated_data)
        return Response(me_data(user), status=status.HTTP_201_CREATED)


class PasswordResetApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        tags=["accounts"],
        summary="凭短信验证码重设密码",
        request=PasswordResetInputSerializer,
        responses={204: None},
    )
    def post(self, request):
        data = PasswordResetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset(**data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EnterpriseListApi(APIView):
    @extend_schema(tags=["accounts"], summary="我代表的企业", responses=EnterpriseOutputSerializer(many=True))
    def get(self, request):
        memberships = selectors.memberships_of(request.user)
        admin_of = {m.enterprise_id for m in memberships if m.is_admin}
        return Response(
            EnterpriseOutputSerializer(
                [m.enterprise for m in memberships], many=True, context={"admin_of": admin_of}
            ).data
        )

    @extend_schema(
        tags=["accounts"],
        summary="登记企业（登记人成为企业管理员）",
        request=EnterpriseRegisterInputSerializer,
        responses={201: EnterpriseOutputSerializer},
    )
    def post(self, request):
        data = EnterpriseRegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = services.enterprise_register(acting_user=request.user, **data.validated_data)
        return Response(
            EnterpriseOutputSerializer(enterprise, context={"admin_of": {enterprise.pk}}).data,
            status=status.HTTP_201_CREATED,
        )


class EnterpriseMemberListApi(APIView):
    @extend_schema(
        tags=["accounts"], summary="企业成员", responses=EnterpriseMemberOutputSerializer(many=True)
    )
    def get(self, request, uscc):
        enterprise = selectors.enterprise_get_for_user(user=request.user, uscc=uscc)
        return Response(
            EnterpriseMemberOutputSerializer(
                selectors.enterprise_members(enterprise=enterprise), many=True
            ).data
        )

    @extend_schema(
        tags=["accounts"],
        summary="添加企业成员（企业管理员）",
        request=EnterpriseMemberAddInputSerializer,
        responses={201: EnterpriseMemberOutputSerializer},
    )
    def post(self, request, uscc):
        enterprise = selectors.enterprise_get_for_user(user=request.user, uscc=uscc)
        data = EnterpriseMemberAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.enterprise_member_add(
            enterprise=enterprise, acting_user=request.user, **data.validated_data
        )
        return Response(EnterpriseMemberOutputSerializer(membership).data, status=status.HTTP_201_CREATED)


class EnterpriseMemberRemoveApi(APIView):
    @extend_schema(
        tags=["accounts"], summary="移除企业成员（企业管理员）", request=None, responses={204: None}
    )
    def delete(self, request, uscc, pk):
        enterprise = selectors.enterprise_get_for_user(user=request.user, uscc=uscc)
        membership = get_object_or_404(EnterpriseMembership, pk=pk, enterprise=enterprise, is_active=True)
        services.enterprise_member_remove(
            enterprise=enterprise, acting_user=request.user, membership=membership
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["accounts"], summary="角色授权列表（平台管理员）")
class RoleAssignmentListApi(generics.ListAPIView):
    permission_classes = [IsAuthenticated, IsPlatformAdmin]
    serializer_class = RoleAssignmentOutputSerializer

    def get_queryset(self):
        return selectors.role_assignment_list(user=self.request.user)


class RoleGrantApi(APIView):
    permission_classes = [IsAuthenticated, IsPlatformAdmin]

    @extend_schema(
        tags=["accounts"],
        summary="授予角色（平台管理员）",
        request=RoleGrantInputSerializer,
        responses={201: RoleAssignmentOutputSerializer},
    )
    def post(self, request):
        data = RoleGrantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = User.objects.filter(username=values["username"]).first()
        if user is None:
            raise AccountNotFound(_("未找到该用户。"), fields={"username": [_("未找到该用户。")]})
        department = hall = None
        if values.get("department"):
            department = Department.objects.filter(short_code=values["department"]).first()
            if department is None:
                raise AccountInvalid(_("未找到该部门。"), fields={"department": [_("未找到该部门。")]})
        if values.get("hall"):
            hall = Hall.objects.filter(pk=values["hall"]).first()
            if hall is None:
                raise AccountInvalid(_("未找到该大厅。"), fields={"hall": [_("未找到该大厅。")]})
        assignment = services.role_grant(
            acting_user=request.user, user=user, role=values["role"], department=department, hall=hall
        )
        return Response(RoleAssignmentOutputSerializer(assignment).data, status=status.HTTP_201_CREATED)


class RoleRevokeApi(APIView):
    permission_classes = [IsAuthenticated, IsPlatformAdmin]

    @extend_schema(
        tags=["accounts"],
        summary="撤销角色（平台管理员）",
        request=None,
        responses=RoleAssignmentOutputSerializer,
    )
    def post(self, request, pk):
        assignment = get_object_or_404(RoleAssignment, pk=pk)
        assignment = services.role_revoke(acting_user=request.user, assignment=assignment)
        return Response(RoleAssignmentOutputSerializer(assignment).data)


@extend_schema(tags=["accounts"], summary="工作人员列表（脱敏）")
class StaffListApi(generics.ListAPIView):
    permission_classes = [IsAuthenticated, IsAdminOrSupervisor]
    serializer_class = StaffOutputSerializer

    def get_queryset(self):
        return selectors.staff_list(user=self.request.user)
