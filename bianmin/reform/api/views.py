"""Tracker API: /api/v1/plan-tasks/ (list, detail, file a report)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from bianmin.core.exceptions import NotFound
from bianmin.reform import selectors, services
from bianmin.reform.api import serializers as s

ERROR = OpenApiResponse(description="{code, detail, fields}")


class CanViewTracker(permissions.BasePermission):
    def has_permission(self, request, view):
        return selectors.can_view_tracker(request.user)


def _units(depts):
    return [{"id": d.pk, "name": d.name, "short_code": d.short_code} for d in depts]


def task_data(p) -> dict:
    t = p.task
    return {
        "number": t.number,
        "section": t.section,
        "title": t.title,
        "text": t.text,
        "lead_units": _units(t.lead_departments.all()),
        "lead_units_other": t.lead_units_other,
        "partner_units": _units(t.partner_departments.all()),
        "partner_units_other": t.partner_units_other,
        "subtasks": [
            {
                "number": sub.number,
                "text": sub.text,
                "lead_units": _units(sub.lead_departments.all()),
                "lead_units_other": sub.lead_units_other,
                "partner_units": _units(sub.partner_departments.all()),
                "partner_units_other": sub.partner_units_other,
            }
            for sub in t.subtasks.all()
        ],
        "milestones": [
            {
                "label": m.milestone.label,
                "due_on": m.milestone.due_on,
                "subtask": m.milestone.subtask.number if m.milestone.subtask_id else None,
                "figure": m.milestone.figure,
                "target_value": m.milestone.target_value,
                "value": m.value,
                "state": m.state,
            }
            for m in p.milestones
        ],
        "percentage": p.percentage,
        "progress_computed": p.computed,
        "status": p.status,
        "report_overdue": p.report_overdue,
        "milestone_missed": p.missed,
    }


class PlanTaskListApi(APIView):
    permission_classes = [CanViewTracker]

    @extend_schema(
        operation_id="plan_tasks_list",
        summary=gettext_lazy("改革任务（25项）及进度"),
        responses={200: s.PlanTaskOutputSerializer(many=True), 403: ERROR},
    )
    def get(self, request):
        return Response(
            s.PlanTaskOutputSerializer([task_data(p) for p in selectors.tracker()], many=True).data
        )


class PlanTaskDetailApi(APIView):
    permission_classes = [CanViewTracker]

    @extend_schema(
        operation_id="plan_tasks_detail",
        summary=gettext_lazy("改革任务详情及进展报告"),
        responses={200: s.PlanTaskDetailOutputSerializer, 403: ERROR, 404: ERROR},
    )
    def get(self, request, number: int):
        task = selectors.task_get(number=number)
        data = task_data(selectors.task_progress(task, today=timezone.localdate()))
        data["reports"] = [
            {
                "id": r.pk,
                "period": r.period,
                "subtask": r.subtask.number if r.subtask_id else None,
                "department": r.department.name,
                "percentage": r.percentage,
                "text": r.text,
                "filed_at": r.filed_at,
                "attachments": [a.file_name for a in r.attachments.all()],
            }
            for r in task.reports.all()
            .select_related("subtask", "department")
            .prefetch_related("attachments")
        ]
        return Response(s.PlanTaskDetailOutputSerializer(data).data)


class PlanTaskReportCreateApi(APIView):
    permission_classes = [CanViewTracker]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="plan_tasks_report",
        summary=gettext_lazy("报送进展（牵头单位工作人员）"),
        request={
            "multipart/form-data": s.PlanReportInputSerializer,
            "application/json": s.PlanReportInputSerializer,
        },
        responses={201: s.PlanReportOutputSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def post(self, request, number: int):
        task = selectors.task_get(number=number)
        data = s.PlanReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        subtask = None
        if v.get("subtask"):
            subtask = next((x for x in task.subtasks.all() if x.number == v["subtask"]), None)
            if subtask is None:
                raise NotFound(_("未找到该子任务。"))
        report = services.report_file(
            acting_user=request.user,
            task=task,
            subtask=subtask,
            department_id=v["department"],
            period=v["period"],
            text=v["text"],
            percentage=v["percentage"],
            attachments=request.FILES.getlist("attachments"),
        )
        out = {
            "id": report.pk,
            "period": report.period,
            "subtask": subtask.number if subtask else None,
            "department": report.department.name,
            "percentage": report.percentage,
            "text": report.text,
            "filed_at": report.filed_at,
            "attachments": [a.file_name for a in report.attachments.all()],
        }
        return Response(s.PlanReportOutputSerializer(out).data, status=status.HTTP_201_CREATED)
