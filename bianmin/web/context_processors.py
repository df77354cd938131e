from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from bianmin.web import navigation
from bianmin.web.text import site_name


def html_lang(language_code: str | None) -> str:
    """BCP 47 tag for <html lang>: Django's zh-hans becomes zh-CN (what screen readers expect)."""
    code = (language_code or settings.LANGUAGE_CODE).lower()
    if code.startswith("zh"):
        return "zh-CN"
    return code


def site(request):
    return {
        "SITE_NAME": site_name(),  # in the active language; the settings value is the Chinese name
        "SITE_ICP": settings.SITE_ICP,
        "SITE_PSB": settings.SITE_PSB,
        "SITE_GOV_ID": settings.SITE_GOV_ID,
        "SITE_HOTLINE": settings.SITE_HOTLINE,
        "elderly_mode": request.COOKIES.get("elderly") == "1",
        "html_lang": html_lang(get_language()),
        # Built only when a template uses them (so JSON-ish pages pay nothing).
        "portal_menu": SimpleLazyObject(lambda: navigation.portal_menu(request)),
        "workbench_menu": SimpleLazyObject(lambda: navigation.workbench_menu(request)),
    }
