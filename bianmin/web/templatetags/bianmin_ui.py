"""Small template helpers for the shells: {% load bianmin_ui %}."""

from django import template

register = template.Library()


@register.filter
def absolute(value):
    """|absolute — the absolute value of a number (days overdue from a negative days_left)."""
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter(is_safe=False)
def join_list(value):
    """|join_list — items joined with the current language's list separator (、 or ", ")."""
    from bianmin.web.text import join_list as _join

    if isinstance(value, str):
        return value
    return _join(value)


@register.filter
def translated(value):
    """|translated — each stored Chinese value (e.g. a rating tag) looked up in the active catalog."""
    from django.utils.translation import gettext

    return [gettext(str(v)) for v in value or ()]


@register.simple_tag
def site_name():
    """{% site_name %} / {% site_name as name %} — the site name in the active language (bianmin.web.text.site_name),
    for templates rendered without the request's context processors (cached fragments, PDFs)."""
    from bianmin.web.text import site_name as _site_name

    return _site_name()


@register.filter
def limit_length(number, unit):
    """{{ n|limit_length:unit }} — a time limit in the active language (“10工作日”, “10 working days”)."""
    from bianmin.catalog.constants import LimitUnit
    from bianmin.catalog.constants import limit_length as _limit_length

    if number is None or number == "":
        return ""
    return _limit_length(number, unit or LimitUnit.WORKING_DAY)
