from django.http import JsonResponse
from django.views import View


class PingApi(View):
    """A trivial JSON endpoint: the HTTP floor that benchmarks compare against, and a health check."""

    def get(self, request):
        return JsonResponse({"status": "ok"})
