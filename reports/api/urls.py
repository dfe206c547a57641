from django.urls import path

from reports.api.views import RankingView

urlpatterns = [path("rankings/", RankingView.as_view(), name="rankings")]
