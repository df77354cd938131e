from django import forms
from django.utils.translation import gettext_lazy as _

from bianmin.licences.constants import SHARE_LINK_DEFAULT_DAYS, SHARE_LINK_MAX_DAYS


class VerifyForm(forms.Form):
    identifier = forms.CharField(
        label=_("电子证照标识"),
        required=False,
        max_length=128,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "1.2.156.3005.2.…"}),
    )
    file = forms.FileField(
        label=_("或上传证照文件（PDF 或 .json 证照数据文件）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.json"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("identifier") and not data.get("file"):
            raise forms.ValidationError(_("请输入电子证照标识或上传证照文件。"))
        return data


class ShareForm(forms.Form):
    days = forms.IntegerField(
        label=_("链接有效天数"),
        min_value=1,
        max_value=SHARE_LINK_MAX_DAYS,
        initial=SHARE_LINK_DEFAULT_DAYS,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
