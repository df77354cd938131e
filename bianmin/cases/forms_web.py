"""Forms of the case pages (apply stepper, 我的办件 actions, window intake, staff actions).

The forms only shape the input and give the browser hints; every rule is checked again by the services,
whose refusals (ApplicationError .message/.fields) are put back on the form with `add_service_errors`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianmin.cases.constants import (
    AcceptanceMode,
    ApplicantKind,
    Decision,
    DeliveryChannel,
    SpecialProcedure,
)
from bianmin.catalog.constants import FormFieldKind
from bianmin.core.validators import is_valid_id_card, is_valid_uscc

TEXT = {"class": "form-control"}


def _text(**attrs):
    return forms.TextInput(attrs={**TEXT, **attrs})


def _area(rows: int = 3):
    return forms.Textarea(attrs={**TEXT, "rows": rows})


class VersionedForm(forms.Form):
    """Every action form carries the case version it was loaded with (a stale one is refused with 409)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def add_service_errors(form: forms.Form, error) -> None:
    """Put an ApplicationError's message and field errors on a form (unknown fields become form errors)."""
    fields = getattr(error, "fields", None) or {}
    placed = False
    for key, messages in fields.items():
        name = key.split(".")[-1] if key not in form.fields else key
        if isinstance(messages, str):
            messages = [messages]
        for message in messages:
            if name in form.fields:
                form.add_error(name, str(message))
                placed = True
    if not placed or not fields:
        form.add_error(None, str(getattr(error, "message", error)))


