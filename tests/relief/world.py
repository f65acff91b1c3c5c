"""Relief records for one side of the access matrix's world (tests/security/world.py), for the lead to wire in:
``side.objects.update(relief_objects(side.firm, side.owner, district, label))`` and, in API_OBJECTS,
"relief-policies": ("side", "relief_policy"), "relief-eligibility": ("side", "firm"), "relief-awards": ("side",
"relief_award"), "relief-applications": ("side", "relief_application"). Works on the real clock (no end date)."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import Enterprise
from relief import services
from relief.models import Area, Award, Mode, Recovery
from subsidies import services as payouts

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BANK = {"bank": "杭州银行富阳支行", "account_name": "世界企业", "account_number": "6228480012345678"}


def _policy(district, code, mode, documents=()):
    item = services.create_policy(
        district, code=code, title=f"世界政策{code}", issuer="富阳区人民政府", issued_on=date(2020, 2, 8), area=Area.OTHER, mode=mode,
        summary="示例", rule={}, benefit={"fixed": "1000"}, period="2020-02", valid_from=date(2020, 2, 1), valid_until=None,
        budget=Decimal("100000"), documents=list(documents),
    )
    services.publish_policy(item, district, match=False)
    return item


def relief_objects(firm, owner, district, label):
    firms = Enterprise.objects.filter(pk=firm.pk)
    label = "".join(f"{ord(ch):x}" for ch in label)  # a slug for the codes
    auto = _policy(district, f"world-auto-{label}", Mode.AUTO)
    services.match_policy(auto.pk, firms=firms, announce=False)
    award = Award.objects.get(policy=auto, enterprise=firm)
    paid_policy = _policy(district, f"world-paid-{label}", Mode.AUTO)
    services.match_policy(paid_policy.pk, firms=firms, announce=False)
    paid = Award.objects.get(policy=paid_policy, enterprise=firm)
    services.confirm_award(paid, owner, **BANK)
    batch, _held = services.batch_awards(district, [paid])
    payouts.mark_batch_paid(batch, actor=district, transfer_reference=f"WORLD-{label}")
    services.open_recovery(paid, district, "核查不符")
    apply = _policy(district, f"world-apply-{label}", Mode.APPLY, documents=["营业执照"])
    application = services.start_application(owner, apply)
    document = services.attach_document(application, owner, name="营业执照", file=SimpleUploadedFile("营业执照.pdf", PDF, "application/pdf"))
    return {
        "relief_policy": auto, "relief_award": award, "relief_application": application, "relief_document": document,
        "relief_recovery": Recovery.objects.get(award=paid), "relief_batch": batch,
    }
