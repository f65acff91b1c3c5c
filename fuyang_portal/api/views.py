from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from fuyang_portal.api.base import ScopedReadOnlyViewSet
from fuyang_portal.api.serializers import (
    AgencySerializer,
    CommunityGroupSerializer,
    CommunitySerializer,
    MeSerializer,
    PairingSerializer,
    TownshipSerializer,
    VillageSerializer,
)
from fuyang_portal.models import Agency, Community, CommunityGroup, Township, Village


class TownshipViewSet(ScopedReadOnlyViewSet):
    model = Township
    serializer_class = TownshipSerializer
    filterset_fields = ["kind"]


class CommunityViewSet(ScopedReadOnlyViewSet):
    model = Community
    serializer_class = CommunitySerializer
    filterset_fields = ["township"]


class VillageViewSet(ScopedReadOnlyViewSet):
    model = Village
    serializer_class = VillageSerializer
    filterset_fields = ["township"]


class AgencyViewSet(ScopedReadOnlyViewSet):
    model = Agency
    serializer_class = AgencySerializer
    filterset_fields = ["paired_township"]


class PairingViewSet(ScopedReadOnlyViewSet):
    """Agencies bound to townships (组团捆绑)."""

    model = Agency
    serializer_class = PairingSerializer
    filterset_fields = ["paired_township"]

    def get_queryset(self):
        return super().get_queryset().select_related("paired_township")


class CommunityGroupViewSet(ScopedReadOnlyViewSet):
    model = CommunityGroup
    serializer_class = CommunityGroupSerializer
    filterset_fields = ["agency"]

    def get_queryset(self):
        return super().get_queryset().select_related("community", "agency")


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request):
    return Response(MeSerializer(request.user).data)


def unversioned(request, rest):
    """``/api/<path>`` → ``/api/v1/<path>``: 308, so a client's POST is resent as a POST with its body. The
    Deprecation and Sunset headers (RFC 9745, RFC 8594) tell clients to move before the old paths go."""
    from django.conf import settings
    from django.http import HttpResponsePermanentRedirect

    target = f"/api/v1/{rest}"
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    response = HttpResponsePermanentRedirect(target, preserve_request=True)
    response["Deprecation"] = "true"
    response["Sunset"] = settings.API_SUNSET
    response["Link"] = f'<{target}>; rel="successor-version"'
    return response
