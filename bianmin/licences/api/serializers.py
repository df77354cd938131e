from django.utils.translation import gettext as _
from rest_framework import serializers

from bianmin.licences.constants import (
    SHARE_LINK_DEFAULT_DAYS,
    SHARE_LINK_MAX_DAYS,
    RevocationKind,
    VerifyOutcome,
)
from bianmin.licences.models import Licence


class LicenceVerifyInputSerializer(serializers.Serializer):
    identifier = serializers.CharField(
        required=False, allow_blank=True, max_length=128, help_text="e-licence identifier (电子证照标识)"
    )
    licence_file = serializers.JSONField(
        required=False, help_text="an exported licence data file (证照数据文件), as a JSON object"
    )
    upload = serializers.FileField(
        required=False,
        help_text="the licence PDF or an exported licence data file (multipart, at most 10 MB)",
    )

    def validate(self, attrs):
        if not attrs.get("identifier") and attrs.get("licence_file") is None and attrs.get("upload") is None:
            raise serializers.ValidationError(_("请提供电子证照标识、证照数据文件或上传文件。"))
        return attrs


class LicenceFieldOutputSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class LicencePublicOutputSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    type_name = serializers.CharField()
    licence_no = serializers.CharField()
    holder_name = serializers.CharField()
    holder_code_masked = serializers.CharField()
    holder_code_type = serializers.CharField()
    issuer_name = serializers.CharField()
    issued_on = serializers.CharField()
    valid_from = serializers.CharField()
    valid_until = serializers.CharField(allow_null=True)
    version = serializers.IntegerField()
    fields = LicenceFieldOutputSerializer(many=True)
    seal_name = serializers.CharField()


class LicenceVerifyOutputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=VerifyOutcome.choices)
    outcome_label = serializers.CharField()
    message = serializers.CharField()
    detail = serializers.CharField()
    signature_valid = serializers.BooleanField()
    revoked_on = serializers.DateField(allow_null=True)
    revocation_kind = serializers.CharField()
    revocation_reason = serializers.CharField()
    current_identifier = serializers.CharField()
    licence = LicencePublicOutputSerializer(allow_null=True)


class SealKeyOutputSerializer(serializers.Serializer):
    seal_code = serializers.CharField()
    seal_name = serializers.CharField()
    department_uscc = serializers.CharField()
    key_version = serializers.IntegerField()
    fingerprint = serializers.CharField()
    public_key_pem = serializers.CharField()
    is_current = serializers.BooleanField()
    valid_from = serializers.CharField()
    valid_until = serializers.CharField()
    retired_at = serializers.CharField(allow_null=True)


class SealKeysOutputSerializer(serializers.Serializer):
    format = serializers.CharField()
    keys = SealKeyOutputSerializer(many=True)


class LicenceListOutputSerializer(serializers.ModelSerializer):
    type_code = serializers.CharField(source="licence_type.code")
    type_name = serializers.CharField(source="licence_type.name")
    issuer_name = serializers.CharField(source="issuer.name")

    class Meta:
        model = Licence
        fields = [
            "identifier",
            "type_code",
            "type_name",
            "licence_no",
            "holder_name",
            "holder_code_masked",
            "holder_code_type",
            "issuer_name",
            "issued_on",
            "valid_from",
            "valid_until",
            "version",
            "status",
        ]


class LicenceDetailOutputSerializer(LicenceListOutputSerializer):
    class Meta(LicenceListOutputSerializer.Meta):
        fields = [
            *LicenceListOutputSerializer.Meta.fields,
            "data",
            "revocation_kind",
            "revoked_on",
            "revocation_reason",
            "digest_sm3",
            "pdf_sm3",
            "key_fingerprint",
            "key_version",
        ]


class LicenceRevokeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RevocationKind.choices, help_text="cancel (注销) or revoke (吊销)")
    reason = serializers.CharField(max_length=1000)


class LicenceRenewInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    valid_until = serializers.DateField(
        required=False,
        help_text="end of the new validity; default: the type's validity period from the end of the current one",
    )


class LicenceChangeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    holder_name = serializers.CharField(required=False, max_length=200)
    fields = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="face fields to change, by the licence type's field keys",
    )


class LicenceShareInputSerializer(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=SHARE_LINK_MAX_DAYS,
        default=SHARE_LINK_DEFAULT_DAYS,
        help_text="days the verification link stays valid",
    )


class LicenceShareOutputSerializer(serializers.Serializer):
    url = serializers.CharField()
    expires_at = serializers.DateTimeField()


class LicenceSharedQueryInputSerializer(serializers.Serializer):
    holder_code = serializers.CharField(
        max_length=18, help_text="the holder's ID card number or unified social credit code (USCC)"
    )
    purpose = serializers.CharField(max_length=200, help_text="why the licences are needed (logged)")
    case = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="case number (办件编号)"
    )
