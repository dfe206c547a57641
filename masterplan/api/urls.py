from rest_framework.routers import SimpleRouter

from masterplan.api.views import MasterPlanViewSet

router = SimpleRouter()
router.register("masterplans", MasterPlanViewSet, basename="masterplan")

urlpatterns = router.urls
