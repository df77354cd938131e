"""{% unread_message_count as n %}: the header badge; one COUNT per request, none for anonymous visitors."""

from django import template

from bianmin.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_message_count(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    if request is None:
        return selectors.unread_count(user=user)
    cached = getattr(request, "_unread_message_count", None)
    if cached is None:
        cached = selectors.unread_count(user=user)
        request._unread_message_count = cached
    return cached


@register.inclusion_tag("notifications/includes/preferences_form.html", takes_context=True)
def notification_preferences_form(context, next_url: str = ""):
    """The 通知方式 form for the signed-in user, where another page (the account page) shows it."""
    from bianmin.notifications.constants import MANDATORY_NOTICES
    from bianmin.notifications.services import email_available

    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "preference": selectors.preference_for_user(user=request.user),
        "email_available": email_available(),
        "mandatory_notices": MANDATORY_NOTICES,
        "next": next_url,
    }
