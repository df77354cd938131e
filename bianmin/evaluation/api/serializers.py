from __future__ import annotations

from rest_framework import serializers

from bianmin.core.masking import mask_text
from bianmin.evaluation import conf, rules
from bianmin.evaluation.constants import Channel, Level, Outcome
from bianmin.evaluation.models import Appeal, Evaluation, EvaluationInvitation, Rectification


class InvitationOutputSerializer(serializers.ModelSerializer):
    tags = serializers.SerializerMethodField()
    levels = serializers.SerializerMethodField()
    ratings_given = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationInvitation
        fields = [
            "token",
            "subject",
            "label",
            "service_mode",
            "tags",
            "levels",
            "ratings_given",
            "created_at",
        ]

    def get_tags(self, obj) -> list[str]:
        return conf.tags_for(obj.service_mode)

    def get_levels(self, obj) -> list[dict]:
        return [{"value": value, "label": str(label)} for value, label in Level.choices]

    def get_ratings_given(self, obj) -> int:
        return obj.evaluations.count()


class EvaluationSubmitInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=43)
    level = serializers.ChoiceField(choices=Level.choices)
    tags = serializers.ListField(child=serializers.CharField(max_length=20), required=False, default=list)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.PC)


class EvaluationOutputSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display")
    label = serializers.CharField(source="invitation.label")
    department = serializers.CharField(source="department.name", default="")
    comment = serializers.SerializerMethodField()
    has_rectification = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "label",
            "is_follow_up",
            "level",
            "level_label",
            "tags",
            "comment",
            "channel",
            "subject",
            "service_mode",
            "department",
            "created_at",
            "has_rectification",
        ]

    def get_comment(self, obj) -> str:
        user = self.context.get("user")
        if user is None:
            return mask_text(obj.comment)
        return rules.shown_comment(user, obj)

    def get_has_rectification(self, obj) -> bool:
        return hasattr(obj, "rectification")


class RectificationOutputSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display")
    department = serializers.CharField(source="department.name", default="")
    evaluation = EvaluationOutputSerializer()
    callback_note = serializers.SerializerMethodField()

    class Meta:
        model = Rectification
        fields = [
            "id",
            "state",
            "state_label",
            "department",
            "opened_on",
            "callback_due_on",
            "due_on",
            "verification",
            "measures",
            "callback_at",
            "callback_note",
            "outcome",
            "outcome_note",
            "done_at",
            "is_overdue",
            "evaluation",
        ]

    def get_callback_note(self, obj) -> str:
        user = self.context.get("user")
        return rules.shown_callback_note(user, obj) if user is not None else ""


class PublicRectificationOutputSerializer(serializers.ModelSerializer):
    """No personal data: no rater, no comment; the department's measures with numbers masked."""

    state_label = serializers.CharField(source="get_state_display")
    department = serializers.CharField(source="department.name", default="")
    item = serializers.CharField(source="evaluation.item.current_version.name", default="")
    level_label = serializers.CharField(source="evaluation.get_level_display")
    outcome_label = serializers.CharField(source="get_outcome_display")
    measures = serializers.SerializerMethodField()

    class Meta:
        model = Rectification
        fields = [
            "id",
            "opened_on",
            "due_on",
            "department",
            "item",
            "level_label",
            "state",
            "state_label",
            "outcome",
            "outcome_label",
            "measures",
        ]

    def get_measures(self, obj) -> str:
        return mask_text(obj.measures)


class RectificationRespondInputSerializer(serializers.Serializer):
    verification = serializers.CharField(max_length=2000)
    measures = serializers.CharField(max_length=2000)


class RectificationCallbackInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000)


class RectificationCompleteInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices, help_text="rectified | explained | unfounded")
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class AppealFileInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class AppealDecideInputSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    note = serializers.CharField(max_length=1000)


class AppealOutputSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = Appeal
        fields = [
            "id",
            "evaluation",
            "reason",
            "state",
            "state_label",
            "decision_note",
            "decided_at",
            "created_at",
        ]


class FigureRowOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    bad = serializers.IntegerField()
    rectified = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True)


class FigureTotalsOutputSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    bad = serializers.IntegerField()
    rectified = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True)
    rectification_rate = serializers.FloatField(allow_null=True)


class RatingFiguresOutputSerializer(serializers.Serializer):
    totals = FigureTotalsOutputSerializer()
    departments = FigureRowOutputSerializer(many=True)
    items = FigureRowOutputSerializer(many=True)
    halls = FigureRowOutputSerializer(many=True)
