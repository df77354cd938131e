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
