from django.urls import path

from opds import views

app_name = "opds"

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("opds/", views.OPDListView.as_view(), name="opd_list"),
    path("history/", views.history_log, name="history_log"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path(
        "applications/export.<str:file_format>",
        views.application_export,
        name="application_export",
    ),
    path("applications/import/", views.application_import, name="application_import"),
    path(
        "applications/import/template.<str:file_format>",
        views.application_import_template,
        name="application_import_template",
    ),
    path(
        "applications/import/<str:token>/",
        views.application_import_preview,
        name="application_import_preview",
    ),
    path("applications/<id:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<id:pk>/edit/", views.application_update, name="application_update"),
    path("applications/<id:pk>/retire/", views.application_retire, name="application_retire"),
]
