"""The district at scale: a seeded generator of firms, specialists, visits, problems, passes, registrations
and claims, in the proportions of a district ten times Fuyang's size (issue 8).

Every row goes through the apps' own models and valid codes (credit codes, resident IDs, plates); rows are
written with ``bulk_create`` in large batches, a chunk of firms at a time, so memory stays flat. The same
seed gives the same rows (except Fernet ciphertexts, whose IV is random by design).

Per 100,000 firms: 900 specialists (each firm assigned to one who serves its township), 800,000 visits and
200,000 problems over the 8 contest weeks from Monday 3 February 2020 (every problem state), 200,000 passes
(one vehicle, one employee per firm; every pass state), 100,000 resumption requests, 200,000 headcount
reports, 50,000 worker-return registrations and 2,000 charter trips with their subsidy claims (every state); for
the apps built on them, 10,000 vacancies (every state), a work list for each township and village (about 4,000
items) and one relief policy paid without application, published and matched by its own service (an award to every
firm above the individual scale).
"""

import io
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from enterprises.models import DailyReport, Enterprise, Industry, Pass, PassKind, PassStatus, ResumptionRequest, ResumptionStatus, Scale
from fuyang_portal.demo import make_credit_code, make_resident_id
from fuyang_portal.identity import lookup_hash
from fuyang_portal.models import Agency, Community, Township, User, Village
from fuyang_portal.roles import Role
from specialists.models import Assignment, Category, Problem, ServiceDomain, Specialist, Visit
from subsidies import regions
from subsidies.models import CharterTrip, HealthCode, PayoutBatch, PayoutItem, SubsidyClaim, SubsidyPolicy, TravelMode, WorkerRegistration

FIRST_MONDAY = date(2020, 2, 3)
WEEKS = 8
SPECIALIST_PREFIX = "scale-sp-"
CREDIT_SERIAL_BASE = 20_000_000
BATCH = 5000
FIRM_CHUNK = 5000

