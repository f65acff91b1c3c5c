"""Demo data for the district core: the places, agencies and pairings from the data file, and one demo
account per role. Idempotent: every row is found by its natural key before it is created."""

import json
from pathlib import Path

from django.db import transaction
from stdnum.cn import ric, uscc

from fuyang_portal.accounts import ensure_account
from fuyang_portal.models import Agency, Community, CommunityGroup, Township, User, Village
from fuyang_portal.roles import Role

DATA_FILE = Path(__file__).resolve().parent / "data" / "district.json"
DEMO_PASSWORD = "Fuyang2020!"
ORG_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_credit_code(serial, region="330183"):
    """A valid unified social credit code for demo firms: 91 + region + a 9-character organisation code."""
    n = serial
    while True:
        body = ""
        value = n
        for _ in range(8):
            value, digit = divmod(value, len(ORG_CODE_ALPHABET))
            body = ORG_CODE_ALPHABET[digit] + body
        for check in ORG_CODE_ALPHABET[:10] + "X":
            candidate = f"91{region}{body}{check}"
            full = candidate + uscc.calc_check_digit(candidate)
            if uscc.is_valid(full):
                return full
        n += 7919


def make_resident_id(serial, region="330183", birth="19900101"):
    """A resident ID with a valid check digit (GB 11643), for demo people only."""
    body = f"{region}{birth}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function expects a placeholder check digit


@transaction.atomic
def load_places():
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    townships = {}
    for row in data["townships"]:
        townships[row["code"]], _ = Township.objects.update_or_create(
            code=row["code"], defaults={k: row[k] for k in ("name", "name_en", "kind", "sort_order")}
        )
    communities = {}
    for row in data["communities"]:
        communities[row["code"]], _ = Community.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "township": townships[row["township"]]}
        )
    for row in data["villages"]:
        Village.objects.update_or_create(code=row["code"], defaults={"name": row["name"], "township": townships[row["township"]]})
    agencies = {}
    for row in data["agencies"]:
        agencies[row["code"]], _ = Agency.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "name_en": row["name_en"], "paired_township": townships[row["paired_township"]]},
        )
    for row in data["community_groups"]:
        CommunityGroup.objects.update_or_create(
            code=row["code"], defaults={"community": communities[row["community"]], "agency": agencies[row["agency"]]}
        )


def demo_user(username, role, full_name, **scope):
    """A staff demo account, opened through the accounts service (by the system administrator, once it exists)."""
    actor = User.objects.filter(username="admin").first()
    return ensure_account(username, role, password=DEMO_PASSWORD, actor=actor, full_name=full_name, **scope)


@transaction.atomic
def load_accounts():
    """The staff demo accounts; the enterprise account comes with the enterprises demo."""
    fuchun = Township.objects.get(name="富春街道")
    lushan = Township.objects.get(name="鹿山街道")
    jingxin = Agency.objects.get(name="区经信局")
    renshe = Agency.objects.get(name="区人力社保局")
    demo_user("admin", Role.DISTRICT, "系统管理员", is_superuser=True, is_staff=True)
    demo_user("district", Role.DISTRICT, "区服务企业办 王主任")
    demo_user("fuchun", Role.TOWNSHIP, "富春街道 李科长", township=fuchun)
    demo_user("lushan", Role.TOWNSHIP, "鹿山街道 陈科长", township=lushan)
    demo_user("jingxin", Role.AGENCY, "区经信局 赵处长", agency=jingxin)
    demo_user("renshe", Role.AGENCY, "区人力社保局 孙处长", agency=renshe)
    demo_user("specialist", Role.SPECIALIST, "服务专员 周敏", agency=jingxin, mobile="13805710001")


def load():
    load_places()
    load_accounts()
