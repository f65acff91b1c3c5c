"""The API: core routes here; each domain app adds its own through ``<app>/api.py: register(router)``."""

from importlib import import_module

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from fuyang_portal.api import views

DOMAIN_APPS = ("enterprises", "specialists", "subsidies", "leaderboard")

router = DefaultRouter()
router.register("townships", views.TownshipViewSet, basename="township")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("villages", views.VillageViewSet, basename="village")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("pairings", views.PairingViewSet, basename="pairing")
router.register("community-groups", views.CommunityGroupViewSet, basename="communitygroup")
for app in DOMAIN_APPS:
    import_module(f"{app}.api").register(router)

urlpatterns = [
    path("me/", views.me, name="api-me"),
    path("token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include(router.urls)),
]
