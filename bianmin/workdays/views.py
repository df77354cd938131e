"""The public calendar page: a year's holidays and 调休 days, and a deadline calculator (no JavaScript)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bianmin.core.exceptions import ApplicationError
from bianmin.workdays import selectors, services
from bianmin.workdays.forms import DeadlineForm


@require_GET
def calendar_page(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    years = selectors.calendar_years_list()
    calendar = year_error = None
    try:
        calendar = selectors.calendar_year_get(year=year)
    except ApplicationError as exc:
        year_error = exc.message

    result = result_error = None
    form = DeadlineForm(
        request.GET if "start" in request.GET else None, initial={"start": today, "workdays": 5}
    )
    if form.is_bound and form.is_valid():
        try:
            result = services.add_with_provenance(form.cleaned_data["start"], form.cleaned_data["workdays"])
        except ApplicationError as exc:
            result_error = exc.message
    context = {
        "year": year,
        "calendar": calendar,
        "year_error": year_error,
        "recent_years": [y for y in years if y.year >= today.year - 3],
        "form": form,
        "result": result,
        "result_error": result_error,
        "today": today,
    }
    return render(request, "workdays/calendar.html", context)
