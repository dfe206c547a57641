from django.urls import path

from assessments import cycle_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    path("new/", views.assessment_create, name="assessment_create"),
    path("bands.css", views.band_styles, name="band_styles"),
    path("<id:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<id:pk>/history/", views.assessment_history, name="assessment_history"),
    path("<id:pk>/transition/", views.assessment_transition, name="assessment_transition"),
    path("<id:pk>/transition/final/", views.assessment_finalise, name="assessment_finalise"),
    path("<id:pk>/answers/<slug:indicator>/", views.answer_update, name="answer_update"),
    path(
        "<id:pk>/answers/<slug:indicator>/history/",
        views.answer_history,
        name="answer_history",
    ),
    path(
        "<id:pk>/answers/<slug:indicator>/evidence/",
        views.evidence_create,
        name="evidence_create",
    ),
    path(
        "<id:pk>/answers/<slug:indicator>/comments/",
        views.clarification_create,
        name="clarification_create",
    ),
    path(
        "<id:pk>/answers/<slug:indicator>/comments/close/",
        views.clarification_close,
        name="clarification_close",
    ),
    path("cycles/", cycle_views.cycle_list, name="cycle_list"),
    path("cycles/new/", cycle_views.cycle_create, name="cycle_create"),
    path("cycles/<id:pk>/edit/", cycle_views.cycle_update, name="cycle_update"),
    path("cycles/<id:pk>/extensions/new/", cycle_views.extension_create, name="extension_create"),
    path("evidence/<id:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<id:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("<id:pk>/<slug:dimension>/", views.assessment_dimension, name="assessment_dimension"),
    path(
        "<id:pk>/<slug:dimension>/confirm/",
        views.dimension_confirm,
        name="assessment_dimension_confirm",
    ),
]
