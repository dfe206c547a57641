from django.urls import path

from assessments.api.views import (
    AnswerDetailView,
    AnswerHistoryView,
    AnswerListView,
    AssessmentViewSet,
    CommentCloseView,
    CommentListView,
    CycleViewSet,
    FrameworkViewSet,
)
from egov_portal.api import api_router

router = api_router()
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("cycles", CycleViewSet, basename="cycle")

urlpatterns = [
    *router.urls,
    path(
        "assessments/<api_id:assessment_pk>/answers/",
        AnswerListView.as_view(),
        name="assessment-answers",
    ),
    path(
        "assessments/<api_id:assessment_pk>/answers/<slug:indicator>/",
        AnswerDetailView.as_view(),
        name="assessment-answer",
    ),
    path(
        "assessments/<api_id:assessment_pk>/answers/<slug:indicator>/history/",
        AnswerHistoryView.as_view(),
        name="assessment-answer-history",
    ),
    path(
        "assessments/<api_id:assessment_pk>/answers/<slug:indicator>/comments/",
        CommentListView.as_view(),
        name="assessment-answer-comments",
    ),
    path(
        "assessments/<api_id:assessment_pk>/answers/<slug:indicator>/comments/close/",
        CommentCloseView.as_view(),
        name="assessment-answer-comments-close",
    ),
]
