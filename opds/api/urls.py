from rest_framework.routers import SimpleRouter

from opds.api.views import OPDViewSet, RegionViewSet

router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("opds", OPDViewSet, basename="opd")

urlpatterns = router.urls
