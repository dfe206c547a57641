from egov_portal.api import api_router
from masterplan.api.views import MasterPlanViewSet

router = api_router()
router.register("masterplans", MasterPlanViewSet, basename="masterplan")

urlpatterns = router.urls
