"""Language-aware text helpers shared by views and templates."""

from django.utils.translation import pgettext


def list_separator() -> str:
    """The separator between items of an inline list: 、 in Chinese, ", " in English."""
    return pgettext("list separator", "、")


def join_list(items) -> str:
    """Join items with the current language's list separator (as str.join, item by item through str())."""
    return list_separator().join(str(i) for i in items or ())


def clause_separator() -> str:
    """The separator between clauses of one description: ； in Chinese, "; " in English."""
    return pgettext("clause separator", "；")
