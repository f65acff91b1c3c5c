"""Demo data for the district core: the places, agencies and pairings from the data file, and one demo
account per role. Idempotent: every row is found by its natural key before it is created."""

import hashlib
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from stdnum.cn import ric, uscc

from fuyang_portal import clock
from fuyang_portal.accounts import ensure_account
from fuyang_portal.models import Agency, Community, CommunityGroup, Township, User, Village
from fuyang_portal.roles import Role

DATA_FILE = Path(__file__).resolve().parent / "data" / "district.json"
DEMO_PASSWORD = "Fuyang2020!"
FUYANG = "330111"  # 富阳区 (the code of the district since 2015; 330183 was the county-level city)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: digits and capitals without I, O, S, V, Z
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check(body):
    """The check character of an 8-character organisation code (GB 11714): 0-9 or X."""
    total = sum(int(char, 36) * weight for char, weight in zip(body, ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_credit_code(serial, region=FUYANG, entity="1"):
    """A valid unified social credit code (GB 32100) for a demo firm, distinct for each serial: registration
    authority 9 (market regulation), ``entity`` 1 for a company or 2 for an individual business, the region, an
    organisation code with its GB 11714 check character, then the check character of the whole.

    One firm in three has an older numeric organisation code; the others one of the MA… codes given since 2015."""
    if serial % 3 == 0:
        body = f"7{serial * 7919 % 10**7:07d}"
    else:
        value, body = (serial * 15485863 + 104729) % len(USCC_ALPHABET) ** 5, ""
        for _ in range(5):
            value, digit = divmod(value, len(USCC_ALPHABET))
            body = USCC_ALPHABET[digit] + body
        body = "MA2" + body
    code = f"9{entity}{region}{body}{org_code_check(body)}"
    return code + uscc.calc_check_digit(code)


# Mainland mobile prefixes of the three carriers, those of Hangzhou's everyday numbers weighted up.
MOBILE_PREFIXES = {
    "134": 2, "135": 4, "136": 4, "137": 4, "138": 5, "139": 5, "147": 1, "150": 3, "151": 3, "152": 2, "157": 2,
    "158": 4, "159": 4, "178": 1, "182": 2, "183": 2, "184": 1, "187": 3, "188": 3, "198": 1,  # China Mobile
    "130": 2, "131": 2, "132": 2, "155": 2, "156": 2, "166": 1, "175": 1, "176": 2, "185": 2, "186": 3,  # China Unicom
    "133": 2, "153": 2, "173": 1, "177": 2, "180": 2, "181": 2, "189": 3, "199": 1,  # China Telecom
}


def make_mobile(rng):
    """A mainland mobile number with a real carrier prefix."""
    prefix = rng.choices(list(MOBILE_PREFIXES), weights=list(MOBILE_PREFIXES.values()))[0]
    return f"{prefix}{rng.randrange(10**8):08d}"


# Common surnames, roughly by frequency in Zhejiang, and given-name characters by usage, for men and women.
SURNAMES = {
    "王": 14, "李": 10, "张": 10, "陈": 12, "刘": 7, "杨": 5, "黄": 5, "赵": 4, "吴": 6, "周": 6, "徐": 6, "孙": 3,
    "朱": 4, "胡": 4, "郭": 2, "何": 3, "高": 2, "林": 3, "罗": 2, "郑": 3, "梁": 1, "谢": 2, "宋": 2, "唐": 2,
    "许": 3, "韩": 1, "冯": 2, "邓": 1, "曹": 2, "彭": 1, "曾": 1, "蒋": 3, "蔡": 2, "潘": 2, "袁": 1, "章": 3,
    "方": 3, "俞": 3, "钱": 2, "沈": 3, "叶": 3, "汪": 2, "金": 2, "姚": 2, "盛": 1, "孔": 1, "骆": 1, "裘": 1,
}
GIVEN_NAMES = {
    "m": "伟强磊军洋勇杰涛明超刚平辉鹏华飞斌波建国文俊峰志海东宇浩凯健林晨亮成康荣新忠祥卫兵旭",
    "f": "芳娜敏静丽艳秀娟霞燕玲桂英红梅婷雪琳颖慧萍莉晶佳丹琴蓉倩洁云凤",
}


def make_person_name(rng):
    """A real-looking Chinese name: a common surname and a one- or two-character given name of one gender."""
    surname = rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
    given = GIVEN_NAMES[rng.choice("mf")]
    first = rng.choice(given)
    if rng.random() < 0.25:
        return surname + first
    second = rng.choice(given)
    while second == first:
        second = rng.choice(given)
    return surname + first + second


def make_invoice_number(serial):
    """The 8-digit number of a VAT invoice (the 12-digit invoice code of a Zhejiang invoice, 0 3300 YY…, is
    printed beside it), distinct for each serial."""
    return f"{(serial * 7368787 + 3170245) % 10**8:08d}"


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
    demo_user("admin", Role.DISTRICT, "安装管理员（仅用于安装）", is_superuser=True, is_staff=True)
    demo_user("district", Role.DISTRICT, "区服务企业办 王主任")
    demo_user("fuchun", Role.TOWNSHIP, "富春街道 李科长", township=fuchun)
    demo_user("lushan", Role.TOWNSHIP, "鹿山街道 陈科长", township=lushan)
    demo_user("jingxin", Role.AGENCY, "区经信局 赵处长", agency=jingxin)
    demo_user("renshe", Role.AGENCY, "区人力社保局 孙处长", agency=renshe)
    demo_user("specialist", Role.SPECIALIST, "服务专员 周敏", agency=jingxin, mobile="13805710001")
    # The three administrators, separated (fuyang_portal/duties.py).
    demo_user("sysadmin", Role.SYSADMIN, "系统管理员 钱工")
    demo_user("secadmin", Role.SECADMIN, "安全管理员 吴工")
    demo_user("auditor", Role.AUDITOR, "安全审计员 郑工")


def township_account(township, actor, password=DEMO_PASSWORD):
    """The township's first active staff account, or ``review-<code>`` opened by ``actor`` (the district office)."""
    return User.objects.filter(role=Role.TOWNSHIP, township=township, is_active=True).order_by("pk").first() or ensure_account(
        f"review-{township.code}", Role.TOWNSHIP, password=password, actor=actor, full_name=f"{township.name} 复工专班", township=township
    )


# The demo's second-factor devices: keys derived from the user name, so the README's demo works and the keys can
# be printed; real accounts enrol their own random key at their first sign-in.
DEMO_DEVICE = "demo"


def demo_totp_key(username):
    return hashlib.sha1(f"fuyang-demo-second-factor:{username}".encode()).hexdigest()


def enrol_demo_devices():
    """Every demo account that signs in with a second factor gets its demo device; returns (user name, key)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fuyang_portal.second_factor import base32_key, required

    enrolled = []
    for user in User.objects.filter(username__in=["admin", "district", "sysadmin", "secadmin", "auditor"]).order_by("pk"):
        if not required(user):
            continue
        device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEMO_DEVICE, key=demo_totp_key(user.username), confirmed=True)
        enrolled.append((user.username, base32_key(device)))
    return enrolled


# The district office's and the townships' accounts were opened before the story's first week.
ACCOUNTS_OPENED = datetime(2020, 1, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def load():
    load_places()
    with clock.at(ACCOUNTS_OPENED):
        load_accounts()
    enrol_demo_devices()
