app_name = "catalog-api"

urlpatterns: list = []
