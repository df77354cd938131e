from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_ICP": settings.SITE_ICP,
        "SITE_PSB": settings.SITE_PSB,
        "SITE_GOV_ID": settings.SITE_GOV_ID,
        "SITE_HOTLINE": settings.SITE_HOTLINE,
        "elderly_mode": request.COOKIES.get("elderly") == "1",
    }
