"""Demo of the relief policies, after the subsidies demo, as it stands on Monday 24 February 2020 at 10:00.

From the report: on 8 February Fuyang published relief for SMEs and individual businesses in ten areas — the
report names four (credit support, job-retention social-insurance subsidies, tax and fee relief, export support
for foreign-trade firms); and the talent package 温情十条. Everything else here is ILLUSTRATIVE and marked so on
each policy (``illustrative``): the other six areas, the titles, every amount, rate, cap and budget, the rules'
thresholds, the date of 温情十条 (12 February) and the ten talent measures' contents. No document number is
invented: they are left empty.

The story, each step by the district office, the firms' own accounts and the township reviewers, on the clock:
8 Feb 10:00 the ten measures are published (those over firms' registry data are matched at once); 12 Feb
温情十条; firms with accounts confirm their awards over the following days (their bank account the first
time); 18 Feb the district office batches the confirmed awards — the budget of the guarantee-fee measure runs
out, and the awards beyond it are held with the reason — and the bank pays them on 20 Feb; 21 Feb 08:00 the
periodic sweep matches the measures for firms resumed before 20 Feb; 24 Feb 08:00 the sweep matches the hiring
measure over the workers registered to return; three firms apply under 申请即享 measures (approved, waiting for
the township, returned); one paid award is found ineligible and is being recovered; a second batch awaits the
bank. Running the demo twice changes nothing.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from enterprises.models import Enterprise
from fuyang_portal import clock
from fuyang_portal.models import User
from fuyang_portal.roles import Role
from relief import services
from relief.models import Area, Award, FirmBankAccount, Mode, Policy
from subsidies import services as payouts

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GOVERNMENT = "富阳区人民政府"
TALENT_OFFICE = "富阳区委人才办"
SME = ["sme", "individual"]
BANKS = ["中国工商银行杭州富阳支行", "中国农业银行富阳支行", "杭州联合农村商业银行富阳支行", "中国银行富阳支行", "浙江富阳农商银行"]
PAID_TRANSFER = "ICBC-FY-20200220-0101"
# The share of awarded firms (with an account) that confirmed in each wave (illustrative; kept small so the demo
# loads in seconds): the rest are the specialists' nudge list.
CONFIRM_SHARE = {"early": 0.03, "later": 0.015}
RESUMED_BY_20 = {"fact": "resumed_on", "op": "before", "value": "2020-02-20"}


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# (code, title, area, mode, summary, rule, benefit, budget, documents, matched: "publish" | "sweep-21" | "sweep-24")
# The ten measures of 8 February (意见：支持中小微企业和个体工商户共渡难关). The first four areas are the report's.
MEASURES = [
    ("sme-credit-interest", "中小微企业新增贷款贴息", Area.CREDIT, Mode.APPLY,
     "疫情期间新增流动资金贷款，按付息额给予贴息，每户最高1万元。", {"fact": "scale", "op": "in", "value": SME},
     {"fixed": "10000"}, "5000000", ["贷款合同", "付息凭证"], None),
    ("sme-job-retention", "稳岗返还：社会保险费补贴", Area.SOCIAL_INSURANCE, Mode.AUTO,
     "2月20日前复工的中小微企业和个体工商户，按在册员工每人300元补贴社会保险费，每户最高5万元，免申即享。",
     {"all": [{"fact": "scale", "op": "in", "value": SME}, RESUMED_BY_20]},
     {"base": "registered_headcount", "rate": "300", "cap": "50000"}, "60000000", [], "sweep-21"),
    ("sme-tax-relief", "个体工商户定额税费减免", Area.TAX_FEES, Mode.AUTO,
     "个体工商户2月份定额税费全额减免，按1500元/户直接返还，免申即享。", {"fact": "scale", "op": "eq", "value": "individual"},
     {"fixed": "1500"}, "1500000", [], "publish"),
    ("sme-export", "外贸企业出口信用保险保费补助", Area.EXPORT, Mode.AUTO,
     "外贸企业一季度出口信用保险保费补助：5000元加在册员工每人100元，每户最高3万元，免申即享。",
     {"all": [{"fact": "tags", "op": "has_any", "value": ["exporter"]}, {"fact": "scale", "op": "ne", "value": "individual"}]},
     {"fixed": "5000", "base": "registered_headcount", "rate": "100", "cap": "30000"}, "12000000", [], "publish"),
    ("sme-rent", "国有物业租户房租减免", Area.RENT, Mode.APPLY,
     "租用区属国有企业经营性物业的中小微企业和个体工商户，免收1个月房租（按6000元/户计）。",
     {"fact": "scale", "op": "in", "value": SME}, {"fixed": "6000"}, "3000000", ["租赁合同", "房租缴纳凭证"], None),
    ("sme-utilities", "复工企业水电气费用补助", Area.UTILITIES, Mode.AUTO,
     "2月20日前复工的中小微制造企业，补助2月份水电气费用2000元，免申即享。",
     {"all": [{"fact": "scale", "op": "eq", "value": "sme"}, {"fact": "industry", "op": "eq", "value": "C"}, RESUMED_BY_20]},
     {"fixed": "2000"}, "4000000", [], "sweep-21"),
    ("sme-prevention", "防疫物资采购补助", Area.PREVENTION, Mode.APPLY,
     "已复工企业采购口罩、测温仪、消毒用品，按发票金额补助，每户3000元。", {"fact": "resumed_on", "op": "set"},
     {"fixed": "3000"}, "6000000", ["采购发票", "物资清单"], None),
    ("sme-hiring", "招工返岗补助", Area.EMPLOYMENT, Mode.AUTO,
     "通过“来富工作一点通”登记返岗的员工，每人补助企业200元，每户最高2万元，免申即享。",
     {"fact": "registered_workers", "op": "gte", "value": 1}, {"base": "registered_workers", "rate": "200", "cap": "20000"},
     "2000000", [], "sweep-24"),
    ("sme-guarantee-fee", "政策性融资担保费减半", Area.CREDIT, Mode.AUTO,
     "在册员工50人以上的中小企业，政策性融资担保费减半，按3000元/户返还，免申即享（额度有限，用完即止）。",
     {"all": [{"fact": "scale", "op": "eq", "value": "sme"}, {"fact": "registered_headcount", "op": "gte", "value": 50}]},
     {"fixed": "3000"}, "30000", [], "publish"),
    ("sme-property-tax", "房产税、城镇土地使用税减免", Area.TAX_FEES, Mode.APPLY,
     "生产经营困难的中小企业，一季度房产税、城镇土地使用税按在册员工每人50元核减，每户最高2万元。",
     {"fact": "scale", "op": "eq", "value": "sme"}, {"base": "registered_headcount", "rate": "50", "cap": "20000"}, "5000000",
     ["纳税申报表", "房产权属证明"], None),
]

TALENT = {"fact": "tags", "op": "has_any", "value": ["key-talent"]}
# 温情十条: the talent package (all ten contents illustrative).
TALENT_MEASURES = [
    ("talent-travel", "人才返富交通补贴", Mode.AUTO, "重点人才企业员工返富交通补贴：按登记返岗人数每人300元，每户最高3万元。",
     {"all": [TALENT, {"fact": "registered_workers", "op": "gte", "value": 1}]}, {"base": "registered_workers", "rate": "300", "cap": "30000"},
     "600000", [], "sweep-24"),
    ("talent-rent", "人才租房补贴", Mode.APPLY, "重点人才企业新引进人才租房补贴，每户5000元。", TALENT, {"fixed": "5000"}, "500000",
     ["租房合同", "人才认定证明"], None),
    ("talent-living", "新引进人才生活补贴", Mode.APPLY, "疫情期间到岗的新引进人才生活补贴，每户1万元。",
     {"any": [TALENT, {"fact": "tags", "op": "has_any", "value": ["phoenix"]}]}, {"fixed": "10000"}, "1000000", ["劳动合同", "学历证书"], None),
    ("talent-health", "人才健康体检补助", Mode.AUTO, "重点人才企业员工免费健康体检，按在册员工每人20元补助企业，每户最高1万元。",
     TALENT, {"base": "registered_headcount", "rate": "20", "cap": "10000"}, "800000", [], "publish"),
    ("talent-phoenix", "凤凰计划企业人才奖励", Mode.AUTO, "“凤凰计划”企业稳定人才队伍奖励5万元/户。",
     {"fact": "tags", "op": "has_any", "value": ["phoenix"]}, {"fixed": "50000"}, "1200000", [], "publish"),
    ("talent-care", "高层次人才防疫慰问", Mode.AUTO, "重点人才企业高层次人才防疫慰问金2000元/户。", TALENT, {"fixed": "2000"}, "200000", [], "publish"),
    ("talent-apartment", "人才公寓租金减免", Mode.APPLY, "入住人才公寓的人才免收3个月租金（按3000元/户计）。", TALENT, {"fixed": "3000"},
     "300000", ["入住申请表"], None),
    ("talent-agency-fee", "企业引才中介费补贴", Mode.APPLY, "企业通过中介机构引进紧缺人才，补贴中介费5000元/户。",
     {"fact": "scale", "op": "in", "value": ["sme", "above_scale"]}, {"fixed": "5000"}, "1000000", ["中介服务合同", "付款凭证"], None),
    ("talent-training", "人才线上培训补贴", Mode.APPLY, "员工20人以上企业组织线上技能培训，按在册员工每人50元补贴，每户最高2万元。",
     {"fact": "registered_headcount", "op": "gte", "value": 20}, {"base": "registered_headcount", "rate": "50", "cap": "20000"}, "3000000",
     ["培训计划", "培训费用发票"], None),
    ("talent-stay", "留富人才稳岗红包", Mode.AUTO, "重点人才企业留富过年员工稳岗红包，按在册员工每人50元，每户最高2万元。",
     TALENT, {"base": "registered_headcount", "rate": "50", "cap": "20000"}, "1500000", [], "publish"),
]


def _firm_accounts(firm_ids):
    """{firm id: its first active account} for the given firms (one query)."""
    found = {}
    for user in User.objects.filter(role=Role.ENTERPRISE, is_active=True, firm_account__enterprise_id__in=firm_ids).select_related(
        "firm_account"
    ).order_by("pk"):
        found.setdefault(user.firm_account.enterprise_id, user)
    return found


def _township_reviewer(township_id):
    return User.objects.filter(role=Role.TOWNSHIP, township_id=township_id, is_active=True).order_by("pk").first()


def _publish(district, items, moment):
    created = {}
    for code, title, area, mode, summary, rule, benefit, budget, documents, matched in items:
        with clock.at(moment):
            policy = services.create_policy(
                district, code=code, title=title, issuer=GOVERNMENT if not code.startswith("talent") else TALENT_OFFICE,
                issued_on=moment.date(), area=area, mode=mode, illustrative=True, summary=summary, rule=rule, benefit=benefit,
                period="2020-02", valid_from=moment.date(), valid_until=None, budget=Decimal(budget), documents=documents,
            )
        with clock.at(moment + timedelta(minutes=30)):
            services.publish_policy(policy, district, match=False)  # matched below, on the story's clock
        if matched == "publish":
            with clock.at(moment + timedelta(minutes=31)):
                services.match_policy(policy.pk, announce=False)  # the queued task's work, right after the publication
        created[code] = policy
    return created


def _confirm(awards, accounts, rng, moment):
    """The firms that have an account confirm their awards (their bank account the first time)."""
    done = []
    for n, award in enumerate(awards):
        user = accounts.get(award.enterprise_id)
        if user is None:
            continue
        with clock.at(moment + timedelta(minutes=7 * n)):
            known = FirmBankAccount.objects.filter(enterprise_id=award.enterprise_id).exists()
            bank = {} if known else {
                "bank": rng.choice(BANKS), "account_name": award.enterprise.name, "account_number": f"62284800{award.enterprise_id:010d}",
            }
            services.confirm_award(award, user, **bank)
        done.append(award)
    return done


def _apply(user, policy, moment, note=""):
    with clock.at(moment):
        application = services.start_application(user, policy, note=note)
        for name in policy.current_version.documents:
            services.attach_document(application, user, name=name, file=ContentFile(PDF, name=f"{name}.pdf"))
    with clock.at(moment + timedelta(minutes=20)):
        services.submit_application(application, user)
    return application


@transaction.atomic
def load():
    if Policy.objects.filter(code="sme-job-retention").exists():
        return
    district = User.objects.get(username="district")
    rng = random.Random(2020_02_08)
    policies = _publish(district, MEASURES, at(date(2020, 2, 8), 10))
    policies.update(_publish(district, [(c, t, Area.TALENT, m, s, r, b, bu, d, x) for c, t, m, s, r, b, bu, d, x in TALENT_MEASURES],
                             at(date(2020, 2, 12), 10)))

    # Firms with accounts confirm the awards matched at publication, over the next days.
    early = list(Award.objects.filter(status=Award.Status.PENDING).select_related("enterprise", "policy").order_by("pk"))
    accounts = _firm_accounts({a.enterprise_id for a in early})
    confirmed = _confirm([a for a in early if rng.random() < CONFIRM_SHARE["early"]], accounts, rng, at(date(2020, 2, 13), 9))

    # 18 Feb: the district office batches what is confirmed; the guarantee-fee budget (30,000) runs out and the
    # awards beyond it are held, each with the reason. The bank pays on 20 Feb.
    with clock.at(at(date(2020, 2, 18), 15)):
        paid_batch, _held = services.batch_awards(district, confirmed)
    with clock.at(at(date(2020, 2, 20), 10)):
        payouts.mark_batch_paid(paid_batch, actor=district, transfer_reference=PAID_TRANSFER)

    # 21 Feb 08:00: the periodic sweep (relief.tasks.match_all_policies) matches the measures over resumption.
    with clock.at(at(date(2020, 2, 21), 8)):
        for code in ("sme-job-retention", "sme-utilities"):
            services.match_policy(policies[code].pk, announce=False)
    later = list(
        Award.objects.filter(status=Award.Status.PENDING, policy__code__in=["sme-job-retention", "sme-utilities"])
        .select_related("enterprise", "policy").order_by("pk")
    )
    accounts.update(_firm_accounts({a.enterprise_id for a in later} - set(accounts)))
    confirmed_later = _confirm([a for a in later if rng.random() < CONFIRM_SHARE["later"]], accounts, rng, at(date(2020, 2, 21), 10))

    # 24 Feb 08:00: the sweep matches the hiring measures over the workers registered to return.
    with clock.at(at(date(2020, 2, 24), 8)):
        for code in ("sme-hiring", "talent-travel"):
            services.match_policy(policies[code].pk, announce=False)

    # 申请即享: three SMEs with accounts apply; one is approved, one waits for its township, one was returned.
    applicants = list(
        Enterprise.objects.filter(scale="sme", accounts__isnull=False).filter(
            Exists(Award.objects.filter(enterprise=OuterRef("pk"), policy__code="sme-job-retention"))
        ).select_related("township").distinct().order_by("pk")[:3]
    )
    users = _firm_accounts([f.pk for f in applicants])
    steps = [("sme-rent", "approved"), ("sme-prevention", "submitted"), ("sme-credit-interest", "returned")]
    for firm, (code, state) in zip(applicants, steps):
        application = _apply(users[firm.pk], policies[code], at(date(2020, 2, 19), 14), note="疫情期间经营困难，申请享受政策。")
        if state == "submitted":
            continue
        reviewer = _township_reviewer(firm.township_id) or district
        with clock.at(at(date(2020, 2, 20), 10)):
            if state == "returned":
                services.township_return(application, reviewer, "付息凭证不清晰，请重新上传加盖银行印章的付息凭证。")
                continue
            services.township_approve(application, reviewer, "材料齐全，租赁合同与国有物业台账一致。")
        with clock.at(at(date(2020, 2, 21), 15)):
            services.district_approve(application, district, "同意。")

    # A paid award found ineligible: an individual business that had closed in January.
    wrong = Award.objects.filter(status=Award.Status.PAID, policy__code="sme-tax-relief").order_by("pk").first()
    if wrong is not None:
        with clock.at(at(date(2020, 2, 22), 11)):
            services.open_recovery(wrong, district, "核查发现该个体工商户1月已停业，不符合减免条件，退回已拨付资金。")

    # Monday 09:00: the awards confirmed since Friday go into a batch that awaits the bank.
    waiting = [a for a in confirmed_later if a.policy.code != "sme-guarantee-fee"]
    approved = Award.objects.filter(application__isnull=False, status=Award.Status.CONFIRMED)
    if waiting or approved.exists():
        with clock.at(at(date(2020, 2, 24), 9)):
            services.batch_awards(district, waiting + list(approved))
