from django.urls import path

from masterplan import views

app_name = "masterplan"

urlpatterns = [
    path("", views.masterplan_list, name="masterplan_list"),
    path("<id:pk>/", views.masterplan_detail, name="masterplan_detail"),
    path("<id:pk>/edit/", views.masterplan_edit, name="masterplan_edit"),
    path("<id:pk>/status/", views.masterplan_transition, name="masterplan_transition"),
    path("<id:pk>/review/", views.masterplan_review, name="masterplan_review"),
    path("<id:pk>/redraft/", views.masterplan_redraft, name="masterplan_redraft"),
    path(
        "<id:plan_pk>/programmes/<id:pk>/",
        views.programme_detail,
        name="programme_detail",
    ),
    path("<id:pk>/programmes/new/", views.programme_create, name="programme_create"),
    path(
        "<id:plan_pk>/programmes/<id:pk>/targets/new/",
        views.target_create,
        name="target_create",
    ),
    path("targets/<id:pk>/", views.target_update, name="target_update"),
]