# Rows per firm (the issue's figures divided by 100,000 firms).
PER_FIRM = {
    "specialists": 0.009,
    "visits": 8,
    "problems": 2,
    "passes": 2,
    "registrations": 0.5,
    "claims": 0.02,
    "vacancies": 0.1,
}
# Each township and village keeps a work list of this many items (programmes).
WORK_ITEMS = {"township": 40, "village": 12}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉婷雪梅琳晶欣建国文斌宇浩凯健俊帆"
WORDS = "恒达鑫源华盛宏远永泰新丰金鼎瑞祥富春江南天成裕隆东方兴旺昌盛宝利嘉禾联创中盈佳信润泽高远博雅"
COMPANY_KINDS = {
    Scale.ABOVE_SCALE: ["纸业有限公司", "机械制造有限公司", "光纤科技有限公司", "新材料股份有限公司", "电器有限公司"],
    Scale.SME: ["贸易有限公司", "五金厂", "包装有限公司", "服饰有限公司", "建材有限公司", "科技有限公司", "竹木制品厂"],
    Scale.INDIVIDUAL: ["便利店", "小吃店", "农家乐", "五金店", "修车铺", "理发店", "水果店"],
}
SCALE_WEIGHTS = [(Scale.ABOVE_SCALE, 6), (Scale.SME, 54), (Scale.INDIVIDUAL, 40)]
PROBLEM_STATES = [
    (Problem.Status.RAISED, 9),
    (Problem.Status.TOWNSHIP, 3),
    (Problem.Status.RESOLVED, 23),
    (Problem.Status.ESCALATED, 5),
    (Problem.Status.RETURNED, 1),
    (Problem.Status.ASSIGNED, 8),
    (Problem.Status.ACCEPTED, 8),
    (Problem.Status.ANSWERED, 9),
    (Problem.Status.CONFIRMED, 32),
    (Problem.Status.DECLINED, 1),
    (Problem.Status.MERGED, 1),
]
PASS_STATES = [(PassStatus.PENDING, 10), (PassStatus.ISSUED, 70), (PassStatus.REVOKED, 8), (PassStatus.EXPIRED, 12)]
RESUMPTION_STATES = [
    (ResumptionStatus.APPROVED, 80),
    (ResumptionStatus.SUBMITTED, 7),
    (ResumptionStatus.RESUBMITTED, 4),
    (ResumptionStatus.RETURNED, 4),
    (ResumptionStatus.DRAFT, 5),
]
CLAIM_STATES = list(SubsidyClaim.Status)
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _copy_text(value):
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(model, rows):
    """Write ``rows`` (unsaved instances) with PostgreSQL's COPY, through each field's own preparation
    (defaults, encryption): several times faster than INSERT for hundreds of thousands of rows."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    buffer = io.StringIO()
    for row in rows:
        values = (_copy_text(field.get_db_prep_save(field.pre_save(row, True), connection)) for field in fields)
        buffer.write("\t".join(values) + "\n")
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN", buffer)


def scaled(name, firms):
    """How many rows of ``name`` go with ``firms`` firms (at least one)."""
    return max(1, round(PER_FIRM[name] * firms))


def _weighted(rng, pairs):
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)

    def add(self, name, n, seconds):
        self.counts[name] = self.counts.get(name, 0) + n
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


class Generator:
    def __init__(self, firms, seed=2020, out=None, prefix=SPECIALIST_PREFIX, townships=None):
        """``prefix`` names the generated specialists' accounts; a second run into the same database needs
        another one (the tests grow a district in two steps). ``townships`` (codes) limits the firms to a
        few townships, so a small test district is dense."""
        self.firms = firms
        self.township_codes = townships
        self.prefix = prefix
        self.rng = random.Random(seed)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.out = out or (lambda message: None)
        self.report = Report()
        # Serials continue after rows already present, so a second run keeps codes and IDs unique.
        self.person_serial = Pass.objects.count() + WorkerRegistration.objects.count()
        self.registration_serial = WorkerRegistration.objects.count()
        self.claim_serial = SubsidyClaim.objects.count()

    # -- helpers ---------------------------------------------------------------------------------------
    def moment(self, day, hour_from=8, hour_to=19):
        seconds = self.rng.randrange(hour_from * 3600, hour_to * 3600)
        return datetime.combine(day, dtime.min, tzinfo=self.tz) + timedelta(seconds=seconds)

    def day_in(self, week):
        return FIRST_MONDAY + timedelta(weeks=week, days=self.rng.randrange(7))

    def person_name(self):
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def mobile(self):
        return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"

    def resident_id(self):
        """A distinct valid resident ID per person: the birth date advances every 1,000 people."""
        n = self.person_serial
        self.person_serial += 1
        birth = date(1960, 1, 1) + timedelta(days=n // 1000)
        return make_resident_id(n, "330183", birth.strftime("%Y%m%d"))

    def save(self, model, rows, label=None, copy=False):
        """``bulk_create`` in batches; with ``copy`` on PostgreSQL, COPY (for the big tables whose keys are
        not needed afterwards)."""
        started = time.perf_counter()
        if copy and connection.vendor == "postgresql":
            copy_rows(model, rows)
        else:
            model.objects.bulk_create(rows, batch_size=BATCH)
        self.report.add(label or model._meta.label, len(rows), time.perf_counter() - started)

    # -- the run ---------------------------------------------------------------------------------------
    def run(self):
        with transaction.atomic():
            self.load_places()
            self.make_firms()
            self.make_specialists()
            firm_rows = list(Enterprise.objects.filter(pk__in=self.firm_ids).values_list("pk", "township_id").order_by("pk"))
            for start in range(0, len(firm_rows), FIRM_CHUNK):
                chunk = firm_rows[start : start + FIRM_CHUNK]
                self.make_assignments_visits_problems(chunk)
                self.make_resumption(chunk)
                self.make_passes(chunk)
                self.out(f"  firms {start + len(chunk):,}/{len(firm_rows):,}")
            self.merge_duplicates()
            self.make_registrations(firm_rows)
            self.make_claims(firm_rows)
            self.make_vacancies(firm_rows)
            self.make_work_lists()
            self.make_relief()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # As autovacuum leaves a table in service: statistics, and the visibility map that lets a count
                # read the index alone. VACUUM cannot run inside a transaction (the tests run in one).
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        return self.report

    def load_places(self):
        townships = Township.objects.order_by("sort_order", "code")
        if self.township_codes:
            townships = townships.filter(code__in=self.township_codes)
        self.townships = list(townships)
        if not self.townships:
            raise RuntimeError("No townships: run fuyang_portal.demo.load_places() first.")
        self.villages = {}
        for village in Village.objects.order_by("code"):
            self.villages.setdefault(village.township_id, []).append(village.pk)
        self.communities = {}
        for community in Community.objects.order_by("code"):
            self.communities.setdefault(community.township_id, []).append(community.pk)
        self.agencies = list(Agency.objects.order_by("code").values_list("pk", flat=True))
        self.domains = list(ServiceDomain.objects.order_by("code").values_list("pk", flat=True))
        # Townships weighted by their villages, so the big ones hold more firms.
        self.township_weights = [len(self.villages.get(t.pk, [])) + len(self.communities.get(t.pk, [])) + 2 for t in self.townships]

    def make_firms(self):
        existing = set(Enterprise.objects.values_list("credit_code", flat=True))
        rows = []
        serial = CREDIT_SERIAL_BASE
        started = time.perf_counter()
        for _ in range(self.firms):
            code = make_credit_code(serial)
            while code in existing:
                serial += 1
                code = make_credit_code(serial)
            existing.add(code)
            serial += 1
            township = self.rng.choices(self.townships, weights=self.township_weights)[0]
            scale = _weighted(self.rng, SCALE_WEIGHTS)
            village = community = None
            where = self.rng.random()
            if where < 0.6 and self.villages.get(township.pk):
                village = self.rng.choice(self.villages[township.pk])
            elif where < 0.95 and self.communities.get(township.pk):
                community = self.rng.choice(self.communities[township.pk])
            word = self.rng.choice(WORDS) + self.rng.choice(WORDS)
            rows.append(
                Enterprise(
                    name=f"{township.name[:2]}{word}{self.rng.choice(COMPANY_KINDS[scale])}",
                    credit_code=code,
                    township_id=township.pk,
                    village_id=village,
                    community_id=community,
                    address=f"{township.name}{self.rng.randrange(1, 999)}号",
                    industry=self.rng.choice(list(Industry)) if scale != Scale.ABOVE_SCALE else Industry.C,
                    scale=scale,
                    legal_representative=self.person_name(),
                    contact_mobile=self.mobile(),
                    registered_headcount=self.headcount(scale),
                )
            )
        prepared = time.perf_counter() - started
        self.save(Enterprise, rows)
        self.report.seconds[Enterprise._meta.label] += prepared
        self.firm_ids = [firm.pk for firm in rows]

    def headcount(self, scale):
        if scale == Scale.ABOVE_SCALE:
            return self.rng.randrange(50, 800)
        if scale == Scale.SME:
            return self.rng.randrange(5, 60)
        return self.rng.randrange(1, 6)

    def make_specialists(self):
        count = scaled("specialists", self.firms)
        taken = set(User.objects.filter(username__startswith=self.prefix).values_list("username", flat=True))
        users = []
        for n in range(count):
            username = f"{self.prefix}{n:05d}"
            if username in taken:
                raise RuntimeError("Scale data already present: use a fresh database.")
            users.append(
                User(
                    username=username,
                    role=Role.SPECIALIST,
                    agency_id=self.rng.choice(self.agencies),
                    full_name=f"服务专员 {self.person_name()}",
                    mobile=self.mobile(),
                    password="!" + f"{self.rng.getrandbits(128):032x}",  # unusable: no sign-in for generated staff
                )
            )
        self.save(User, users, "fuyang_portal.User (specialists)")
        specialists = [
            Specialist(user_id=user.pk, agency_id=user.agency_id, published_mobile=user.mobile, created_at=self.moment(FIRST_MONDAY))
            for user in users
        ]
        self.save(Specialist, specialists)
        # Each specialist serves one township (round robin, so every township has some) and 1 to 3 domains.
        self.by_township = {}
        served, skills = [], []
        for n, specialist in enumerate(specialists):
            township = self.townships[n % len(self.townships)]
            self.by_township.setdefault(township.pk, []).append((specialist.pk, specialist.user_id))
            served.append(Specialist.townships.through(specialist_id=specialist.pk, township_id=township.pk))
            for domain in self.rng.sample(self.domains, k=min(len(self.domains), self.rng.randrange(1, 4))):
                skills.append(Specialist.domains.through(specialist_id=specialist.pk, servicedomain_id=domain))
        self.save(Specialist.townships.through, served, "specialists.Specialist_townships")
        self.save(Specialist.domains.through, skills, "specialists.Specialist_domains")
        self.any_specialists = [pair for pairs in self.by_township.values() for pair in pairs]

    def specialist_for(self, township_id):
        return self.rng.choice(self.by_township.get(township_id) or self.any_specialists)

    def make_assignments_visits_problems(self, chunk):
        assignments, visits, problems = [], [], []
        visits_each, problems_each = PER_FIRM["visits"], PER_FIRM["problems"]
        for firm_id, township_id in chunk:
            specialist_id, user_id = self.specialist_for(township_id)
            assignments.append(
                Assignment(specialist_id=specialist_id, enterprise_id=firm_id, starts_on=FIRST_MONDAY, created_at=self.moment(FIRST_MONDAY))
            )
            for week in range(visits_each):
                day = self.day_in(week % WEEKS)
                visits.append(
                    Visit(
                        specialist_id=specialist_id,
                        enterprise_id=firm_id,
                        visited_on=day,
                        mode=self.rng.choice(list(Visit.Mode)),
                        checked_dual_plan=self.rng.random() < 0.8,
                        checked_supplies=self.rng.random() < 0.7,
                        checked_staff=self.rng.random() < 0.7,
                        checked_production=self.rng.random() < 0.6,
                        notes="走访企业，了解复工复产情况。",
                        created_at=self.moment(day),
                    )
                )
            for _ in range(problems_each):
                problems.append(self.problem(firm_id, specialist_id, user_id))
        self.save(Assignment, assignments)
        self.save(Visit, visits, copy=True)
        self.save(Problem, problems, copy=True)

    def problem(self, firm_id, specialist_id, user_id):
        S = Problem.Status
        status = _weighted(self.rng, PROBLEM_STATES)
        raised_day = self.day_in(self.rng.randrange(WEEKS))
        raised_at = self.moment(raised_day)
        problem = Problem(
            enterprise_id=firm_id,
            specialist_id=specialist_id,
            raised_by_id=user_id,
            raised_at=raised_at,
            category=self.rng.choice(list(Category)),
            description="企业反映：原材料供应紧张，请协调解决。",
            status=status,
        )
        step = timedelta(hours=self.rng.randrange(2, 60))
        via_agency = status in (S.ESCALATED, S.ASSIGNED, S.ACCEPTED, S.ANSWERED) or (status == S.CONFIRMED and self.rng.random() < 0.4)
        if status in (S.RESOLVED,) or (status == S.CONFIRMED and not via_agency):
            problem.resolution = "专员已协调解决。"
            problem.resolved_at = raised_at + step
            problem.on_time = True
        if via_agency:
            problem.escalation_note = "需部门协调。"
            problem.escalated_at = raised_at + step
        if via_agency and status != S.ESCALATED:
            problem.agency_id = self.rng.choice(self.agencies)
            problem.assigned_at = problem.escalated_at + step
            problem.deadline = (problem.assigned_at + timedelta(days=7)).date()
        if via_agency and status in (S.ACCEPTED, S.ANSWERED, S.CONFIRMED):
            problem.accepted_at = problem.assigned_at + step
        if via_agency and status in (S.ANSWERED, S.CONFIRMED):
            problem.answered_at = problem.accepted_at + step
            problem.answer = "已按政策办理。"
            problem.on_time = problem.answered_at.date() <= problem.deadline
        if status == S.ACCEPTED:
            problem.overdue = self.rng.random() < 0.2
        if status == S.TOWNSHIP:
            problem.referred_at = raised_at + step
            problem.deadline = (problem.referred_at + timedelta(days=5)).date()
        if status == S.RETURNED:
            problem.escalated_at = raised_at + step
            problem.agency_id = self.rng.choice(self.agencies)
            problem.assigned_at = problem.first_assigned_at = problem.escalated_at + step
            problem.deadline = (problem.assigned_at + timedelta(days=7)).date()
            problem.returned_at, problem.return_reason, problem.return_count = problem.assigned_at + step, "不属于本部门职责。", 1
        if status == S.DECLINED:
            problem.escalated_at, problem.escalation_note = raised_at + step, "需部门协调。"
            problem.closed_at, problem.decline_reason = problem.escalated_at + step, "属于企业自身经营事项。"
        if status == S.MERGED:
            problem.closed_at = raised_at + step  # merged_into is set once every problem has its key (merge_duplicates)
        if status == S.CONFIRMED:
            problem.closed_at = (problem.answered_at or problem.resolved_at) + step
            problem.rating = self.rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 10, 35, 50])[0]
            problem.feedback = "满意"
        return problem

    def merge_duplicates(self):
        """A merged problem points at the firm's earliest other problem; one whose firm has no other is declined."""
        merged = Problem.objects.filter(status=Problem.Status.MERGED, merged_into__isnull=True)
        first_other = Problem.objects.filter(enterprise=OuterRef("enterprise")).exclude(pk=OuterRef("pk")).order_by("pk").values("pk")[:1]
        merged.update(merged_into=Subquery(first_other))
        merged.update(status=Problem.Status.DECLINED, decline_reason="属于企业自身经营事项。")

    def make_resumption(self, chunk):
        requests, reports = [], []
        for firm_id, _township in chunk:
            status = _weighted(self.rng, RESUMPTION_STATES)
            day = self.day_in(self.rng.randrange(WEEKS))
            created = self.moment(day)
            staff = self.rng.randrange(1, 40)
            request = ResumptionRequest(
                enterprise_id=firm_id,
                status=status,
                planned_date=day + timedelta(days=3),
                staff_local=staff,
                staff_outside=self.rng.randrange(0, 20),
                masks=self.rng.randrange(50, 2000),
                thermometers=self.rng.randrange(1, 10),
                disinfectant_litres=self.rng.randrange(5, 100),
                created_at=created,
            )
            if status != ResumptionStatus.DRAFT:
                request.submitted_at = created + timedelta(hours=1)
            if status == ResumptionStatus.APPROVED:
                request.approved_at = created + timedelta(hours=self.rng.randrange(4, 72))
            if status == ResumptionStatus.RETURNED:
                request.return_reason = "防疫方案不完整。"
            requests.append(request)
            for week in (3, WEEKS - 1):
                report_day = FIRST_MONDAY + timedelta(weeks=week, days=self.rng.randrange(5))
                on_site = self.rng.randrange(0, 60)
                reports.append(
                    DailyReport(
                        enterprise_id=firm_id,
                        date=report_day,
                        staff_on_site=on_site,
                        staff_away=self.rng.randrange(0, 20),
                        capacity_percent=self.rng.randrange(0, 101),
                        created_at=self.moment(report_day),
                    )
                )
        self.save(ResumptionRequest, requests, copy=True)
        self.save(DailyReport, reports, copy=True)
        # Each approved firm's resumed_at, as the approval service records it: one UPDATE for the chunk.
        approved = ResumptionRequest.objects.filter(enterprise=OuterRef("pk"), status=ResumptionStatus.APPROVED).values("approved_at")[:1]
        resumed = [request.enterprise_id for request in requests if request.status == ResumptionStatus.APPROVED]
        Enterprise.objects.filter(pk__in=resumed).update(resumed_at=Subquery(approved))

    def make_passes(self, chunk):
        rows = []
        for firm_id, _township in chunk:
            for kind in (PassKind.VEHICLE, PassKind.EMPLOYEE)[: PER_FIRM["passes"]]:
                status = _weighted(self.rng, PASS_STATES)
                day = self.day_in(self.rng.randrange(WEEKS))
                applied = self.moment(day)
                item = Pass(
                    kind=kind,
                    enterprise_id=firm_id,
                    status=status,
                    valid_from=day,
                    valid_until=day + timedelta(days=30),
                    mobile=self.mobile(),
                    applied_at=applied,
                )
                if kind == PassKind.VEHICLE:
                    # 浙 + a letter + five digits: unique per firm, hence one active pass per plate.
                    item.plate = f"浙{PLATE_LETTERS[firm_id // 100000 % len(PLATE_LETTERS)]}{firm_id % 100000:05d}"
                    item.vehicle_type = self.rng.choice(["car", "van", "truck"])
                    item.driver_name = self.person_name()
                    item.route = "富阳—杭州"
                else:
                    item.holder_name = self.person_name()
                    item.set_id_number(self.resident_id())
                    item.origin = "浙江省杭州市"
                    item.health_code = "green" if status != PassStatus.PENDING else self.rng.choice(["green", "yellow"])
                if status != PassStatus.PENDING:
                    item.issued_at = applied + timedelta(minutes=self.rng.randrange(30, 72 * 60))
                    item.number = f"FY{'V' if kind == PassKind.VEHICLE else 'E'}S{firm_id:09d}"
                if status == PassStatus.REVOKED:
                    item.revoked_at = item.issued_at + timedelta(days=2)
                    item.revoke_reason = "企业申请注销。"
                rows.append(item)
        self.save(Pass, rows, copy=True)

    def make_registrations(self, firm_rows):
        count = scaled("registrations", self.firms)
        provinces = [code for code, _name in regions.province_choices()]
        counties = {code: regions.counties_of(code) for code in provinces}
        rows = []
        for n in range(count):
            firm_id = self.rng.choice(firm_rows)[0]
            province = self.rng.choice(provinces)
            county = self.rng.choice(counties[province]) if counties[province] else ""
            id_number = self.resident_id()
            rows.append(
                WorkerRegistration(
                    reference="LFS" + self.encode(self.registration_serial + n, 9),
                    enterprise_id=firm_id,
                    name=self.person_name(),
                    id_number=id_number,
                    id_number_hash=lookup_hash(id_number),
                    mobile=self.mobile(),
                    origin_province=province,
                    origin_city=regions.city_of(county) if county else "",
                    origin_county=county,
                    return_date=self.day_in(self.rng.randrange(WEEKS)),
                    travel_mode=self.rng.choice(list(TravelMode)),
                    health_code=self.rng.choices(list(HealthCode), weights=[90, 8, 2])[0],
                    source=self.rng.choice(list(WorkerRegistration.Source)),
                    created_at=self.moment(FIRST_MONDAY + timedelta(days=self.rng.randrange(WEEKS * 7))),
                )
            )
            if len(rows) >= BATCH * 4:
                self.save(WorkerRegistration, rows)
                rows = []
        self.save(WorkerRegistration, rows)

    @staticmethod
    def encode(n, width):
        digits = ""
        for _ in range(width):
            n, digit = divmod(n, len(REFERENCE_ALPHABET))
            digits = REFERENCE_ALPHABET[digit] + digits
        return digits

    def make_claims(self, firm_rows):
        # At least one claim in each state, however small the district.
        count = max(len(CLAIM_STATES), scaled("claims", self.firms))
        policy = SubsidyPolicy.objects.order_by("-version").first()
        if policy is None:
            from subsidies.models import DEFAULT_POLICY

            policy = SubsidyPolicy.objects.create(version=1, note="scale", **DEFAULT_POLICY)
        provinces = [code for code, _name in regions.province_choices()]
        trips, claims = [], []
        firms = self.rng.sample(firm_rows, k=min(count, len(firm_rows)))
        while len(firms) < count:
            firms.append(self.rng.choice(firm_rows))
        for firm_id, _township in firms:
            departure = policy.window_start + timedelta(days=self.rng.randrange(0, 30))
            trips.append(
                CharterTrip(
                    enterprise_id=firm_id,
                    origin_province=self.rng.choice(provinces),
                    departure_date=departure,
                    arrival_date=departure + timedelta(days=1),
                    seats=self.rng.randrange(20, 56),
                    status=CharterTrip.Status.COMPLETED,
                )
            )
        self.save(CharterTrip, trips)
        for n, trip in enumerate(trips, start=self.claim_serial):
            status = CLAIM_STATES[n % len(CLAIM_STATES)]
            amount = Decimal(self.rng.randrange(3000, 30000))
            subsidy = min((amount * policy.rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), policy.per_trip_cap)
            claim = SubsidyClaim(
                trip_id=trip.pk,
                enterprise_id=trip.enterprise_id,
                bus_company="富阳长运客运有限公司",
                plate=f"浙A{self.rng.choice(PLATE_LETTERS)}{n % 10000:04d}",
                departure_date=trip.departure_date,
                arrival_date=trip.arrival_date,
                origin_province=trip.origin_province,
                invoice_number=f"9{n:019d}",
                invoice_amount=amount,
                payee_bank="杭州银行富阳支行",
                payee_account=f"{6222000000000000 + n}",
                status=status,
                policy=policy,
                subsidy_amount=subsidy if status != SubsidyClaim.Status.DRAFT else None,
                created_at=self.moment(trip.arrival_date),
            )
            if status != SubsidyClaim.Status.DRAFT:
                claim.submitted_at = claim.created_at + timedelta(hours=2)
            if status in (SubsidyClaim.Status.DISTRICT_APPROVED, SubsidyClaim.Status.PAID, SubsidyClaim.Status.REJECTED):
                claim.decided_at = claim.submitted_at + timedelta(days=2)
            if status in (SubsidyClaim.Status.DISTRICT_APPROVED, SubsidyClaim.Status.PAID):
                claim.approved_amount = subsidy
            claims.append(claim)
        self.save(SubsidyClaim, claims)
        paid = [claim for claim in claims if claim.status == SubsidyClaim.Status.PAID]
        if paid:
            moment = self.moment(FIRST_MONDAY + timedelta(weeks=WEEKS - 1))
            batch = PayoutBatch.objects.create(
                number=f"PS{self.claim_serial:08d}",
                status=PayoutBatch.Status.PAID,
                transfer_reference=f"SCALE{self.claim_serial:010d}",
                paid_at=moment,
                created_at=moment,
            )
            self.save(PayoutItem, [PayoutItem(batch=batch, claim_id=claim.pk, amount=claim.approved_amount) for claim in paid])

    def make_vacancies(self, firm_rows):
        from labour.models import Trade, Vacancy, VacancyStatus

        states = [(VacancyStatus.DRAFT, 10), (VacancyStatus.SUBMITTED, 15), (VacancyStatus.RETURNED, 5),
                  (VacancyStatus.PUBLISHED, 50), (VacancyStatus.FILLED, 15), (VacancyStatus.WITHDRAWN, 5)]
        trades = list(Trade.values)
        rows = []
        for firm_id, _township in self.rng.sample(firm_rows, k=min(scaled("vacancies", self.firms), len(firm_rows))):
            status = _weighted(self.rng, states)
            posted = self.moment(self.day_in(self.rng.randrange(WEEKS)))
            wage = self.rng.randrange(3000, 9000, 100)
            published = status in (VacancyStatus.PUBLISHED, VacancyStatus.FILLED)
            rows.append(
                Vacancy(
                    enterprise_id=firm_id, position=self.rng.choice(["普工", "操作工", "缝纫工", "电焊工", "仓管员", "质检员"]),
                    trade=self.rng.choice(trades), headcount=self.rng.randrange(1, 60), wage_min=wage, wage_max=wage + 1500,
                    housing=self.rng.random() < 0.6, meals=self.rng.random() < 0.7, start_date=posted.date() + timedelta(days=7),
                    contact_name=self.person_name(), contact_mobile=self.mobile(), status=status, created_at=posted,
                    published_at=posted + timedelta(hours=4) if published else None,
                    closed_at=posted + timedelta(days=10) if status in (VacancyStatus.FILLED, VacancyStatus.WITHDRAWN) else None,
                )
            )
        self.save(Vacancy, rows)

    def make_work_lists(self):
        from programmes.models import Category, WorkItem, WorkList

        owners = [(township.pk, None, WORK_ITEMS["township"]) for township in self.townships]
        owners += [
            (township.pk, village, WORK_ITEMS["village"]) for township in self.townships for village in self.villages.get(township.pk, [])
        ]
        lists = [
            WorkList(township_id=township_id, village_id=village, title="复工复产攻坚任务清单", created_at=self.moment(FIRST_MONDAY))
            for township_id, village, _count in owners
        ]
        self.save(WorkList, lists)
        categories = list(Category.values)
        statuses = [(WorkItem.Status.TODO, 25), (WorkItem.Status.IN_PROGRESS, 35), (WorkItem.Status.DONE, 40)]
        items = []
        for work_list, (township_id, _village, count) in zip(lists, owners):
            person = self.specialist_for(township_id)[1]
            for number in range(1, count + 1):
                status = _weighted(self.rng, statuses)
                deadline = self.day_in(self.rng.randrange(WEEKS))
                items.append(
                    WorkItem(
                        work_list=work_list, number=number, category=self.rng.choice(categories), indicator_code="resumption",
                        title=f"任务{number}：企业复工情况摸排与问题跟进", responsible_unit="镇经济发展办", responsible_person_id=person,
                        deadline=deadline, status=status, created_at=work_list.created_at,
                        done_at=self.moment(deadline) if status == WorkItem.Status.DONE else None,
                    )
                )
        self.save(WorkItem, items)

    def make_relief(self):
        """One policy paid without application, created, published and matched by relief.services as the district
        office does it: an award to every firm above the individual scale."""
        from fuyang_portal import clock
        from relief import services
        from relief.models import Area, Mode

        district, _ = User.objects.get_or_create(
            username="scale-district", defaults={"role": Role.DISTRICT, "full_name": "区企业服务办", "password": "!unusable"}
        )
        moment = datetime.combine(FIRST_MONDAY + timedelta(weeks=2), dtime(9), tzinfo=self.tz)
        started = time.perf_counter()
        with clock.at(moment):
            item = services.create_policy(
                district, code=f"scale-{self.prefix.strip('-')}-relief", title="中小微企业稳岗补贴", issuer="富阳区人民政府",
                issued_on=moment.date(), area=Area.SOCIAL_INSURANCE, mode=Mode.AUTO, illustrative=True, summary="按在册员工每人100元，每户最高2万元。",
                rule={"fact": "scale", "op": "in", "value": [Scale.SME, Scale.ABOVE_SCALE]},
                benefit={"base": "registered_headcount", "rate": "100", "cap": "20000"}, period="2020-02",
                valid_from=moment.date(), valid_until=None, budget=Decimal("500000000"), documents=[],
            )
            services.publish_policy(item, district, match=False)
            result = services.match_policy(item.pk, announce=False)
        self.report.add("relief.Award (matched)", getattr(result, "created", 0), time.perf_counter() - started)