class ApplicationForm(forms.Form):
    """The application form built from an item version's FormField list (kinds of catalog FormFieldKind)."""

    def __init__(self, *args, form_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        for spec in form_fields:
            self.fields[spec.key] = self._field(spec)

    @staticmethod
    def _field(spec) -> forms.Field:
        common = {"label": spec.label, "required": spec.required, "help_text": spec.help_text}
        max_length = spec.max_length or None
        kind = spec.kind
        if kind == FormFieldKind.NUMBER:
            return forms.DecimalField(widget=_text(inputmode="decimal"), **common)
        if kind == FormFieldKind.DATE:
            return forms.DateField(widget=forms.DateInput(attrs={**TEXT, "type": "date"}), **common)
        if kind == FormFieldKind.CHOICE:
            choices = [("", _("请选择"))] + [(str(c), str(c)) for c in (spec.choices or [])]
            return forms.ChoiceField(choices=choices, widget=forms.Select(attrs=TEXT), **common)
        if kind == FormFieldKind.TEXTAREA:
            return forms.CharField(max_length=max_length, widget=_area(4), **common)
        if kind == FormFieldKind.ID_CARD:
            return IdCardField(widget=_text(autocomplete="off", maxlength=18), **common)
        if kind == FormFieldKind.USCC:
            return UsccField(widget=_text(autocomplete="off", maxlength=18), **common)
        if kind == FormFieldKind.MOBILE:
            return forms.RegexField(
                regex=r"^1\d{10}$",
                error_messages={"invalid": _("请填写11位手机号码。")},
                widget=_text(inputmode="tel", autocomplete="tel"),
                **common,
            )
        if kind == FormFieldKind.ADDRESS:
            return forms.CharField(
                max_length=max_length or 300, widget=_text(autocomplete="street-address"), **common
            )
        return forms.CharField(max_length=max_length, widget=_text(), **common)

    def service_data(self) -> dict[str, str]:
        """The cleaned values as the strings the service stores (dates ISO, numbers plain)."""
        out = {}
        for key, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            out[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return out


class IdCardField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        value = (value or "").strip().upper()
        if value and not is_valid_id_card(value):
            raise forms.ValidationError(_("身份证号码不正确，请核对（18位，最后一位可能是X）。"))
        return value


class UsccField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        value = (value or "").strip().upper()
        if value and not is_valid_uscc(value):
            raise forms.ValidationError(_("统一社会信用代码不正确，请核对（18位）。"))
        return value


class ApplyAsForm(forms.Form):
    """Whom the online application is for: the person themself or an enterprise they belong to."""

    applicant = forms.ChoiceField(label=_("申请主体"), required=False, widget=forms.Select(attrs=TEXT))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = choices


class MaterialGiveForm(VersionedForm):
    """One material: an upload, a held licence, or a signed 告知承诺 (exactly one)."""

    material = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("材料名称"), max_length=300, required=False, widget=_text())
    file = forms.FileField(
        label=_("上传文件"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    licence_ref = forms.CharField(required=False, max_length=200)
    commitment_text = forms.CharField(label=_("承诺内容"), required=False, widget=_area(3))


class ConfirmSubmitForm(VersionedForm):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class DeliveryForm(VersionedForm):
    channel = forms.ChoiceField(
        label=_("送达方式"), choices=DeliveryChannel.choices, widget=forms.RadioSelect
    )
    hall = forms.IntegerField(label=_("领取大厅"), required=False, widget=forms.Select(attrs=TEXT))
    address = forms.CharField(label=_("邮寄地址"), max_length=300, required=False, widget=_text())


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("原因"), widget=_area(3))


class WindowIntakeForm(forms.Form):
    """一窗受理: the item and the applicant as identified at the window (and an agent if any)."""

    item = forms.CharField(label=_("事项编码"), max_length=64, widget=_text(autocomplete="off"))
    kind = forms.ChoiceField(
        label=_("申请人类型"), choices=ApplicantKind.choices, widget=forms.Select(attrs=TEXT)
    )
    name = forms.CharField(label=_("申请人姓名（名称）"), max_length=200, widget=_text())
    id_no = forms.CharField(
        label=_("身份证号 / 统一社会信用代码"), max_length=18, widget=_text(autocomplete="off")
    )
    mobile = forms.CharField(label=_("联系电话"), max_length=20, required=False, widget=_text())
    agent_name = forms.CharField(label=_("代办人姓名"), max_length=64, required=False, widget=_text())
    agent_id_no = forms.CharField(label=_("代办人身份证号"), max_length=18, required=False, widget=_text())
    agent_mobile = forms.CharField(label=_("代办人电话"), max_length=20, required=False, widget=_text())

    def clean(self):
        data = super().clean()
        id_no = (data.get("id_no") or "").strip().upper()
        if data.get("kind") == ApplicantKind.ENTERPRISE:
            if id_no and not is_valid_uscc(id_no):
                self.add_error("id_no", _("统一社会信用代码不正确。"))
        elif id_no and not is_valid_id_card(id_no):
            self.add_error("id_no", _("身份证号码不正确。"))
        data["id_no"] = id_no
        agent_id = (data.get("agent_id_no") or "").strip().upper()
        if data.get("agent_name") and not is_valid_id_card(agent_id):
            self.add_error("agent_id_no", _("代办人身份证号码不正确。"))
        return data


# ---- staff actions (one form per action; the view maps the cleaned data to the service) ----


class AcceptForm(VersionedForm):
    mode = forms.ChoiceField(label=_("受理方式"), choices=AcceptanceMode.choices, widget=forms.RadioSelect)


class DeclineForm(VersionedForm):
    reason = forms.CharField(label=_("不予受理理由"), widget=_area(3))
    legal_basis = forms.CharField(label=_("法律依据"), widget=_area(2))


class ConcludeForm(VersionedForm):
    decision = forms.ChoiceField(label=_("决定"), choices=Decision.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("理由"), required=False, widget=_area(3))
    fee_due = forms.DecimalField(label=_("应缴费用（元）"), required=False, min_value=0, widget=_text())


class ReviewForm(VersionedForm):
    task = forms.IntegerField(widget=forms.HiddenInput)
    opinion = forms.CharField(label=_("审查意见"), widget=_area(3))
    asks_return = forms.BooleanField(label=_("建议退回申请人补充材料"), required=False)


class SuspendForm(VersionedForm):
    procedure = forms.ChoiceField(
        label=_("特别程序"), choices=SpecialProcedure.choices, widget=forms.Select(attrs=TEXT)
    )
    reason = forms.CharField(label=_("原因"), widget=_area(2))


class ExtendForm(VersionedForm):
    days = forms.IntegerField(label=_("延长工作日"), min_value=1, max_value=15, widget=_text())
    reason = forms.CharField(label=_("延期理由"), widget=_area(2))


class PickupForm(VersionedForm):
    recipient = forms.CharField(label=_("领取人"), max_length=64, widget=_text())
