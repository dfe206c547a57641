from rest_framework.routers import SimpleRouter

from opds.api.views import ApplicationViewSet, OPDViewSet, RegionViewSet

router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("opds", OPDViewSet, basename="opd")
router.register("applications", ApplicationViewSet, basename="application")

urlpatterns = router.urls
