import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from relief.models import Application, Award, Policy


class PolicyTable(tables.Table):
    title = tables.Column(linkify=True)
    version = tables.Column(verbose_name=_("Version"), accessor="current_version__number")
    valid_until = tables.Column(verbose_name=_("Valid until"), accessor="current_version__valid_until", default="—")
    budget = tables.Column(verbose_name=_("Budget (yuan)"), accessor="current_version__budget")

    class Meta:
        model = Policy
        fields = ("title", "issuer", "document_number", "issued_on", "area", "mode", "status", "version", "valid_until", "budget")


class AwardTable(tables.Table):
    enterprise = tables.Column(verbose_name=_("Enterprise"), linkify=lambda record: record.get_absolute_url())
    policy = tables.Column(verbose_name=_("Policy"))
    township = tables.Column(verbose_name=_("Township"), accessor="enterprise__township__name")
    hold_reason = tables.Column(verbose_name=_("Held because"), default="—")

    class Meta:
        model = Award
        fields = ("enterprise", "policy", "township", "period", "amount", "status", "created_at", "paid_at", "hold_reason")


class ApplicationTable(tables.Table):
    enterprise = tables.Column(verbose_name=_("Enterprise"), linkify=lambda record: record.get_absolute_url())
    policy = tables.Column(verbose_name=_("Policy"))
    township = tables.Column(verbose_name=_("Township"), accessor="enterprise__township__name")

    class Meta:
        model = Application
        fields = ("enterprise", "policy", "township", "period", "amount", "status", "submitted_at")
