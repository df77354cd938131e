from django import forms
from django.utils.translation import gettext_lazy as _

from bianmin.accounts.constants import Role, UserKind


def _role_choices():
    return [("", _("全部角色")), *Role.choices, *UserKind.choices]


class AuditFilterForm(forms.Form):
    """The filters of the audit list, shared by the page (GET form) and the API (query parameters)."""

    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150, help_text=_("账号或用户编号"))
    role = forms.ChoiceField(label=_("角色"), required=False, choices=_role_choices)
    action = forms.CharField(
        label=_("动作"),
        required=False,
        max_length=65,
        help_text=_("如 cases.case_accepted；以 * 结尾按前缀匹配"),
    )
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=64)
    object_id = forms.CharField(label=_("对象标识"), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data
