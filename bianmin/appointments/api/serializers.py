from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bianmin.appointments.models import Appointment, QueueTicket, Slot


class SlotOutputSerializer(serializers.ModelSerializer):
    available = serializers.IntegerField(read_only=True)

    class Meta:
        model = Slot
        fields = ["id", "hall", "on", "start", "end", "capacity", "booked", "available"]


class AppointmentOutputSerializer(serializers.ModelSerializer):
    hall_name = serializers.CharField(source="hall.name", read_only=True)
    item_code = serializers.CharField(source="item.code", default=None, read_only=True)
    start = serializers.TimeField(source="slot.start", read_only=True)
    end = serializers.TimeField(source="slot.end", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    cancel_reason_label = serializers.CharField(source="get_cancel_reason_display", read_only=True)
    rebook_url = serializers.SerializerMethodField(
        help_text="大厅取消的预约：重新预约的页面（同一大厅、同一事项）"
    )

    class Meta:
        model = Appointment
        fields = [
            "code",
            "hall",
            "hall_name",
            "slot",
            "on",
            "start",
            "end",
            "item_code",
            "name",
            "mobile_masked",
            "channel",
            "state",
            "state_label",
            "cancel_reason",
            "cancel_reason_label",
            "rebook_url",
            "checked_in_at",
            "created_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_rebook_url(self, obj: Appointment) -> str | None:
        return obj.rebook_url() if obj.is_cancelled_by_hall else None


class AppointmentBookInputSerializer(serializers.Serializer):
    slot = serializers.IntegerField()
    item = serializers.CharField(required=False, allow_blank=True, help_text="事项编码")
    name = serializers.CharField(
        required=False, allow_blank=True, help_text="电话预约：申请人姓名（工作人员填写）"
    )
    mobile = serializers.CharField(
        required=False, allow_blank=True, help_text="电话预约：手机号（工作人员填写）"
    )


class AppointmentRescheduleInputSerializer(serializers.Serializer):
    slot = serializers.IntegerField()


class TicketOutputSerializer(serializers.ModelSerializer):
    category_letter = serializers.CharField(source="category.letter", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    window_number = serializers.CharField(source="window.number", default=None, read_only=True)
    appointment_code = serializers.CharField(source="appointment.code", default=None, read_only=True)
    case = serializers.SerializerMethodField()

    class Meta:
        model = QueueTicket
        fields = [
            "id",
            "hall",
            "on",
            "number",
            "token",
            "category_letter",
            "category_name",
            "source",
            "state",
            "appointment_code",
            "window",
            "window_number",
            "target_window",
            "call_count",
            "issued_at",
            "called_at",
            "finished_at",
            "case",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case(self, obj):
        return str(obj.case_id) if obj.case_id else None


class TicketTakeInputSerializer(serializers.Serializer):
    hall = serializers.IntegerField()
    category = serializers.CharField(required=False, allow_blank=True, help_text="号码前缀字母")
    item = serializers.CharField(required=False, allow_blank=True, help_text="事项编码（按事项自动选择类别）")


class TicketCheckInInputSerializer(serializers.Serializer):
    hall = serializers.IntegerField()


class TicketCallNextInputSerializer(serializers.Serializer):
    window = serializers.IntegerField()


class TicketTransferInputSerializer(serializers.Serializer):
    window = serializers.IntegerField(required=False, allow_null=True)
    category = serializers.CharField(required=False, allow_blank=True, help_text="号码前缀字母")


class TicketOpenCaseInputSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="事项编码")
    applicant = serializers.DictField(help_text="{kind: person|enterprise, name, id_no, mobile}")


class TicketOpenCaseOutputSerializer(serializers.Serializer):
    case = serializers.CharField()


class NearestHallOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="hall.pk")
    name = serializers.CharField(source="hall.name")
    kind = serializers.CharField(source="hall.kind")
    address = serializers.CharField(source="hall.address")
    distance_km = serializers.FloatField(allow_null=True)
    waiting = serializers.IntegerField(
        source="wait.waiting", help_text="今天在该事项将排的队（业务类别）中等候的人数；大厅未设类别时为全厅"
    )
    queue_letter = serializers.CharField(
        source="wait.category.letter", default=None, help_text="该事项在此大厅取号的号码前缀；null 为全厅"
    )
    queue_name = serializers.CharField(source="wait.category.name", default=None)
    expected_wait_minutes = serializers.IntegerField(source="wait.expected_minutes")


class HallFiguresLoadSerializer(serializers.Serializer):
    window = serializers.CharField()
    hour = serializers.IntegerField()
    count = serializers.IntegerField()


class HallFiguresOutputSerializer(serializers.Serializer):
    tickets = serializers.IntegerField()
    served = serializers.IntegerField()
    wait_median = serializers.FloatField(allow_null=True)
    wait_p90 = serializers.FloatField(allow_null=True)
    service_median = serializers.FloatField(allow_null=True)
    service_p90 = serializers.FloatField(allow_null=True)
    ticket_no_shows = serializers.IntegerField()
    appointments = serializers.IntegerField()
    appointment_no_shows = serializers.IntegerField()
    load = HallFiguresLoadSerializer(many=True)


class NearbyShareOutputSerializer(serializers.Serializer):
    street_code = serializers.CharField()
    street = serializers.CharField()
    hall_id = serializers.IntegerField()
    hall = serializers.CharField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


# --- hall data (read by everyone; written by platform admins and the hall's manager) ----------------


class HallItemOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField(help_text="实施主体部门简码")
    source = serializers.ChoiceField(
        choices=[("listed", "listed"), ("district", "district")],
        help_text="listed：大厅列出的就近办事项；district：通办范围覆盖全区、各大厅均可受理",
    )


class HallItemsInputSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.CharField(), min_length=1, help_text="事项编码列表")
    active = serializers.BooleanField(default=True, help_text="true 加入可办事项；false 撤下")


class HallItemsOutputSerializer(serializers.Serializer):
    changed = serializers.IntegerField()


class SchedulePeriodSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 周一 … 6 周日")
    start = serializers.TimeField(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"])
    end = serializers.TimeField(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"])

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": [_("结束时间应晚于开始时间。")]})
        return attrs


class WindowScheduleInputSerializer(serializers.Serializer):
    periods = SchedulePeriodSerializer(many=True, help_text="每周开放时段；空列表表示不开放")


class WindowItemsInputSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.CharField(), help_text="专业窗口办理的事项编码（另加其进驻部门的事项）"
    )


class WindowSetupOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    hall = serializers.IntegerField(source="hall_id")
    number = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    is_active = serializers.BooleanField()
    departments = serializers.ListField(child=serializers.CharField(), help_text="进驻部门简码")
    items = serializers.ListField(child=serializers.CharField(), help_text="专业窗口列出的事项编码")
    periods = SchedulePeriodSerializer(many=True)


class HallSettingSerializer(serializers.Serializer):
    slot_minutes = serializers.IntegerField(min_value=10, max_value=240, help_text="预约时段长度（分钟）")
    appointments_per_window = serializers.IntegerField(
        min_value=0, max_value=50, help_text="每个开放窗口每时段可预约人数（时段容量 = 开放窗口数 × 本值）"
    )


class TicketCategoryOutputSerializer(serializers.Serializer):
    letter = serializers.CharField()
    name = serializers.CharField()
    departments = serializers.ListField(child=serializers.CharField(), help_text="部门简码")
    themes = serializers.ListField(child=serializers.CharField(), help_text="主题编码")
    is_default = serializers.BooleanField()


class TicketCategoryInputSerializer(serializers.Serializer):
    letter = serializers.CharField(max_length=1, help_text="号码前缀（一个英文字母）")
    name = serializers.CharField(max_length=32, help_text="业务类别名称")
    departments = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    themes = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    is_default = serializers.BooleanField(required=False, default=False)
