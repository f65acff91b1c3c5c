import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from fuyang_portal.masking import MobileColumn
from labour.models import Candidate, PartnerCounty, Vacancy


class VacancyTable(tables.Table):
    # The firm's name leads (the card's title on a phone) and opens the vacancy.
    enterprise = tables.Column(verbose_name=_("Enterprise"), linkify=lambda record: record.get_absolute_url(), order_by=("enterprise__name",))
    township = tables.Column(verbose_name=_("Township"), accessor="enterprise__township__name")
    wage = tables.Column(verbose_name=_("Wage (yuan a month)"), accessor="wage_display", order_by=("wage_min", "wage_max"))
    holding = tables.Column(verbose_name=_("Accepted"), accessor="holding_count")
    arrived = tables.Column(verbose_name=_("Arrived"), accessor="arrived_count")
    housing = tables.BooleanColumn(verbose_name=_("Housing"))
    meals = tables.BooleanColumn(verbose_name=_("Meals"))

    class Meta:
        model = Vacancy
        fields = ("enterprise", "position", "trade", "headcount", "holding", "arrived", "township", "wage", "housing", "meals", "start_date", "status")


class CandidateTable(tables.Table):
    personal_data = True  # candidates' names, ID numbers and mobiles
    name = tables.Column(verbose_name=_("Name"), accessor="masked_name", order_by=("name",), linkify=True)
    id_number = tables.Column(verbose_name=_("Resident ID number"), accessor="masked_id", orderable=False)
    mobile = MobileColumn()  # in full to the county that referred the worker
    vacancy = tables.Column(verbose_name=_("Vacancy"), accessor="vacancy__position", linkify=lambda record: record.vacancy.get_absolute_url())
    enterprise = tables.Column(verbose_name=_("Enterprise"), accessor="vacancy__enterprise__name")
    county = tables.Column(verbose_name=_("Partner county"))
    warning = tables.Column(verbose_name=_("Warning"), orderable=False)

    class Meta:
        model = Candidate
        fields = ("name", "id_number", "mobile", "county", "vacancy", "enterprise", "earliest_travel_date", "travel_mode", "status", "arrived_on", "warning")


class PartnerCountyTable(tables.Table):
    name = tables.Column(linkify=True)
    accounts = tables.Column(verbose_name=_("Accounts"), accessor="account_count")
    referred = tables.Column(verbose_name=_("Referred"), accessor="referred_count")
    arrived = tables.Column(verbose_name=_("Arrived"), accessor="arrived_count")

    class Meta:
        model = PartnerCounty
        fields = ("name", "region_code", "pairing", "contact_mobile", "active", "accounts", "referred", "arrived")
