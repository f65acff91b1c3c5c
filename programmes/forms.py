"""Forms of the programmes' pages: input only; the services validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from fuyang_portal import clock
from fuyang_portal.models import Community, User, Village
from fuyang_portal.roles import Role
from programmes.models import PHOTO_MAX_BYTES, Category, Clinic, Finding, Lodging, ServiceStation, Topic
from programmes.services import indicator_choices
from specialists.models import Category as ProblemCategory

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WorkListForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    community = forms.ModelChoiceField(label=_("Community group (optional)"), queryset=Community.objects.none(), required=False)
    village = forms.ModelChoiceField(label=_("Village (optional)"), queryset=Village.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        township_id = getattr(user, "township_id", None)
        self.fields["community"].queryset = Community.objects.filter(township_id=township_id, group__isnull=False)
        self.fields["village"].queryset = Village.objects.filter(township_id=township_id)


class WorkItemForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    indicator_code = forms.ChoiceField(label=_("Contest indicator"), choices=())
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=60)
    responsible_person = forms.ModelChoiceField(label=_("Responsible person"), queryset=User.objects.none())
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args, work_list=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = indicator_choices()
        if work_list is not None:
            self.fields["responsible_person"].queryset = User.objects.filter(
                role=Role.TOWNSHIP, township_id=work_list.township_id, is_active=True
            ).order_by("full_name", "username")


class ReportForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    photo = forms.FileField(label=_("Photo (JPEG or PNG)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}))
    done = forms.BooleanField(label=_("The item is done"), required=False)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo is too large."))
        return photo


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class InspectForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Finding.Outcome.choices)
    points = forms.IntegerField(label=_("Points deducted"), min_value=0, max_value=10, required=False, initial=0,
                                help_text=_("1 to 10 when problems were found."))
    description = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    rectify_by = forms.DateField(label=_("Rectify by"), required=False, widget=DATE)


class RectifyForm(forms.Form):
    note = forms.CharField(label=_("What was checked"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class CallForm(forms.Form):
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    caller_enterprise = forms.ModelChoiceField(label=_("Calling firm"), queryset=Enterprise.objects.none(), required=False)
    caller_name = forms.CharField(label=_("Caller"), max_length=50)
    caller_mobile = forms.CharField(label=_("Caller's mobile"), max_length=11, required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    answer = forms.CharField(label=_("Answer given"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    follow_up = forms.CharField(label=_("Follow-up needed"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caller_enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        if not self.is_bound:
            self.initial.setdefault("received_at", clock.now().astimezone().strftime("%Y-%m-%dT%H:%M"))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer given"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RaiseForm(forms.Form):
    category = forms.ChoiceField(label=_("Problem category"), choices=ProblemCategory.choices)
    description = forms.CharField(label=_("Problem (the call's question if empty)"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False, max_length=2000)


class CoverageForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    hours = forms.IntegerField(label=_("Hours covered"), min_value=0, max_value=24)
    staff = forms.IntegerField(label=_("Staff on duty"), min_value=1, max_value=200, initial=1)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class LodgingForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Lodging.Kind.choices)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=2000)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class CheckInForm(forms.Form):
    worker = forms.CharField(label=_("Registration reference or resident ID number"), max_length=18)
    day = forms.DateField(label=_("Check-in date"), widget=DATE, required=False)


class CheckOutForm(forms.Form):
    day = forms.DateField(label=_("Check-out date"), widget=DATE, required=False)


class IssueVoucherForm(forms.Form):
    worker = forms.CharField(label=_("Registration reference or resident ID number"), max_length=18)
    expires_on = forms.DateField(label=_("Valid until"), widget=DATE, required=False)


class ClinicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class CarRunForm(forms.Form):
    run_date = forms.DateField(label=_("Date"), widget=DATE)
    origin = forms.CharField(label=_("From"), max_length=100)
    destination = forms.CharField(label=_("To"), max_length=100)
    people = forms.IntegerField(label=_("People carried"), min_value=1, max_value=60)
    driver = forms.CharField(label=_("Driver"), max_length=50)
    plate = forms.CharField(label=_("Licence plate"), max_length=10, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class StationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    place = forms.CharField(label=_("Place"), max_length=200)
    hours = forms.CharField(label=_("Opening hours"), max_length=60)
    services = forms.CharField(label=_("Services offered"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class ShoppingRunForm(forms.Form):
    run_date = forms.DateField(label=_("Date"), widget=DATE)
    station = forms.ModelChoiceField(label=_("Service station"), queryset=ServiceStation.objects.none(), required=False)
    for_enterprise = forms.ModelChoiceField(label=_("For firm"), queryset=Enterprise.objects.none(), required=False)
    for_household = forms.CharField(label=_("For household"), max_length=100, required=False)
    items = forms.CharField(label=_("What was bought"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    runner = forms.CharField(label=_("Party member"), max_length=50)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = ServiceStation.objects.visible_to(user)
        self.fields["for_enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")


class ClinicAccountForm(forms.Form):
    clinic = forms.ModelChoiceField(label=_("Clinic"), queryset=Clinic.objects.none())
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    mobile = forms.CharField(label=_("Mobile"), max_length=11, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = Clinic.objects.visible_to(user).filter(active=True)


class VoucherCodeForm(forms.Form):
    code = forms.CharField(label=_("Voucher code"), max_length=16)
