from django import forms
from django.utils.translation import gettext_lazy as _


class ProgressLookupForm(forms.Form):
    number = forms.RegexField(
        label=_("办件编号"),
        regex=r"^\d{23}$",
        error_messages={"invalid": _("办件编号为23位数字。")},
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )
    name_or_phone_tail = forms.CharField(
        label=_("申请人姓名（名称）或手机号后四位"),
        max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
