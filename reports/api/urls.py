from django.urls import path

from reports.api.views import InboxView, RankingView, VerifyView

urlpatterns = [
    path("inbox/", InboxView.as_view(), name="inbox"),
    path("rankings/", RankingView.as_view(), name="rankings"),
    path("verify/", VerifyView.as_view(), name="verify"),
]
