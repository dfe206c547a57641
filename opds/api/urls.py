from egov_portal.api import api_router
from opds.api.views import ApplicationViewSet, OPDViewSet, RegionViewSet

router = api_router()
router.register("regions", RegionViewSet, basename="region")
router.register("opds", OPDViewSet, basename="opd")
router.register("applications", ApplicationViewSet, basename="application")

urlpatterns = router.urls
