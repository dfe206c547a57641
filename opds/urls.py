from django.urls import path

from opds import views

app_name = "opds"

urlpatterns = [
    path("", views.home, name="home"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("opds/", views.OPDListView.as_view(), name="opd_list"),
]
