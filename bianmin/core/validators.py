"""National code checks: 身份证号 (GB 11643), 统一社会信用代码 (GB 32100), 区划代码, catalog codes, mobile numbers."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # I, O, Z, S, V never used
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
REGION_CODE_RE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")
CATALOG_CODE_RE = re.compile(r"^[0-9A-Z]{12}$")


def id_card_check_char(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def normalise_id_card(value: str) -> str:
    return (value or "").strip().upper()


def is_valid_id_card(value: str) -> bool:
    value = normalise_id_card(value)
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if int(value[6:10]) < 1900:
        return False
    return id_card_check_char(value[:17]) == value[17]


def validate_id_card(value: str) -> None:
    if not is_valid_id_card(value):
        raise ValidationError(
            _("身份证号码不正确：请核对18位号码（含最后一位校验码）。"), code="invalid_id_card"
        )


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def normalise_uscc(value: str) -> str:
    return (value or "").strip().upper()


def is_valid_uscc(value: str) -> bool:
    value = normalise_uscc(value)
    if len(value) != 18 or any(ch not in USCC_CHARSET for ch in value):
        return False
    if not value[2:8].isdigit():  # 登记管理机关行政区划码
        return False
    return uscc_check_char(value[:17]) == value[17]


def validate_uscc(value: str) -> None:
    if not is_valid_uscc(value):
        raise ValidationError(
            _("统一社会信用代码不正确：应为18位，且校验码符合国家标准 GB 32100。"), code="invalid_uscc"
        )


def validate_region_code(value: str) -> None:
    if not REGION_CODE_RE.fullmatch(value or ""):
        raise ValidationError(_("区划代码应为6位、9位或12位数字。"), code="invalid_region_code")


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.fullmatch((value or "").strip()):
        raise ValidationError(_("手机号码应为11位中国大陆手机号。"), code="invalid_mobile")


def validate_catalog_code(value: str) -> None:
    if not CATALOG_CODE_RE.fullmatch(value or ""):
        raise ValidationError(_("基本编码应为12位数字或大写字母。"), code="invalid_catalog_code")


def implementation_code_problems(
    code: str, *, catalog_code: str | None = None, uscc: str | None = None
) -> list[str]:
    """Everything wrong with a 31-character 实施编码 (empty list if it is valid)."""
    problems: list[str] = []
    code = (code or "").strip().upper()
    if len(code) != 31:
        return [str(_("实施编码应为31位：实施主体统一社会信用代码(18) + 行使层级(1) + 基本编码(12)。"))]
    if not is_valid_uscc(code[:18]):
        problems.append(str(_("实施编码前18位不是有效的统一社会信用代码。")))
    if code[18] not in "123456":
        problems.append(str(_("实施编码第19位（行使层级）应为1至6。")))
    if not CATALOG_CODE_RE.fullmatch(code[19:]):
        problems.append(str(_("实施编码后12位（基本编码）格式不正确。")))
    if catalog_code and code[19:] != catalog_code.upper():
        problems.append(str(_("实施编码后12位与基本编码不一致。")))
    if uscc and code[:18] != uscc.upper():
        problems.append(str(_("实施编码前18位与实施主体的统一社会信用代码不一致。")))
    return problems


def birth_date_from_id_card(value: str) -> dt.date:
    value = normalise_id_card(value)
    return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
