from rest_framework import serializers


class KpiBreakdownPartOutputSerializer(serializers.Serializer):
    key = serializers.IntegerField()
    label = serializers.CharField()
    numerator = serializers.DecimalField(max_digits=20, decimal_places=2)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=2)
    value = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    display = serializers.CharField()
    drill_down = serializers.CharField(help_text="API address of this part's own figure")


class KpiTrendPointOutputSerializer(serializers.Serializer):
    month = serializers.CharField()
    numerator = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    value = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    display = serializers.CharField()
    pending = serializers.BooleanField(help_text="true: the daily case summary is being built; no figure yet")


class KpiFigureOutputSerializer(serializers.Serializer):
    figure = serializers.CharField()
    label = serializers.CharField()
    scope = serializers.CharField()
    scope_label = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    levels = serializers.ListField(child=serializers.CharField())
    numerator = serializers.DecimalField(
        max_digits=20, decimal_places=2, allow_null=True, help_text="null while pending"
    )
    denominator = serializers.DecimalField(
        max_digits=20, decimal_places=2, allow_null=True, help_text="null while pending"
    )
    value = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    display = serializers.CharField()
    numerator_label = serializers.CharField()
    denominator_label = serializers.CharField()
    live = serializers.BooleanField(
        help_text="true: computed at the moment of the call; false: from the daily case summary (see as_of)"
    )
    pending = serializers.BooleanField(
        help_text="true: a summarised figure whose daily case summary is being built for the first time (by "
        "the task queue); numerator, denominator and value are null until it is — ask again shortly"
    )
    as_of = serializers.DateTimeField(
        allow_null=True, help_text="the figure includes every change committed before this instant"
    )
    target = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    target_year = serializers.IntegerField(allow_null=True)
    plan_2019 = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    plan_2020 = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    links = serializers.DictField(child=serializers.CharField())


class KpiFigureDetailOutputSerializer(KpiFigureOutputSerializer):
    breakdown_by = serializers.CharField(allow_null=True)
    breakdown = KpiBreakdownPartOutputSerializer(many=True)
    trend = KpiTrendPointOutputSerializer(many=True)


class KpiTargetInputSerializer(serializers.Serializer):
    figure = serializers.CharField()
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=8, decimal_places=4)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class KpiTargetOutputSerializer(serializers.Serializer):
    figure = serializers.CharField()
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=8, decimal_places=4)
    source = serializers.CharField()
    note = serializers.CharField()
