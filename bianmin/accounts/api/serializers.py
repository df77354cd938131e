from rest_framework import serializers

from bianmin.accounts.constants import PRIVACY_NOTICE_VERSION, OtpPurpose, Role
from bianmin.accounts.models import Enterprise, EnterpriseMembership, RoleAssignment, User


class TokenObtainInputSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="用户名或手机号")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class RoleScopeOutputSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    department = serializers.CharField(source="department.short_code", default=None, read_only=True)
    department_name = serializers.CharField(source="department.name", default=None, read_only=True)
    hall = serializers.IntegerField(source="hall_id", default=None, read_only=True)
    hall_name = serializers.CharField(source="hall.name", default=None, read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["role", "role_label", "department", "department_name", "hall", "hall_name"]


class MeEnterpriseOutputSerializer(serializers.Serializer):
    uscc = serializers.CharField(source="enterprise.uscc")
    name = serializers.CharField(source="enterprise.name")
    is_admin = serializers.BooleanField()


class MeScopesOutputSerializer(serializers.Serializer):
    departments = serializers.ListField(child=serializers.CharField())
    halls = serializers.ListField(child=serializers.IntegerField())
    enterprises = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(child=serializers.CharField())


class MeOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    id_card_no = serializers.CharField(help_text="脱敏")
    mobile = serializers.CharField(help_text="脱敏")
    mobile_verified = serializers.BooleanField()
    privacy_version = serializers.CharField()
    is_platform_admin = serializers.BooleanField()
    roles = RoleScopeOutputSerializer(many=True)
    enterprises = MeEnterpriseOutputSerializer(many=True)
    scopes = MeScopesOutputSerializer()


class TokenObtainOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    me = MeOutputSerializer()


class OtpSendInputSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=11)
    purpose = serializers.ChoiceField(choices=[OtpPurpose.REGISTER, OtpPurpose.RESET_PASSWORD])


class OtpSendOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()


class RegisterInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=32)
    id_card_no = serializers.CharField(max_length=18)
    mobile = serializers.CharField(max_length=11)
    code = serializers.CharField(max_length=6)
    password = serializers.CharField(trim_whitespace=False)
    username = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    privacy_accepted = serializers.BooleanField()
    privacy_version = serializers.CharField(default=PRIVACY_NOTICE_VERSION)


class PasswordResetInputSerializer(serializers.Serializer):
    mobile = serializers.CharField(max_length=11)
    code = serializers.CharField(max_length=6)
    new_password = serializers.CharField(trim_whitespace=False)


class EnterpriseOutputSerializer(serializers.ModelSerializer):
    is_admin = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = ["uscc", "name", "legal_representative", "address", "is_admin"]

    def get_is_admin(self, obj) -> bool:
        return obj.pk in self.context.get("admin_of", set())


class EnterpriseRegisterInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    uscc = serializers.CharField(max_length=18)
    legal_representative = serializers.CharField(max_length=64)
    legal_representative_id_card_no = serializers.CharField(max_length=18, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EnterpriseMemberOutputSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="user.full_name")
    mobile = serializers.CharField(source="user.masked_mobile", help_text="脱敏")

    class Meta:
        model = EnterpriseMembership
        fields = ["id", "full_name", "mobile", "is_admin", "created_at"]


class EnterpriseMemberAddInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=32)
    mobile = serializers.CharField(max_length=11)
    is_admin = serializers.BooleanField(default=False)


class RoleAssignmentOutputSerializer(RoleScopeOutputSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    user_full_name = serializers.CharField(source="user.full_name", read_only=True)
    granted_by = serializers.CharField(source="granted_by.username", default=None, read_only=True)

    class Meta(RoleScopeOutputSerializer.Meta):
        fields = [
            "id",
            "user",
            "user_full_name",
            *RoleScopeOutputSerializer.Meta.fields,
            "is_active",
            "granted_by",
            "created_at",
        ]


class RoleGrantInputSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    department = serializers.CharField(required=False, allow_blank=True, help_text="部门简码（4位）")
    hall = serializers.IntegerField(required=False, allow_null=True)


class StaffOutputSerializer(serializers.ModelSerializer):
    mobile = serializers.CharField(source="masked_mobile", help_text="脱敏")
    id_card_no = serializers.CharField(source="masked_id_card", help_text="脱敏")

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "mobile", "id_card_no", "is_active"]
