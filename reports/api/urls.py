from django.urls import path

from reports.api.views import InboxView, RankingView, RegionCompareView, VerifyView

urlpatterns = [
    path("inbox/", InboxView.as_view(), name="inbox"),
    path("rankings/", RankingView.as_view(), name="rankings"),
    path("regions/<region_code:code>/compare/", RegionCompareView.as_view(), name="region-compare"),
    path("verify/", VerifyView.as_view(), name="verify"),
]
