from rest_framework.routers import SimpleRouter

from .views import CatalogueItemViewSet, CatalogueViewSet, ChangeProposalViewSet

router = SimpleRouter()
router.register("catalogues", CatalogueViewSet, basename="catalogue")
router.register("catalogue-items", CatalogueItemViewSet, basename="catalogue-item")
router.register("catalogue-proposals", ChangeProposalViewSet, basename="catalogue-proposal")

urlpatterns = router.urls
