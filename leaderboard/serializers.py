from rest_framework import serializers

from fuyang_portal.api.fields import ScopedModelSerializer
from fuyang_portal.metrics import Level

from .models import ContestWeek, Indicator, LevelSetting, Score, UnitResult


class IndicatorSerializer(ScopedModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id", "code", "name_zh", "name_en", "levels", "direction", "weight_township", "weight_group",
            "weight_village", "source", "unit", "min_value", "max_value", "sort_order", "active", "version",
        ]


class LevelSerializer(ScopedModelSerializer):
    label = serializers.SerializerMethodField()

    class Meta:
        model = LevelSetting
        fields = ["level", "label", "list_size", "min_coverage"]

    def get_label(self, obj) -> str:
        return str(Level(obj.level).label)


class ContestWeekSerializer(ScopedModelSerializer):
    week_end = serializers.DateField(read_only=True)

    class Meta:
        model = ContestWeek
        fields = ["id", "week_start", "week_end", "level", "revision", "status", "list_size", "computed_at", "published_at", "reason"]


class UnitResultSerializer(ScopedModelSerializer):
    level = serializers.ChoiceField(source="unit_type", choices=Level.choices, read_only=True)

    class Meta:
        model = UnitResult
        fields = ["id", "week", "level", "unit_id", "unit_name", "township_id", "total", "coverage", "eligible", "rank", "list_mark", "previous_rank", "movement"]


class ScoreSerializer(ScopedModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    level = serializers.ChoiceField(source="unit_type", choices=Level.choices, read_only=True)

    class Meta:
        model = Score
        fields = ["id", "week", "level", "unit_id", "indicator", "indicator_code", "raw_value", "numerator", "denominator", "score", "weight", "no_data"]


class ComputeSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    week_start = serializers.DateField()


class PublishSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
