app_name = "accounts-api"

urlpatterns: list = []
