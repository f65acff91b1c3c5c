from django import forms
from django.utils.translation import gettext_lazy as _

from fuyang_portal.metrics import Level, week_of

from .models import Basis, Direction
from .services import last_week


class WeekLevelForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    week_start = forms.DateField(
        label=_("Week starting (Monday)"), widget=forms.DateInput(attrs={"type": "date"}), initial=lambda: last_week()
    )

    def clean_week_start(self):
        day = self.cleaned_data["week_start"]
        if day.weekday() != 0:
            raise forms.ValidationError(_("A contest week starts on a Monday; the week of this day starts on %(monday)s."), params={"monday": week_of(day)[0]})
        return day  # a week not started yet is refused by the service, for the API and the pages alike


class PublishForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the corrected lists; the published revision stays in the history."),
    )


class IndicatorForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=40)
    name_en = forms.CharField(label=_("English name"), max_length=80)
    description = forms.CharField(label=_("How it is measured"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    levels = forms.MultipleChoiceField(label=_("Levels"), choices=Level.choices, widget=forms.CheckboxSelectMultiple)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    basis = forms.ChoiceField(label=_("Basis"), choices=Basis.choices)
    basis_note = forms.CharField(label=_("Basis in words"), max_length=200, required=False)
    weight_township = forms.DecimalField(label=_("Weight (townships)"), max_digits=6, decimal_places=2)
    weight_group = forms.DecimalField(label=_("Weight (groups)"), max_digits=6, decimal_places=2)
    weight_village = forms.DecimalField(label=_("Weight (villages)"), max_digits=6, decimal_places=2)
    min_value = forms.DecimalField(label=_("Lowest allowed entry"), required=False, max_digits=8, decimal_places=2, help_text=_("Entered indicators only."))
    max_value = forms.DecimalField(label=_("Highest allowed entry"), required=False, max_digits=8, decimal_places=2)
    active = forms.BooleanField(label=_("Active"), required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=200)

    FIELDS = (
        "name_zh", "name_en", "description", "levels", "direction", "basis", "basis_note", "weight_township", "weight_group",
        "weight_village", "min_value", "max_value", "active",
    )

    @classmethod
    def initial_for(cls, indicator):
        return {name: getattr(indicator, name) for name in cls.FIELDS}

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class LevelSettingForm(forms.Form):
    list_size = forms.IntegerField(label=_("Units on each list"), min_value=1, max_value=50)
    min_coverage = forms.IntegerField(label=_("Minimum data coverage (%)"), min_value=0, max_value=100)
    appeal_hours = forms.IntegerField(
        label=_("Appeal window (working hours)"), min_value=0, max_value=80,
        help_text=_("How long a computed draft stays open to the units' objections."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"), help_text=_("Download the template, fill in the figures, upload it."))

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(_("This is not an Excel .xlsx file."))
        return upload

