"""Catalog import (platform administrators): upload → per-row report → confirm → progress; and exports."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bianmin.catalog import import_jobs, importexport, rules

ACCEPTED_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _admin_only(view):
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rules.can_review(request.user):
            raise Http404  # the page does not exist for anyone else
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_http_methods(["GET", "POST"])
@_admin_only
def import_upload(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择要导入的 .xlsx 文件。")
        elif upload.size > importexport.MAX_BYTES:
            error = _("文件超过20MB，请分批导入。")
        else:
            content = upload.read()
            try:
                report = importexport.validate_workbook(content)
            except importexport.ImportFileError as exc:
                error = str(exc.message)
            else:
                token = import_jobs.create(
                    content=content, filename=upload.name, user_id=request.user.pk, report=report.as_dict()
                )
                return redirect("catalog:import-report", token=token)
    return render(
        request,
        "catalog/import/upload.html",
        {"error": error, "accept": ACCEPTED_TYPES},
        status=400 if error else 200,
    )


def _job_or_404(request, token: str) -> dict:
    job = import_jobs.load(token)
    if job is None or job.get("user_id") != request.user.pk:
        raise Http404
    return job


@require_http_methods(["GET", "POST"])
@_admin_only
def import_report(request: HttpRequest, token: str) -> HttpResponse:
    job = _job_or_404(request, token)
    error = ""
    if request.method == "POST" and job["state"] == import_jobs.VALIDATED:
        valid_only = request.POST.get("mode") == "valid_only"
        publish = request.POST.get("publish") == "1"
        summary = job["report"]["summary"]
        if summary["error"] and not valid_only:
            error = _("有错误的行时只能选择“只导入无错误的行”，或修正后重新上传。")
        elif summary["total"] == summary["error"]:
            error = _("没有可导入的行。")
        else:
            import_jobs.update(
                token, state=import_jobs.QUEUED, queued_at=timezone.now().isoformat(), valid_only=valid_only
            )
            from bianmin.catalog.tasks import import_catalog_task

            import_catalog_task(token, valid_only, publish)
            return redirect("catalog:import-report", token=token)
    job = import_jobs.load(token)
    context = {
        "job": job,
        "token": token,
        "summary": job["report"]["summary"],
        "rows": job["report"]["rows"],
        "file_errors": job["report"].get("file_errors", []),
        "status_labels": importexport.STATUS_LABELS,
        "error": error,
        "percent": _percent(job),
    }
    return render(request, "catalog/import/report.html", context, status=400 if error else 200)


def _percent(job: dict) -> int:
    if job["state"] == import_jobs.DONE:
        return 100
    total = job.get("total") or 0
    return int(100 * (job.get("done") or 0) / total) if total else 0


@require_GET
@_admin_only
def import_progress(request: HttpRequest, token: str) -> HttpResponse:
    """The htmx fragment polled while the import runs (it stops polling once done or failed)."""
    job = _job_or_404(request, token)
    return render(
        request, "catalog/import/progress.html", {"job": job, "token": token, "percent": _percent(job)}
    )


@require_GET
@_admin_only
def export_download(request: HttpRequest, fmt: str) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        response = HttpResponse(
            importexport.export_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="catalog-{stamp}.xlsx"'
        return response
    if fmt == "json":
        response = HttpResponse(importexport.export_json(), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="catalog-{stamp}.json"'
        return response
    raise Http404
