"""One placeholder for every select of the portal.

Django labels a select's blank option "---------" (a model field's BLANK_CHOICE_DASH, ModelChoiceField.empty_label)
and so does django-filter by default. The filters take FILTERS_EMPTY_CHOICE_LABEL from the settings; this renderer
gives the forms the same translated label (请选择), so no form has to remember to set it.
"""

from django.conf import settings
from django.forms.renderers import DjangoTemplates

DASHES = "---------"


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        for _group, options, _index in context.get("widget", {}).get("optgroups", ()):
            for option in options:
                if option["value"] in ("", None) and option["label"] == DASHES:
                    option["label"] = settings.FILTERS_EMPTY_CHOICE_LABEL
        return super().render(template_name, context, request)
