"""Language-aware text helpers shared by views and templates."""

import re

from django.conf import settings
from django.utils.translation import get_language, gettext, gettext_noop, pgettext

# The default site name (settings.SITE_NAME), marked so that the English catalog carries its translation.
DEFAULT_SITE_NAME = gettext_noop("龙湖区政务服务网")


def is_chinese() -> bool:
    """True while Chinese (the source language) is active."""
    return (get_language() or settings.LANGUAGE_CODE).lower().startswith("zh")


def site_name() -> str:
    """The site name in the active language.

    settings.SITE_NAME is the Chinese name and the msgid; in another language SITE_NAME_EN wins when set
    (a district that renamed its site), else the catalog's translation (the default name has one), else the
    Chinese name itself.
    """
    if not is_chinese() and getattr(settings, "SITE_NAME_EN", ""):
        return settings.SITE_NAME_EN
    return gettext(settings.SITE_NAME) if settings.SITE_NAME else ""  # gettext("") is the catalog header


HAN = re.compile(r"[\u3400-\u9fff]")


def icon_letter(icon: str, label) -> str:
    """The character of a small icon square: the given (Chinese) one while Chinese is active, otherwise the first
    letter of the translated label (a 审 or 育 means nothing on an English page); the given one when the label
    has no translation."""
    if is_chinese():
        return icon
    text = str(label).strip()
    return text[:1].upper() if text and not HAN.match(text) else icon


def list_separator() -> str:
    """The separator between items of an inline list: 、 in Chinese, ", " in English."""
    return pgettext("list separator", "、")


def join_list(items) -> str:
    """Join items with the current language's list separator (as str.join, item by item through str())."""
    return list_separator().join(str(i) for i in items or ())


def clause_separator() -> str:
    """The separator between clauses of one description: ； in Chinese, "; " in English."""
    return pgettext("clause separator", "；")
