app_name = "cases-api"

urlpatterns: list = []
