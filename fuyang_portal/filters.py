import django_filters
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from django.contrib.contenttypes.models import ContentType

from fuyang_portal.models import Agency, AuditEvent, Township, Transition


class LabelledDateRangeWidget(django_filters.widgets.DateRangeWidget):
    """The two boxes of a date range, each with its own accessible name (the field's label names the pair)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # In their own context: the workflow's "from" / "to" are states (原状态 / 新状态), these are dates.
        for subwidget, label in zip(context["widget"]["subwidgets"], (pgettext_lazy("date range", "from"), pgettext_lazy("date range", "to"))):
            subwidget["attrs"]["aria-label"] = str(label)
        return context


class DateRange(django_filters.DateFromToRangeFilter):
    """A from / to date filter whose boxes are labelled for screen readers."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", LabelledDateRangeWidget())
        super().__init__(*args, **kwargs)


class TownshipFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = Township
        fields = ["name", "kind"]


class AgencyFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = Agency
        fields = ["name", "paired_township"]


class AuditEventFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="icontains", label=_("user name"))
    at = DateRange(label=_("date range (from / to)"))

    class Meta:
        model = AuditEvent
        fields = ["kind", "username", "at"]


class TransitionFilter(django_filters.FilterSet):
    """The transition log: every state change of every workflow record, by record type, action, user and date."""

    content_type = django_filters.ModelChoiceFilter(
        label=_("record type"), queryset=ContentType.objects.filter(pk__in=Transition.objects.values("content_type")).order_by("app_label", "model")
    )
    object_id = django_filters.CharFilter(label=_("record id"))
    action = django_filters.CharFilter(label=_("action"))
    actor = django_filters.CharFilter(field_name="actor__username", lookup_expr="icontains", label=_("user name"))
    at = DateRange(label=_("date range (from / to)"))

    class Meta:
        model = Transition
        fields = ["content_type", "object_id", "action", "actor", "at"]
