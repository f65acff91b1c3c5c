import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from fuyang_portal.models import Agency, AuditEvent, Township, Transition


class TownshipTable(tables.Table):
    name = tables.Column(linkify=True)
    villages = tables.Column(verbose_name=_("Villages"), accessor="village_count", orderable=True)
    communities = tables.Column(verbose_name=_("Communities"), accessor="community_count", orderable=True)
    agencies = tables.Column(verbose_name=_("Paired agencies"), accessor="agency_count", orderable=True)

    class Meta:
        model = Township
        fields = ("code", "name", "kind")


class AgencyTable(tables.Table):
    paired_township = tables.Column(linkify=True)
    groups = tables.Column(verbose_name=_("Community groups"), accessor="group_count", orderable=True)

    class Meta:
        model = Agency
        fields = ("code", "name", "paired_township")


class AuditEventTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s")

    class Meta:
        model = AuditEvent
        fields = ("at", "kind", "username", "ip_address", "target", "detail")


class TransitionTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    content_type = tables.Column(verbose_name=_("record type"), accessor="content_type__model")
    actor = tables.Column(verbose_name=_("by"), accessor="actor__username")

    class Meta:
        model = Transition
        fields = ("at", "content_type", "object_id", "action", "from_state", "to_state", "actor", "comment")
