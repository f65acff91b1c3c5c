from rest_framework import serializers

from fuyang_portal.api.fields import ScopedModelSerializer
from fuyang_portal.metrics import Level

from .models import ContestWeek, Indicator, LevelSetting, ListMark, Objection, Score, UnitResult
from .sensitivity import ALTERNATIVES, SCORINGS


class IndicatorSerializer(ScopedModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id", "code", "name_zh", "name_en", "levels", "direction", "weight_township", "weight_group",
            "weight_village", "source", "basis", "basis_note", "unit", "min_value", "max_value", "sort_order", "active", "version",
        ]


class LevelSerializer(ScopedModelSerializer):
    label = serializers.SerializerMethodField()

    class Meta:
        model = LevelSetting
        fields = ["level", "label", "list_size", "min_coverage", "appeal_hours"]

    def get_label(self, obj) -> str:
        return str(Level(obj.level).label)


class ContestWeekSerializer(ScopedModelSerializer):
    week_end = serializers.DateField(read_only=True)

    class Meta:
        model = ContestWeek
        fields = ["id", "week_start", "week_end", "level", "revision", "status", "list_size", "computed_at", "published_at", "reason", "appeal_until"]


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


# --- the sensitivity panel (leaderboard/sensitivity.py): read-only, built from the week's stored rows ---


class PlacingSerializer(serializers.Serializer):
    total = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True, help_text="Higher is better, but for rank_sum (a mean rank).")
    rank = serializers.IntegerField(allow_null=True, help_text="Competition rank among the eligible units; null when not ranked.")
    list_mark = serializers.ChoiceField(source="mark", choices=ListMark.choices)


class SensitivityUnitSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    eligible = serializers.BooleanField()
    list_mark = serializers.ChoiceField(source="stored.mark", choices=ListMark.choices, help_text="The list as stored on the week.")
    rule = PlacingSerializer(source="placings.rule")
    missing_zero = PlacingSerializer(source="placings.missing_zero")
    z_score = PlacingSerializer(source="placings.z_score")
    rank_sum = PlacingSerializer(source="placings.rank_sum")
    changes = serializers.ListField(child=serializers.ChoiceField(choices=ALTERNATIVES), help_text="The scorings under which its list differs.")
    borderline = serializers.BooleanField()


class SensitivityScoringSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[s.code for s in SCORINGS])
    label = serializers.CharField()
    red = serializers.ListField(child=serializers.CharField(), help_text="Unit names, best first.")
    black = serializers.ListField(child=serializers.CharField(), help_text="Unit names, worst first.")
    changed = serializers.ListField(child=serializers.CharField(), help_text="Units whose list differs from the stored one.")


class SensitivitySerializer(serializers.Serializer):
    week = serializers.IntegerField(source="week.pk")
    list_size = serializers.IntegerField(source="week.list_size")
    reproduces = serializers.BooleanField(source="panel.reproduces", help_text="The rule recomputed from the stored figures gives the stored results.")
    changed_count = serializers.IntegerField(source="panel.changed_count", help_text="Units that change list under at least one scoring.")
    scorings = SensitivityScoringSerializer(source="panel.summaries", many=True)
    units = SensitivityUnitSerializer(source="panel.lines", many=True)


# --- objections to a draft (leaderboard/appeals.py) ------------------------------------------------------


class ObjectionSerializer(ScopedModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = [
            "id", "week", "level", "week_start", "unit_id", "unit_name", "indicator", "indicator_code", "figure", "proposed_value",
            "reason", "has_evidence", "status", "filed_at", "corrected_value", "decided_at", "decision",
        ]
        read_only_fields = fields

    def get_has_evidence(self, obj) -> bool:
        return bool(obj.evidence)


class ObjectionCreateSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="The id of the figure (a score of a draft week) of one of your units.")
    reason = serializers.CharField(max_length=2000)
    proposed_value = serializers.DecimalField(max_digits=14, decimal_places=4, required=False, allow_null=True, default=None)
    evidence = serializers.FileField(required=False, max_length=200, help_text="PDF, Word, JPEG or PNG, checked by content.")


class ObjectionDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    corrected_value = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True, default=None,
        help_text="When accepting; null takes the value the unit named.",
    )


class CloseAppealsSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
