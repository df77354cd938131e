"""Input and output serializers of the cases API, uniquely named for the OpenAPI schema."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bianmin.cases import clock
from bianmin.cases.constants import (
    AcceptanceMode,
    ApplicantKind,
    CaseState,
    Decision,
    DeliveryChannel,
    SpecialProcedure,
)

# --------------------------------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------------------------------


class CaseClockOutputSerializer(serializers.Serializer):
    total_days = serializers.IntegerField(allow_null=True)
    used_days = serializers.IntegerField(allow_null=True)
    left_days = serializers.IntegerField(allow_null=True)
    colour = serializers.CharField()
    deadline_on = serializers.DateField(allow_null=True)
    is_provisional = serializers.BooleanField()
    is_suspended = serializers.BooleanField()


class _ClockMixin(serializers.Serializer):
    clock = serializers.SerializerMethodField()

    @extend_schema_field(CaseClockOutputSerializer)
    def get_clock(self, case) -> dict:
        return CaseClockOutputSerializer(clock.status(case)).data


class CaseListOutputSerializer(_ClockMixin, serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField(allow_null=True)
    reference = serializers.CharField()
    state = serializers.ChoiceField(choices=CaseState.choices)
    state_label = serializers.CharField(source="get_state_display")
    item_code = serializers.CharField(source="item.code")
    item_name = serializers.CharField(source="item_version.name")
    department = serializers.CharField(source="department.short_name")
    applicant_name = serializers.CharField()
    applicant_id_masked = serializers.CharField()
    channel = serializers.CharField()
    hall = serializers.CharField(source="hall.name", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField(allow_null=True)
    intake_due_on = serializers.DateField(allow_null=True)
    is_late_intake = serializers.BooleanField()
    accepted_on = serializers.DateField(allow_null=True)
    deadline_on = serializers.DateField(allow_null=True)
    concluded_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class CaseMaterialOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    material = serializers.IntegerField(source="material_id", allow_null=True)
    name = serializers.CharField()
    kind = serializers.CharField()
    file_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    licence_provider = serializers.CharField()
    licence_ref = serializers.CharField()
    commitment_signed_at = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    supplied_at = serializers.DateTimeField(allow_null=True)
    trust_level = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, row) -> str | None:
        if not row.file:
            return None
        return reverse("cases-api:case-material-file", args=[self.context["reference"], row.pk])


class CaseReviewTaskOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.CharField(source="department.short_name")
    department_id = serializers.IntegerField()
    is_lead = serializers.BooleanField()
    state = serializers.CharField()
    opinion = serializers.CharField()
    asks_return = serializers.BooleanField()
    done_by = serializers.CharField(source="done_by.display_name", allow_null=True, default=None)
    done_at = serializers.DateTimeField(allow_null=True)


class CaseSuspensionOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    procedure = serializers.CharField()
    reason = serializers.CharField()
    requested_items = serializers.ListField(child=serializers.CharField())
    started_on = serializers.DateField()
    resumed_on = serializers.DateField(allow_null=True)
    days = serializers.IntegerField()


class CaseExtensionOutputSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    reason = serializers.CharField()
    approved_at = serializers.DateTimeField()


class CaseResultOutputSerializer(serializers.Serializer):
    provider = serializers.CharField()
    ref = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField()


class CaseNoticeLinkOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class CaseDetailOutputSerializer(CaseListOutputSerializer):
    item_version = serializers.IntegerField(source="item_version.number")
    applicant_kind = serializers.CharField()
    enterprise = serializers.CharField(source="enterprise.name", allow_null=True, default=None)
    agent_name = serializers.CharField()
    agent_id_masked = serializers.CharField()
    form_data = serializers.JSONField()
    acceptance_mode = serializers.CharField()
    intake_started_on = serializers.DateField(allow_null=True)
    correction_notes = serializers.JSONField()
    decline_reason = serializers.CharField()
    decline_legal_basis = serializers.CharField()
    limit_days = serializers.IntegerField(allow_null=True)
    suspended_days = serializers.IntegerField()
    extension_days = serializers.IntegerField()
    is_provisional_deadline = serializers.BooleanField()
    decision = serializers.CharField()
    decision_reasons = serializers.CharField()
    remedies = serializers.CharField()
    delivery_channel = serializers.CharField()
    delivery_hall = serializers.CharField(source="delivery_hall.name", allow_null=True, default=None)
    delivery_tracking_no = serializers.CharField()
    delivery_recipient = serializers.CharField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    fee_due = serializers.DecimalField(max_digits=12, decimal_places=2)
    fee_paid_at = serializers.DateTimeField(allow_null=True)
    fee_receipt_no = serializers.CharField()
    visits_count = serializers.IntegerField()
    closed_reason = serializers.CharField()
    materials = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()
    suspensions = CaseSuspensionOutputSerializer(many=True, source="suspensions.all")
    extensions = CaseExtensionOutputSerializer(many=True, source="extensions.all")
    allowed_actions = serializers.SerializerMethodField()
    notices = serializers.SerializerMethodField()
    result_document = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()

    @extend_schema_field(CaseNoticeLinkOutputSerializer(many=True))
    def get_notices(self, case):
        from bianmin.cases import notices

        if not case.number:
            return []
        return [
            {
                "kind": kind,
                "title": str(notices.NOTICE_KINDS[kind].title),
                "url": reverse("cases-api:case-notice", args=[case.number, kind]),
            }
            for kind in notices.available_notices(case)
        ]

    @extend_schema_field(CaseNoticeLinkOutputSerializer(allow_null=True))
    def get_result_document(self, case):
        """审批结果文书: the decision notice of the conclusion (the file electronic delivery hands over)."""
        from bianmin.cases import notices

        if not case.number or not case.decision:
            return None
        return {
            "kind": "decision",
            "title": notices.notice_title(case, "decision"),
            "url": reverse("cases-api:case-result-document", args=[case.number]),
        }

    @extend_schema_field(CaseResultOutputSerializer(many=True))
    def get_results(self, case):
        """Electronic results issued for the case (e-licences), from the registered result providers."""
        from bianmin.cases import registries

        if not case.decision:
            return []
        return CaseResultOutputSerializer(registries.case_results(case), many=True).data

    @extend_schema_field(CaseMaterialOutputSerializer(many=True))
    def get_materials(self, case):
        return CaseMaterialOutputSerializer(
            case.materials.all(), many=True, context={"reference": case.reference}
        ).data

    @extend_schema_field(CaseReviewTaskOutputSerializer(many=True))
    def get_tasks(self, case):
        return CaseReviewTaskOutputSerializer(getattr(case, "visible_tasks", []), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, case) -> list[str]:
        from bianmin.cases import access, transitions

        user = self.context.get("user")
        if user is None:
            return []
        return transitions.allowed_actions(case.state, access.actor_roles(user, case))


class CaseEventOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    actor = serializers.SerializerMethodField()
    role = serializers.CharField()
    at = serializers.DateTimeField()
    state_from = serializers.CharField()
    state_to = serializers.CharField()
    data = serializers.JSONField()

    def get_actor(self, event) -> str:
        return event.actor.display_name if event.actor_id else ""


# --------------------------------------------------------------------------------------------------
# input
# --------------------------------------------------------------------------------------------------


class CaseListInputSerializer(serializers.Serializer):
    state = serializers.CharField(required=False, help_text="state, or several separated by commas")
    item = serializers.CharField(required=False, help_text="item code")
    number = serializers.CharField(required=False)
    overdue = serializers.BooleanField(required=False)
    mine = serializers.BooleanField(required=False)


class CaseApplicantInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    name = serializers.CharField(max_length=200)
    id_no = serializers.CharField(max_length=18)
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True)


class CaseAgentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    id_no = serializers.CharField(max_length=18)
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True)


class CaseDeliveryChoiceInputSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=DeliveryChannel.choices)
    hall = serializers.IntegerField(required=False)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CaseCreateInputSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="item code")
    form_data = serializers.DictField(required=False, default=dict)
    enterprise = serializers.IntegerField(required=False, help_text="enterprise id (act for it)")
    applicant = CaseApplicantInputSerializer(required=False, help_text="window intake only")
    agent = CaseAgentInputSerializer(required=False)
    hall = serializers.IntegerField(required=False, help_text="window intake: the clerk's hall")
    window = serializers.IntegerField(required=False)
    delivery = CaseDeliveryChoiceInputSerializer(required=False)


class CaseUpdateInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    form_data = serializers.DictField(required=False)
    agent = CaseAgentInputSerializer(required=False)
    delivery = CaseDeliveryChoiceInputSerializer(required=False)


class _VersionedInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="the case version the form was loaded with")


class CaseSubmitInputSerializer(_VersionedInputSerializer):
    pass


class CaseCorrectionProblemInputSerializer(serializers.Serializer):
    material = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500)


class CaseRequestCorrectionInputSerializer(_VersionedInputSerializer):
    problems = CaseCorrectionProblemInputSerializer(many=True)


class CaseResubmitInputSerializer(_VersionedInputSerializer):
    pass


class CaseDeclineInputSerializer(_VersionedInputSerializer):
    reason = serializers.CharField()
    legal_basis = serializers.CharField()


class CaseMissingMaterialInputSerializer(serializers.Serializer):
    material = serializers.IntegerField()
    due_on = serializers.DateField()


class CaseAcceptInputSerializer(_VersionedInputSerializer):
    mode = serializers.ChoiceField(choices=AcceptanceMode.choices, default=AcceptanceMode.STANDARD)
    missing = CaseMissingMaterialInputSerializer(many=True, required=False, default=list)


class CaseAcceptAndConcludeInputSerializer(_VersionedInputSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices, default=Decision.APPROVED)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")


class CaseMaterialInputSerializer(_VersionedInputSerializer):
    material = serializers.IntegerField(required=False, allow_null=True, help_text="catalog material id")
    name = serializers.CharField(required=False, allow_blank=True, default="", help_text="extra material")
    file = serializers.FileField(required=False)
    licence_provider = serializers.CharField(required=False, allow_blank=True, default="")
    licence_ref = serializers.CharField(required=False, allow_blank=True, default="")
    commitment_text = serializers.CharField(required=False, allow_blank=True, default="")


class CaseSupplementInputSerializer(CaseMaterialInputSerializer):
    pass


class CaseStartReviewInputSerializer(_VersionedInputSerializer):
    pass


class CaseReviewInputSerializer(_VersionedInputSerializer):
    task = serializers.IntegerField()
    opinion = serializers.CharField()
    asks_return = serializers.BooleanField(default=False)


class CaseReturnInputSerializer(_VersionedInputSerializer):
    reason = serializers.CharField()
    requested_items = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class CaseSuspendInputSerializer(_VersionedInputSerializer):
    procedure = serializers.ChoiceField(choices=SpecialProcedure.choices)
    reason = serializers.CharField()


class CaseResumeInputSerializer(_VersionedInputSerializer):
    pass


class CaseExtendInputSerializer(_VersionedInputSerializer):
    days = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()


class CaseConcludeInputSerializer(_VersionedInputSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    fee_due = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, default=0, min_value=0
    )


class CasePayInputSerializer(_VersionedInputSerializer):
    pass


class CaseDeliverInputSerializer(_VersionedInputSerializer):
    channel = serializers.ChoiceField(choices=DeliveryChannel.choices)
    recipient = serializers.CharField(required=False, allow_blank=True, default="")
    hall = serializers.IntegerField(required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True, default="")
    tracking_no = serializers.CharField(required=False, allow_blank=True, default="")


class CaseWithdrawInputSerializer(_VersionedInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CaseVoidInputSerializer(_VersionedInputSerializer):
    reason = serializers.CharField()


class CasePublicProgressInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=23)
    name_or_phone_tail = serializers.CharField(max_length=64)


class CasePublicProgressOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    item_name = serializers.CharField(source="item_version.name")
    department = serializers.CharField(source="department.name")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    submitted_at = serializers.DateTimeField(allow_null=True)
    accepted_on = serializers.DateField(allow_null=True)
    deadline_on = serializers.DateField(allow_null=True)
    concluded_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)


__all__ = ["OpenApiTypes"]


class CaseNoticeVerifyOutputSerializer(serializers.Serializer):
    """核验办件文书: the issued notice's identity, whether it was sealed, whether its signature verifies
    (`valid`, false for an unsealed notice) and whether the stored PDF is the one issued (`intact`)."""

    id = serializers.UUIDField()
    valid = serializers.BooleanField()
    sealed = serializers.BooleanField()
    intact = serializers.BooleanField()
    kind = serializers.CharField()
    title = serializers.CharField()
    case_number = serializers.CharField()
    department = serializers.CharField()
    issued_at = serializers.DateTimeField()
    seal_code = serializers.CharField(allow_null=True)
    key_version = serializers.IntegerField(allow_null=True)
    key_fingerprint = serializers.CharField(allow_blank=True)
    pdf_sm3 = serializers.CharField()


class InstantAuthorisationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.IntegerField(source="department_id")
    department_name = serializers.CharField(source="department.name")
    clerk = serializers.IntegerField(source="clerk_id")
    clerk_name = serializers.SerializerMethodField()
    is_active = serializers.BooleanField()
    granted_by = serializers.IntegerField(source="granted_by_id")
    updated_at = serializers.DateTimeField()

    def get_clerk_name(self, obj) -> str:
        return obj.clerk.full_name or obj.clerk.username


class InstantAuthorisationInputSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    clerk = serializers.IntegerField()
    active = serializers.BooleanField(default=True)
