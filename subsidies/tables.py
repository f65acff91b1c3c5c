import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from fuyang_portal.masking import MobileColumn
from subsidies.models import CharterTrip, PayoutBatch, SubsidyClaim, WorkerRegistration


class RegistrationTable(tables.Table):
    personal_data = True  # workers' names, ID numbers and mobiles
    # The card's title on a phone is the worker's (masked) name, not the reference number.
    name = tables.Column(verbose_name=_("Name"), accessor="masked_name", order_by=("name",), linkify=True)
    reference = tables.Column()
    id_number = tables.Column(verbose_name=_("Resident ID number"), accessor="masked_id", orderable=False)
    mobile = MobileColumn()  # in full to the employer that registered the worker
    enterprise = tables.Column(verbose_name=_("Employer"))
    origin = tables.Column(verbose_name=_("Origin"), accessor="origin_display", order_by=("origin_province", "origin_county"))
    status = tables.Column(verbose_name=_("Status"), accessor="status_display", orderable=False)

    class Meta:
        model = WorkerRegistration
        fields = ("name", "reference", "id_number", "mobile", "enterprise", "origin", "return_date", "travel_mode", "health_code", "status")


class TripTable(tables.Table):
    id = tables.Column(verbose_name=_("Trip"), linkify=True)
    # The firm's name leads (the card's title on a phone) and opens the trip.
    enterprise = tables.Column(verbose_name=_("Enterprise"), linkify=lambda record: record.get_absolute_url())
    origin = tables.Column(verbose_name=_("Origin"), accessor="origin_display", order_by=("origin_province", "origin_county"))
    riders = tables.Column(verbose_name=_("Passengers"), accessor="rider_count")
    travelled = tables.Column(verbose_name=_("Travelled"), accessor="travelled_count")
    claim_status = tables.Column(verbose_name=_("Claim"), accessor="claim__status", default="—")

    class Meta:
        model = CharterTrip
        fields = ("enterprise", "id", "origin", "departure_date", "arrival_date", "seats", "riders", "travelled", "status", "claim_status")

    def render_claim_status(self, record):
        return record.claim.get_status_display()


class ClaimTable(tables.Table):
    id = tables.Column(verbose_name=_("Claim"), linkify=True)
    enterprise = tables.Column(verbose_name=_("Enterprise"), linkify=lambda record: record.get_absolute_url())
    township = tables.Column(verbose_name=_("Township"), accessor="enterprise__township__name")
    findings = tables.Column(verbose_name=_("Points to check"), accessor="findings", orderable=False)

    class Meta:
        model = SubsidyClaim
        fields = (
            "enterprise", "id", "township", "departure_date", "plate", "invoice_number", "invoice_amount", "subsidy_amount",
            "approved_amount", "status", "findings",
        )

    def render_findings(self, value):
        return len(value) if value else "—"

    def value_findings(self, value):
        return len(value or [])


class PayoutTable(tables.Table):
    number = tables.Column(linkify=True)
    claims = tables.Column(verbose_name=_("Claims"), accessor="claim_count")
    total = tables.Column(verbose_name=_("Total (yuan)"), accessor="total_amount")

    class Meta:
        model = PayoutBatch
        fields = ("number", "status", "claims", "total", "created_at", "transfer_reference", "paid_at")
