from django import forms
from django.utils.translation import gettext_lazy as _

MAX_WORKDAYS = 3660


class DeadlineForm(forms.Form):
    start = forms.DateField(
        label=_("起算日"),
        help_text=_("如受理日；当天不计入"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    workdays = forms.IntegerField(
        label=_("工作日数"),
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        min_value=0,
        max_value=MAX_WORKDAYS,
        help_text=_("如承诺时限 5 个工作日"),
    )
