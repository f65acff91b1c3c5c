from django import forms
from django.utils.translation import gettext_lazy as _

from fuyang_portal import clock
from labour.models import Candidate, PartnerCounty, Trade, Vacancy
from subsidies.models import CharterTrip, HealthCode, TravelMode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMPTY = [("", _("Please choose"))]


class VacancyForm(forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = ["position", "trade", "headcount", "skills", "wage_min", "wage_max", "housing", "meals", "start_date", "contact_name", "contact_mobile"]
        widgets = {"start_date": DATE, "skills": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trade"].choices = EMPTY + list(Trade.choices)
        self.fields["contact_mobile"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["headcount"].widget.attrs.update(inputmode="numeric")
        if enterprises is not None:
            # A specialist posts for one of the firms it serves.
            self.fields["enterprise"] = forms.ModelChoiceField(queryset=enterprises, label=_("Enterprise"), empty_label=_("Please choose"))
            self.order_fields(["enterprise"])

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=500)


class DateForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = clock.today()


class CandidateForm(forms.Form):
    """One candidate, typed in by the county's labour office."""

    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18, min_length=15)
    mobile = forms.CharField(label=_("Mobile"), max_length=11, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    earliest_travel_date = forms.DateField(label=_("Earliest travel date"), widget=DATE)
    travel_mode = forms.ChoiceField(label=_("Travel mode"), choices=TravelMode.choices, initial=TravelMode.CHARTER)
    health_code = forms.ChoiceField(label=_("Health code"), choices=HealthCode.choices, initial=HealthCode.GREEN)


class CandidateUploadForm(forms.Form):
    file = forms.FileField(label=_("Candidate list (xlsx or CSV)"), help_text=_("One row per candidate; download the template for the columns."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class TripForm(forms.Form):
    """Seat accepted candidates on a new charter bus, or on a planned one of the firm."""

    candidates = forms.ModelMultipleChoiceField(queryset=Candidate.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Candidates"))
    trip = forms.ModelChoiceField(queryset=CharterTrip.objects.none(), required=False, label=_("Planned trip"), empty_label=_("A new trip"))
    departure_date = forms.DateField(label=_("Departure date"), widget=DATE, required=False)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=80, required=False)

    def __init__(self, *args, candidates, trips, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = candidates
        self.fields["candidates"].label_from_instance = lambda c: f"{c.masked_name} · {c.county} · {c.masked_id}"
        self.fields["trip"].queryset = trips

    def clean(self):
        data = super().clean()
        if not data.get("trip") and not data.get("departure_date"):
            self.add_error("departure_date", _("Give the departure date of the new trip."))
        return data


class PartnerCountyForm(forms.ModelForm):
    class Meta:
        model = PartnerCounty
        fields = ["name", "region_code", "pairing", "contact_mobile"]


class CountyAccountForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=11, required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, min_length=10)
