from django.urls import path

from bianmin.catalog.api import views

app_name = "catalog-api"

urlpatterns = [
    path("items/", views.ItemListApi.as_view(), name="item-list"),
    path("items/<str:code>/", views.ItemDetailApi.as_view(), name="item-detail"),
    path("certificates/", views.CertificateListApi.as_view(), name="certificate-list"),
    path("certificates/<int:pk>/", views.CertificateDetailApi.as_view(), name="certificate-detail"),
    path("certificates/<int:pk>/publish/", views.CertificatePublishApi.as_view(), name="certificate-publish"),
    path("certificates/<int:pk>/retire/", views.CertificateRetireApi.as_view(), name="certificate-retire"),
    path("item-versions/", views.ItemVersionListApi.as_view(), name="item-version-list"),
    path("item-versions/new-item/", views.ItemCreateApi.as_view(), name="item-create"),
    path("item-versions/<int:pk>/", views.ItemVersionDetailApi.as_view(), name="item-version-detail"),
    path("item-versions/<int:pk>/submit/", views.ItemVersionSubmitApi.as_view(), name="item-version-submit"),
    path("item-versions/<int:pk>/return/", views.ItemVersionReturnApi.as_view(), name="item-version-return"),
    path(
        "item-versions/<int:pk>/publish/", views.ItemVersionPublishApi.as_view(), name="item-version-publish"
    ),
    path("item-versions/<int:pk>/retire/", views.ItemVersionRetireApi.as_view(), name="item-version-retire"),
    path("item-versions/<int:pk>/diff/", views.ItemVersionDiffApi.as_view(), name="item-version-diff"),
]
