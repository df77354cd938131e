"""Public pages of the case spine. The staff and applicant pages come with the web UI (later issue)."""

from __future__ import annotations

from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from bianmin.cases import clock, selectors
from bianmin.cases.forms import ProgressLookupForm
from bianmin.core.middleware import client_address

LOOKUPS_PER_MINUTE = 30


def _throttled(request) -> bool:
    key = f"cases:lookup:{client_address(request)}"
    if cache.add(key, 1, timeout=60):
        return False
    try:
        return cache.incr(key) > LOOKUPS_PER_MINUTE
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        return False


@require_http_methods(["GET", "POST"])
def progress_lookup(request):
    """办件进度查询: the number and the applicant's name or phone tail; shows state and dates, nothing else."""
    case = None
    searched = False
    throttled = False
    if request.method == "POST":
        form = ProgressLookupForm(request.POST)
        if form.is_valid():
            searched = True
            throttled = _throttled(request)
            if not throttled:
                case = selectors.case_public_progress(**form.cleaned_data)
    else:
        form = ProgressLookupForm(initial={"number": request.GET.get("number", "")[:23]})
    return render(
        request,
        "cases/lookup.html",
        {
            "form": form,
            "case": case,
            "searched": searched,
            "throttled": throttled,
            "clock": clock.status(case) if case is not None else None,
        },
    )


@require_http_methods(["GET"])
def notice_verify(request, pk):
    """核验办件文书: whether the notice was sealed and is intact, its kind, number, department and date only."""
    from bianmin.cases import notices
    from bianmin.cases.models import CaseNotice

    notice = CaseNotice.objects.select_related("case__department", "seal").filter(pk=pk).first()
    check = notices.notice_check(notice) if notice is not None else None
    return render(
        request,
        "cases/notice_verify.html",
        {
            "notice": notice,
            "check": check,
            "valid": check is not None and check.valid,
            "title": notices.notice_title(notice.case, notice.kind) if notice is not None else "",
        },
        status=200 if notice is not None else 404,
    )
