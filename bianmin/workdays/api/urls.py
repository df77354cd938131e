app_name = "workdays-api"

urlpatterns: list = []
