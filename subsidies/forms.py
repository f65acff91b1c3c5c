from django import forms
from django.utils.translation import gettext_lazy as _

from fuyang_portal.validators import normalize_resident_id, validate_mobile, validate_resident_id
from subsidies import regions, services
from subsidies.models import HealthCode, SubsidyClaim, SubsidyPolicy, TravelMode, TripPassenger, WorkerRegistration

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegistrationForm(forms.Form):
    """The employer's form for its own staff; the public form adds the employer."""

    mobile = forms.CharField(
        label=_("Mobile"), max_length=11, validators=[validate_mobile],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "autofocus": True}),
    )
    name = forms.CharField(label=_("Name"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(
        label=_("Resident ID number"), max_length=18, validators=[validate_resident_id],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    origin_province = forms.ChoiceField(label=_("Province of origin"), choices=[])
    origin_county = forms.ChoiceField(
        label=_("County of origin"), choices=[], required=False, help_text=_("Choose your county if it is listed.")
    )
    return_date = forms.DateField(label=_("Intended return date"), widget=DATE)
    travel_mode = forms.ChoiceField(label=_("How will you travel?"), choices=TravelMode.choices, widget=forms.RadioSelect)
    health_code = forms.ChoiceField(label=_("Health code colour"), choices=HealthCode.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_province"].choices = [("", "---------")] + regions.province_choices()
        self.fields["origin_county"].choices = [("", "---------")] + regions.county_choices()

    def clean_id_number(self):
        return normalize_resident_id(self.cleaned_data["id_number"])

    def clean(self):
        data = super().clean()
        county, province = data.get("origin_county"), data.get("origin_province")
        if county and province and regions.province_of(county) != province:
            self.add_error("origin_county", _("The county is not in the province chosen."))
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        return {k: data[k] for k in ("name", "id_number", "mobile", "origin_province", "origin_county", "return_date", "travel_mode", "health_code")}


class PublicRegistrationForm(RegistrationForm):
    employer = forms.CharField(
        label=_("Employer"), max_length=100,
        help_text=_("The firm's unified social credit code or its full registered name."),
    )
    field_order = ["mobile", "name", "id_number", "employer"]

    def clean_employer(self):
        enterprise = services.find_enterprise(self.cleaned_data["employer"])
        if enterprise is None:
            raise forms.ValidationError(_("No single registered firm matches this; enter its credit code or its full name."))
        return enterprise


class LookupForm(forms.Form):
    reference = forms.CharField(label=_("Reference number"), max_length=12, widget=forms.TextInput(attrs={"autocapitalize": "characters"}))
    mobile = forms.CharField(label=_("Mobile"), max_length=11, widget=forms.TextInput(attrs={"inputmode": "tel"}))


class TripPlanForm(forms.Form):
    origin_province = forms.ChoiceField(label=_("Province of origin"), choices=[])
    origin_county = forms.ChoiceField(label=_("County of origin"), choices=[], required=False)
    departure_date = forms.DateField(label=_("Departure date"), widget=DATE)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=80, initial=45)
    registrations = forms.ModelMultipleChoiceField(
        label=_("Workers on this bus"), queryset=WorkerRegistration.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_province"].choices = [("", "---------")] + regions.province_choices()
        self.fields["origin_county"].choices = [("", "---------")] + regions.county_choices()
        self.fields["registrations"].queryset = registrations
        self.fields["registrations"].label_from_instance = _registration_label


def _registration_label(r):
    return f"{r.masked_name} · {r.origin_display} · {r.return_date:%m-%d} · {r.get_travel_mode_display()}"


class AddPassengersForm(forms.Form):
    registrations = forms.ModelMultipleChoiceField(
        label=_("Workers to add"), queryset=WorkerRegistration.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("An employee who is not on the list yet is first registered by the firm."),
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = registrations
        self.fields["registrations"].label_from_instance = _registration_label


class TripCompleteForm(forms.Form):
    departure_date = forms.DateField(label=_("Departure date"), widget=DATE)
    arrival_date = forms.DateField(label=_("Arrival date"), widget=DATE)
    travelled = forms.ModelMultipleChoiceField(
        label=_("Who travelled"), queryset=TripPassenger.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, trip, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["travelled"].queryset = trip.passengers.select_related("registration")
        self.fields["travelled"].label_from_instance = lambda p: f"{p.registration.masked_name} · {p.registration.reference}"
        self.initial.setdefault("departure_date", trip.departure_date)
        self.initial.setdefault("arrival_date", trip.departure_date)
        self.initial.setdefault("travelled", list(trip.passengers.values_list("pk", flat=True)))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000)


class ClaimForm(forms.ModelForm):
    class Meta:
        model = SubsidyClaim
        fields = [
            "bus_company", "plate", "departure_date", "arrival_date", "invoice_number", "invoice_amount", "invoice_image",
            "payee_bank", "payee_account",
        ]
        widgets = {"departure_date": DATE, "arrival_date": DATE, "invoice_amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A claim cannot be submitted without its invoice: asked for here, before anything is saved (an invoice
        # already attached to a returned claim counts).
        self.fields["invoice_image"].required = True
        self.fields["invoice_image"].error_messages["required"] = _("Attach the invoice image: a claim cannot be submitted without it.")

    def fields_for_service(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data and (name != "invoice_image" or self.cleaned_data[name])}


class PolicyForm(forms.ModelForm):
    class Meta:
        model = SubsidyPolicy
        fields = ["rate", "window_start", "window_end", "per_trip_cap", "per_enterprise_cap", "filing_days", "note"]
        widgets = {"window_start": DATE, "window_end": DATE}


class PayoutCreateForm(forms.Form):
    claims = forms.ModelMultipleChoiceField(
        label=_("Approved claims awaiting payout"), queryset=SubsidyClaim.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims"].queryset = queryset
        self.fields["claims"].label_from_instance = lambda c: f"#{c.pk} {c.enterprise.name} · ¥{c.approved_amount}"


class MarkPaidForm(forms.Form):
    transfer_reference = forms.CharField(label=_("Bank transfer reference"), max_length=40)
