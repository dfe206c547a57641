from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("ranking/", views.national_ranking, name="national_ranking"),
    path("provinces/<str:code>/ranking/", views.province_ranking, name="province_ranking"),
    path("provinces/<str:code>/<year:year>.pdf", views.province_report, name="province_report"),
    path("provinces/<str:code>/<year:year>/bundle/", views.bundle_create, name="bundle_create"),
    path("bundles/<id:pk>/", views.bundle_detail, name="bundle_detail"),
    path("bundles/<id:pk>/cancel/", views.bundle_cancel, name="bundle_cancel"),
    path("bundles/<id:pk>/download/", views.bundle_download, name="bundle_download"),
    path("regions/<str:code>/", views.region_dashboard, name="region_dashboard"),
    path("regions/<str:code>/compare/", views.region_compare, name="region_compare"),
    path("regions/<str:code>/<year:year>.pdf", views.region_report, name="region_report"),
    path("verify/", views.verify, name="verify"),
]
