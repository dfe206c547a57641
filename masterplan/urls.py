from django.urls import path

from masterplan import views

app_name = "masterplan"

urlpatterns = [
    path("", views.masterplan_list, name="masterplan_list"),
    path("<int:pk>/", views.masterplan_detail, name="masterplan_detail"),
    path("<int:pk>/edit/", views.masterplan_edit, name="masterplan_edit"),
    path("<int:pk>/status/", views.masterplan_transition, name="masterplan_transition"),
    path("<int:pk>/review/", views.masterplan_review, name="masterplan_review"),
    path("<int:pk>/redraft/", views.masterplan_redraft, name="masterplan_redraft"),
    path(
        "<int:plan_pk>/programmes/<int:pk>/",
        views.programme_detail,
        name="programme_detail",
    ),
    path("<int:pk>/programmes/new/", views.programme_create, name="programme_create"),
    path(
        "<int:plan_pk>/programmes/<int:pk>/targets/new/",
        views.target_create,
        name="target_create",
    ),
    path("targets/<int:pk>/", views.target_update, name="target_update"),
]
