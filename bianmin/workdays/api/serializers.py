from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bianmin.workdays.constants import CalendarStatus, DayKind

MAX_WORKDAYS = 3660


class CalendarDeadlineInputSerializer(serializers.Serializer):
    start = serializers.DateField(label=_("起算日"), help_text=_("起算日当天不计入"))
    workdays = serializers.IntegerField(
        label=_("工作日数"), min_value=-MAX_WORKDAYS, max_value=MAX_WORKDAYS, help_text=_("0 表示起算日本身")
    )


class CalendarDeadlineOutputSerializer(serializers.Serializer):
    start = serializers.DateField()
    workdays = serializers.IntegerField()
    deadline = serializers.DateField(help_text=_("起算日之后第 N 个工作日"))
    provisional = serializers.BooleanField(help_text=_("计算中用到了尚未公布正式放假安排的暂定日期"))


class CalendarBetweenInputSerializer(serializers.Serializer):
    start = serializers.DateField(label=_("开始日期"))
    end = serializers.DateField(label=_("结束日期"))


class CalendarBetweenOutputSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    workdays = serializers.IntegerField(help_text=_("(start, end] 内的工作日数；end 早于 start 时为负数"))
    provisional = serializers.BooleanField()


class CalendarDaysInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(label=_("年份"), min_value=1, max_value=9999)
    kind = serializers.ChoiceField(label=_("类别"), choices=DayKind.choices, required=False)


class CalendarDayOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    is_workday = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=DayKind.choices)
    holiday_name = serializers.CharField()
    source = serializers.ChoiceField(choices=CalendarStatus.choices)


class CalendarYearDaysOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CalendarStatus.choices)
    published_at = serializers.DateTimeField(allow_null=True)
    source_note = serializers.CharField()
    days = CalendarDayOutputSerializer(many=True)


class CalendarHolidayPeriodInputSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("节日名称"), max_length=100)
    start = serializers.DateField(label=_("放假开始"))
    end = serializers.DateField(label=_("放假结束"))


class CalendarAdjustedWorkdayInputSerializer(serializers.Serializer):
    date = serializers.DateField(label=_("调休上班日期"))
    name = serializers.CharField(
        label=_("对应节日"), max_length=100, required=False, allow_blank=True, default=""
    )


class CalendarYearPublishInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(label=_("年份"))
    source_note = serializers.CharField(
        label=_("依据"), max_length=200, required=False, allow_blank=True, default=""
    )
    holidays = CalendarHolidayPeriodInputSerializer(many=True, allow_empty=False)
    adjusted_workdays = CalendarAdjustedWorkdayInputSerializer(many=True, required=False, default=list)


class CalendarYearPublishOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CalendarStatus.choices)
    published_at = serializers.DateTimeField()
    entered_by = serializers.CharField(source="entered_by.username", allow_null=True)
    source_note = serializers.CharField()
    holiday_days = serializers.IntegerField()
    adjusted_workdays = serializers.IntegerField()
