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
            "checked_in_at",
            "created_at",
        ]


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
    waiting = serializers.IntegerField(source="wait.waiting")
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
