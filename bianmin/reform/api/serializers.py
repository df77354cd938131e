from rest_framework import serializers


class PlanUnitOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_code = serializers.CharField()


class PlanMilestoneOutputSerializer(serializers.Serializer):
    label = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    subtask = serializers.CharField(allow_null=True)
    figure = serializers.CharField()
    target_value = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    value = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    state = serializers.CharField()


class PlanSubTaskOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    text = serializers.CharField()
    lead_units = PlanUnitOutputSerializer(many=True)
    lead_units_other = serializers.ListField(child=serializers.CharField())
    partner_units = PlanUnitOutputSerializer(many=True)
    partner_units_other = serializers.ListField(child=serializers.CharField())


class PlanReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField()
    subtask = serializers.CharField(allow_null=True)
    department = serializers.CharField()
    percentage = serializers.IntegerField()
    text = serializers.CharField()
    filed_at = serializers.DateTimeField()
    attachments = serializers.ListField(child=serializers.CharField())


class PlanTaskOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    section = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    lead_units = PlanUnitOutputSerializer(many=True)
    lead_units_other = serializers.ListField(child=serializers.CharField())
    partner_units = PlanUnitOutputSerializer(many=True)
    partner_units_other = serializers.ListField(child=serializers.CharField())
    subtasks = PlanSubTaskOutputSerializer(many=True)
    milestones = PlanMilestoneOutputSerializer(many=True)
    percentage = serializers.IntegerField()
    progress_computed = serializers.BooleanField()
    status = serializers.CharField()
    report_overdue = serializers.BooleanField()
    milestone_missed = serializers.BooleanField()


class PlanTaskDetailOutputSerializer(PlanTaskOutputSerializer):
    reports = PlanReportOutputSerializer(many=True)


class PlanReportInputSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    subtask = serializers.CharField(required=False, allow_blank=True, help_text="e.g. 14.1")
    period = serializers.RegexField(r"^\d{4}-Q[1-4]$")
    text = serializers.CharField()
    percentage = serializers.IntegerField(min_value=0, max_value=100)
    attachments = serializers.ListField(child=serializers.FileField(), required=False)
