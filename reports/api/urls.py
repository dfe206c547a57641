from django.urls import path

from reports.api.views import RankingView, VerifyView

urlpatterns = [
    path("rankings/", RankingView.as_view(), name="rankings"),
    path("verify/", VerifyView.as_view(), name="verify"),
]
