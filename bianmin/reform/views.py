"""Pages of the tracker: list, task detail with reports, filing a report (lead unit staff), summary exports."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.accounts import rules
from bianmin.core.exceptions import ApplicationError, NotFound
from bianmin.organisations.models import Department
from bianmin.reform import exports, selectors, services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tracker_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.can_view_tracker(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc)) from exc

    return wrapper


@tracker_required
def task_list(request: HttpRequest) -> HttpResponse:
    progress = selectors.tracker()
    return render(
        request,
        "reform/task_list.html",
        {
            "progress": progress,
            "can_export": rules.can_view_kpi(request.user),
            "overdue_count": sum(1 for p in progress if p.report_overdue),
            "missed_count": sum(1 for p in progress if p.missed),
        },
    )


@tracker_required
def task_detail(request: HttpRequest, number: int) -> HttpResponse:
    task = selectors.task_get(number=number)
    progress = selectors.task_progress(task, today=timezone.localdate())
    allowed = selectors.reporting_departments(request.user, task)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        subtask = None
        sub_id = request.POST.get("subtask") or ""
        if sub_id:
            subtask = next((s for s in task.subtasks.all() if str(s.pk) == sub_id), None)
            if subtask is None:
                raise Http404
        try:
            services.report_file(
                acting_user=request.user,
                task=task,
                subtask=subtask,
                department_id=int(request.POST.get("department") or 0),
                period=request.POST.get("period", ""),
                text=request.POST.get("text", ""),
                percentage=request.POST.get("percentage", ""),
                attachments=request.FILES.getlist("attachments"),
            )
        except ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("进展报告已报送。"))
            return redirect("reform:task", number=task.number)
    label, _end = selectors.quarter_of(timezone.localdate())
    return render(
        request,
        "reform/task_detail.html",
        {
            "task": task,
            "p": progress,
            "reports": task.reports.all(),
            "can_file": bool(allowed),
            "departments": Department.objects.filter(pk__in=allowed).order_by("sort_order"),
            "current_period": label,
        },
    )


@tracker_required
def summary_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if not rules.can_view_kpi(request.user):
        raise PermissionDenied
    progress = selectors.tracker()
    if fmt == "xlsx":
        resp = HttpResponse(exports.summary_xlsx(progress), content_type=XLSX)
    elif fmt == "pdf":
        resp = HttpResponse(exports.summary_pdf(progress), content_type="application/pdf")
    else:
        raise Http404
    resp["Content-Disposition"] = f'attachment; filename="plan-tasks-{timezone.localdate():%Y%m%d}.{fmt}"'
    return resp


@tracker_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    from django.http import FileResponse

    from bianmin.reform.models import ReportAttachment

    att = ReportAttachment.objects.select_related("report").filter(pk=pk).first()
    if att is None:
        raise Http404
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.file_name)
