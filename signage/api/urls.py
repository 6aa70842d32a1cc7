from rest_framework.routers import SimpleRouter

from .views import (
    MechanismViewSet,
    PlaqueRuleViewSet,
    RectificationViewSet,
    RuleSetViewSet,
    VillagePlaqueViewSet,
)

router = SimpleRouter()
router.register("plaque-rulesets", RuleSetViewSet, basename="plaque-ruleset")
router.register("plaque-rules", PlaqueRuleViewSet, basename="plaque-rule")
router.register("village-plaques", VillagePlaqueViewSet, basename="village-plaque")
router.register("plaque-rectifications", RectificationViewSet, basename="plaque-rectification")
router.register("mechanisms", MechanismViewSet, basename="mechanism")

urlpatterns = router.urls
