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
    numerator = serializers.DecimalField(max_digits=20, decimal_places=2)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=2)
    value = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    display = serializers.CharField()


class KpiFigureOutputSerializer(serializers.Serializer):
    figure = serializers.CharField()
    label = serializers.CharField()
    scope = serializers.CharField()
    scope_label = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    levels = serializers.ListField(child=serializers.CharField())
    numerator = serializers.DecimalField(max_digits=20, decimal_places=2)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=2)
    value = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    display = serializers.CharField()
    numerator_label = serializers.CharField()
    denominator_label = serializers.CharField()
    live = serializers.BooleanField(
        help_text="true: computed at the moment of the call; false: from the daily case summary (see as_of)"
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
