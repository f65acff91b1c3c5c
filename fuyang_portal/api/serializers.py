from rest_framework import serializers

from fuyang_portal.models import Agency, Community, CommunityGroup, Township, User, Village


class TownshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ["id", "code", "name", "name_en", "kind"]


class CommunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "code", "name", "township"]


class VillageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = ["id", "code", "name", "township"]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "name_en", "paired_township"]


class PairingSerializer(serializers.ModelSerializer):
    """An agency bound to a township (组团捆绑)."""

    agency = serializers.CharField(source="name")
    agency_id = serializers.IntegerField(source="id")
    township = serializers.CharField(source="paired_township.name")
    township_id = serializers.IntegerField(source="paired_township_id")

    class Meta:
        model = Agency
        fields = ["agency_id", "agency", "township_id", "township"]


class CommunityGroupSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name")
    agency_name = serializers.CharField(source="agency.name")
    township = serializers.IntegerField(source="community.township_id")

    class Meta:
        model = CommunityGroup
        fields = ["id", "code", "community", "community_name", "agency", "agency_name", "township"]


class MeSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display")
    enterprise = serializers.IntegerField(source="enterprise_id", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "role_display", "township", "agency", "enterprise"]
