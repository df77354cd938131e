"""Admin: platform administrators enter a year's State Council schedule; saving goes through the service."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bianmin.accounts.rules import is_platform_admin
from bianmin.core.exceptions import ApplicationError
from bianmin.workdays.models import CalendarDay, CalendarYear
from bianmin.workdays.selectors import calendar_year_get
from bianmin.workdays.services import AdjustedWorkday, HolidayPeriod, calendar_year_publish, schedule_days

HOLIDAYS_HELP = _(
    "每行一个放假时段：节日名称 开始日期 结束日期，例如「国庆节 2027-10-01 2027-10-07」；单日可只写一个日期。"
)
ADJUSTED_HELP = _("每行一个调休上班日（周六或周日）：日期 对应节日，例如「2027-09-26 国庆节」。")


def _parse_date(text: str, line_no: int) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(
            _("第 %(n)s 行：日期「%(text)s」格式应为 YYYY-MM-DD。") % {"n": line_no, "text": text}
        ) from exc


def parse_holiday_lines(text: str) -> list[HolidayPeriod]:
    periods = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        parts = line.replace("～", " ").replace("~", " ").replace("至", " ").split()
        if not parts:
            continue
        if len(parts) not in (2, 3):
            raise ValidationError(_("第 %(n)s 行应为：节日名称 开始日期 [结束日期]。") % {"n": line_no})
        start = _parse_date(parts[1], line_no)
        end = _parse_date(parts[2], line_no) if len(parts) == 3 else start
        periods.append(HolidayPeriod(name=parts[0], start=start, end=end))
    return periods


def parse_adjusted_lines(text: str) -> list[AdjustedWorkday]:
    days = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) > 2:
            raise ValidationError(_("第 %(n)s 行应为：日期 [对应节日]。") % {"n": line_no})
        days.append(
            AdjustedWorkday(date=_parse_date(parts[0], line_no), name=parts[1] if len(parts) == 2 else "")
        )
    return days


class CalendarYearPublishForm(forms.ModelForm):
    holidays_text = forms.CharField(
        label=_("放假安排"), widget=forms.Textarea(attrs={"rows": 10}), help_text=HOLIDAYS_HELP
    )
    adjusted_text = forms.CharField(
        label=_("调休上班日"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=ADJUSTED_HELP,
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "source_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            try:
                calendar = calendar_year_get(year=self.instance.year)
            except ApplicationError:
                return
            self.fields["holidays_text"].initial = "\n".join(
                f"{b.name} {b.start.isoformat()} {b.end.isoformat()}" for b in calendar.holiday_blocks
            )
            self.fields["adjusted_text"].initial = "\n".join(
                f"{d.date.isoformat()} {d.holiday_name}".strip() for d in calendar.adjusted_workdays
            )

    def validate_unique(self):
        pass  # re-entering a year is a correction, handled by the service

    def clean_holidays_text(self):
        return parse_holiday_lines(self.cleaned_data["holidays_text"])

    def clean_adjusted_text(self):
        return parse_adjusted_lines(self.cleaned_data.get("adjusted_text") or "")

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year") or self.instance.year
        if year and "holidays_text" in cleaned and "adjusted_text" in cleaned:
            try:
                schedule_days(
                    year=year, holidays=cleaned["holidays_text"], adjusted_workdays=cleaned["adjusted_text"]
                )
            except ApplicationError as exc:
                messages = [str(exc.message)]
                for field_messages in exc.fields.values():
                    messages.extend(str(m) for m in field_messages)
                raise ValidationError(messages) from exc
        return cleaned


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    form = CalendarYearPublishForm
    list_display = ["year", "status", "published_at", "entered_by", "source_note"]
    list_filter = ["status"]
    readonly_fields = ["status", "published_at", "entered_by"]
    search_fields = ["year", "source_note"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "year"] if obj is not None else fields

    def _allowed(self, request) -> bool:
        return is_platform_admin(request.user)

    def has_add_permission(self, request):
        return self._allowed(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        record = calendar_year_publish(
            year=obj.year,
            holidays=form.cleaned_data["holidays_text"],
            adjusted_workdays=form.cleaned_data["adjusted_text"],
            acting_user=request.user,
            source_note=form.cleaned_data.get("source_note") or "",
        )
        obj.pk = record.pk
        obj.status, obj.published_at, obj.entered_by = record.status, record.published_at, record.entered_by
        obj._state.adding = False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "is_workday", "holiday_name", "source"]
    list_filter = ["kind", "source", "calendar_year__year"]
    date_hierarchy = "date"
    search_fields = ["holiday_name"]
    list_select_related = ["calendar_year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
