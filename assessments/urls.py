from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    path("new/", views.assessment_create, name="assessment_create"),
    path("<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<int:pk>/transition/", views.assessment_transition, name="assessment_transition"),
    path("<int:pk>/answers/<slug:indicator>/", views.answer_update, name="answer_update"),
    path(
        "<int:pk>/answers/<slug:indicator>/evidence/",
        views.evidence_create,
        name="evidence_create",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("<int:pk>/<slug:dimension>/", views.assessment_dimension, name="assessment_dimension"),
]
