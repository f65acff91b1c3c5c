import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enterprises.models import DailyReport, Enterprise, EnterpriseTag, HealthCode, Pass, ResumptionRequest, VehicleType
from fuyang_portal import clock
from fuyang_portal.models import Community, Township, Village
from fuyang_portal.roles import Role
from fuyang_portal.uploads import FileCheck
from fuyang_portal.validators import (
    normalize_credit_code,
    normalize_plate,
    normalize_resident_id,
    validate_plate,
    validate_resident_id,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseForm(forms.ModelForm):
    """Create or edit a firm. Township staff register firms in their own township only."""

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "township",
            "village",
            "community",
            "address",
            "industry",
            "scale",
            "tags",
            "legal_representative",
            "contact_mobile",
            "registered_headcount",
        ]
        widgets = {"tags": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["tags"].queryset = EnterpriseTag.objects.visible_to(user)
        self.fields["contact_mobile"].required = False
        self.fields["township"].queryset = Township.objects.visible_to(user)
        township_id = None
        if user is not None and user.role == Role.TOWNSHIP:
            self.fields["township"].queryset = Township.objects.visible_to(user).filter(pk=user.township_id)
            self.fields["township"].initial = user.township_id
            township_id = user.township_id
        elif self.instance.pk:
            township_id = self.instance.township_id
        villages = Village.objects.visible_to(user).select_related("township")
        communities = Community.objects.visible_to(user).select_related("township")
        if township_id:
            villages = villages.filter(township_id=township_id)
            communities = communities.filter(township_id=township_id)
        self.fields["village"].queryset = villages
        self.fields["community"].queryset = communities

    def clean_credit_code(self):
        return normalize_credit_code(self.cleaned_data["credit_code"])

    def validate_unique(self):
        # The registry service refuses a code another firm holds, naming that firm (enterprises.services).
        pass


class ResumptionRequestForm(forms.ModelForm):
    """The firm's request. Both plans are required to submit it and are marked so (``required`` and the form's
    asterisk); with ``submitting=False`` (the "save as draft" button) they may still be missing."""

    PLANS = ("resumption_plan", "prevention_plan")

    def __init__(self, *args, submitting=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        for name in self.PLANS:
            # A plan already attached (a returned request) counts: Django keeps it when no new file comes.
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = _(
                "Attach this plan to submit the request (or save the request as a draft and attach it later)."
            )

    def full_clean(self):
        # A draft may be saved without its plans; every other check is the same.
        if self.submitting:
            return super().full_clean()
        for name in self.PLANS:
            self.fields[name].required = False
        try:
            super().full_clean()
        finally:
            for name in self.PLANS:
                self.fields[name].required = True

    class Meta:
        model = ResumptionRequest
        fields = [
            "planned_date",
            "staff_local",
            "staff_outside",
            "masks",
            "thermometers",
            "disinfectant_litres",
            "has_canteen",
            "has_dormitory",
            "site_arrangements",
            "resumption_plan",
            "prevention_plan",
        ]
        widgets = {
            "planned_date": DATE_INPUT,
            "site_arrangements": forms.Textarea(attrs={"rows": 3}),
            "resumption_plan": forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}),
            "prevention_plan": forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}),
        }


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(forms.Form):
    pass


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class DailyReportForm(forms.ModelForm):
    class Meta:
        model = DailyReport
        fields = ["staff_on_site", "staff_away", "capacity_percent", "note"]


class _PassForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = today + datetime.timedelta(days=30)

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            raise ValidationError(_("The validity must end on or after the day it starts."))
        if end and end < clock.today():
            raise ValidationError(_("The validity has already ended."))
        return data


class VehiclePassForm(_PassForm):
    plate = forms.CharField(
        label=_("licence plate"), max_length=12, help_text=_("e.g. 浙A12345, or 浙AD12345 for new-energy vehicles.")
    )
    vehicle_type = forms.ChoiceField(label=_("vehicle type"), choices=VehicleType.choices)
    driver_name = forms.CharField(label=_("driver"), max_length=30)
    route = forms.CharField(label=_("route"), max_length=200)

    class Meta:
        model = Pass
        fields = ["plate", "vehicle_type", "driver_name", "mobile", "route", "valid_from", "valid_until"]
        widgets = {"valid_from": DATE_INPUT, "valid_until": DATE_INPUT}

    def clean_plate(self):
        plate = normalize_plate(self.cleaned_data["plate"])
        validate_plate(plate)
        return plate


class EmployeePassForm(_PassForm):
    holder_name = forms.CharField(label=_("name"), max_length=30)
    id_number = forms.CharField(label=_("resident ID number"), max_length=18, min_length=18)
    origin = forms.CharField(label=_("coming from"), max_length=100)
    health_code = forms.ChoiceField(label=_("health code"), choices=HealthCode.choices)

    class Meta:
        model = Pass
        fields = ["holder_name", "id_number", "mobile", "origin", "health_code", "valid_from", "valid_until"]
        widgets = {"valid_from": DATE_INPUT, "valid_until": DATE_INPUT}

    def clean_id_number(self):
        value = normalize_resident_id(self.cleaned_data["id_number"])
        validate_resident_id(value)
        return value


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx) or CSV (UTF-8), first row the column names, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            FileCheck(("xlsx",), self.MAX_BYTES)(upload)  # raises the size message
        return upload

