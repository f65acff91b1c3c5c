import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import ContestWeek, InspectionScore


class ContestWeekTable(tables.Table):
    week_start = tables.Column(linkify=True, verbose_name=_("Week starting"))
    level = tables.Column()
    revision = tables.Column()
    status = tables.Column()
    computed_at = tables.DateTimeColumn(format="Y-m-d H:i")
    published_at = tables.DateTimeColumn(format="Y-m-d H:i")
    published_by = tables.Column()
    reason = tables.Column()

    class Meta:
        model = ContestWeek
        fields = ("week_start", "level", "revision", "status", "computed_at", "published_at", "published_by", "reason")
        order_by = ("-week_start",)


class InspectionScoreTable(tables.Table):
    class Meta:
        model = InspectionScore
        fields = ("week_start", "level", "unit_id", "indicator", "value", "note", "entered_by", "updated_at")
        order_by = ("-week_start", "level", "unit_id")
