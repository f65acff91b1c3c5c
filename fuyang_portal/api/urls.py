"""The API: core routes here; every installed app with an ``api`` module adds its own through
``<app>/api.py: register(router)`` (discovered, not listed: the core names no app)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from fuyang_portal.api import views
from fuyang_portal.api.auth import ObtainTokenView
from fuyang_portal.api.exports import ExportRequestViewSet
from fuyang_portal.discovery import app_modules


router = DefaultRouter()
router.register("townships", views.TownshipViewSet, basename="township")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("villages", views.VillageViewSet, basename="village")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("pairings", views.PairingViewSet, basename="pairing")
router.register("community-groups", views.CommunityGroupViewSet, basename="communitygroup")
router.register("export-requests", ExportRequestViewSet, basename="exportrequest")
for _config, module in app_modules("api"):
    module.register(router)

urlpatterns = [
    path("me/", views.me, name="api-me"),
    path("token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include(router.urls)),
]
