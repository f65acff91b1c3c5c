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
