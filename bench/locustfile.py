"""A working day of the district through nginx (``make load``; bench/load.py runs it headless and checks the results).

Signed-in people, each with an account of the load run (``manage.py load_run_accounts``, var/cluster/load-accounts.json):
70 service specialists (their firms, visits logged, problems raised and then resolved or escalated), 50 township
staff (lists, queues, passes approved), 30 agency staff (their queue: sign for and answer problems), 40 firms
(their records, today's headcount report, vehicle passes, problems with a PDF attached), 10 of the district
office (signed in with their TOTP code; queues, escalated problems assigned, exports) and 30 anonymous visitors on
the public pages: the weights of the classes, so 230 users give these numbers and fewer users the same mix.

Every form is read from its page (the CSRF token and the ``idempotency_key`` the page puts in it) and posted as a
browser would. A post that gets no answer from a node (502/503/504 or a broken connection) is sent again once with
the same key, as a phone does: the portal answers it from the key and writes nothing twice. Each write that got a
success answer is appended to LOAD_WRITES (JSON lines: kind, key, the record's address, the token written into
it), which bench/load.py checks against the database afterwards.
"""

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import threading
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, events, task

ROOT = Path(__file__).resolve().parent.parent
ACCOUNTS_FILE = Path(os.environ.get("LOAD_ACCOUNTS", ROOT / "var" / "cluster" / "load-accounts.json"))
WRITES_FILE = Path(os.environ.get("LOAD_WRITES", ROOT / "var" / "cluster" / "load-writes.jsonl"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "Load-Run-2020!x")
# Seconds a person spends reading a page before the next click.
THINK = (float(os.environ.get("LOAD_THINK_MIN", "5")), float(os.environ.get("LOAD_THINK_MAX", "15")))
ANY = object()  # fill a select with one of its non-empty options, at random
RETRYABLE = {0, 502, 503, 504}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def totp(key_hex, step=30, digits=6, at=None):
    """RFC 6238 code of a django-otp TOTP device key (hex), as an authenticator app computes it."""
    counter = int((at or time.time()) // step)
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(value).zfill(digits)


class Form:
    def __init__(self, action, method):
        self.action, self.method = action, method
        self.fields = []  # (name, value) in page order
        self.selects = {}  # name -> [[value, selected, text]]
        self.multiple = set()  # selects of several values: nothing chosen unless the page selected it
        self.radios = {}  # name -> [(value, checked)]
        self.files = []

    def has(self, name):
        return any(field == name for field, _ in self.fields) or name in self.selects or name in self.radios or name in self.files


class FormParser(HTMLParser):
    """The page's forms, as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.textarea, self.option = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = Form(attrs.get("action") or "", (attrs.get("method") or "get").lower())
            self.forms.append(self.form)
        elif self.form is None or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind == "file":
                self.form.files.append(attrs["name"])
            elif kind == "radio":
                self.form.radios.setdefault(attrs["name"], []).append((attrs.get("value", "on"), "checked" in attrs))
            elif kind == "checkbox":
                if "checked" in attrs:
                    self.form.fields.append((attrs["name"], attrs.get("value", "on")))
            else:
                self.form.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
            self.form.selects[self.select] = []
            if "multiple" in attrs:
                self.form.multiple.add(self.select)
        elif tag == "option" and self.select:
            self.option = [attrs.get("value"), "selected" in attrs, ""]
            self.form.selects[self.select].append(self.option)
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "option":
            self.option = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form.fields.append(tuple(self.textarea))
            self.textarea = None


def forms_of(html):
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        for values in form.selects.values():
            for option in values:
                if option[0] is None:  # an option without value submits its text
                    option[0] = option[2].strip()
    return parser.forms


def form_data(form, overrides):
    """The fields a browser would send, with ``overrides`` (ANY: a random non-empty option of a select)."""
    data = [(name, value) for name, value in form.fields if name not in overrides]
    for name, options in form.selects.items():
        if name in overrides:
            continue
        chosen = [value for value, selected, _text in options if selected]
        if name in form.multiple:
            data += [(name, value) for value in chosen]
        else:
            data += [(name, value) for value in chosen[:1]] or ([(name, options[0][0])] if options and options[0][0] else [])
    for name, options in form.radios.items():
        if name not in overrides and options:
            checked = [value for value, on in options if on]
            data.append((name, checked[0] if checked else options[0][0]))
    for name, value in overrides.items():
        if value is ANY:
            options = [option[0] for option in form.selects.get(name, []) if option[0]]
            options = options or [value for value, _on in form.radios.get(name, []) if value]
            if not options:
                raise LookupError(f"no choice for {name}")
            value = random.choice(options)
        data.append((name, value))
    return data


_writes_lock = threading.Lock()


def record_write(**row):
    with _writes_lock, WRITES_FILE.open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


_accounts = None
_pools = {}
_pool_lock = threading.Lock()


def next_account(role):
    """Each simulated person takes the next account of its role (the run has one account per person)."""
    global _accounts
    with _pool_lock:
        if _accounts is None:
            _accounts = json.loads(ACCOUNTS_FILE.read_text(encoding="utf-8"))
        if role not in _pools:
            _pools[role] = itertools.cycle(_accounts[role])
        return next(_pools[role])


REQUESTS_FILE = Path(os.environ.get("LOAD_REQUESTS", ROOT / "var" / "cluster" / "load-requests.jsonl"))
_requests_out = None


@events.test_start.add_listener
def _fresh_files(environment, **_kwargs):
    global _requests_out
    WRITES_FILE.parent.mkdir(parents=True, exist_ok=True)
    WRITES_FILE.write_text("")
    _requests_out = REQUESTS_FILE.open("w", encoding="utf-8")


@events.request.add_listener
def _log_request(request_type, name, response_time, exception, **_kwargs):
    """Every request with its moment, so that percentiles can be taken over any part of the run (bench/load.py)."""
    if _requests_out is not None:
        _requests_out.write(json.dumps([round(time.time(), 3), request_type, name, round(response_time or 0, 1),
                                        exception is None]) + "\n")


@events.test_stop.add_listener
def _close_requests(environment, **_kwargs):
    if _requests_out is not None:
        _requests_out.flush()


class PortalUser(HttpUser):
    """A person with a browser: pages, forms with their keys, a session cookie."""

    abstract = True
    wait_time = between(*THINK)
    role = None

    def on_start(self):
        self.account = next_account(self.role) if self.role else None
        if self.account:
            self.sign_in()

    # --- pages -------------------------------------------------------------------------------------
    def page(self, url, kind):
        """GET a page; a failure unless it answers 200 where it was asked (not sent back to the sign-in page)."""
        with self.client.get(url, name=kind, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif self.account and "/accounts/login/" in response.url and "/accounts/login/" not in url:
                response.failure("signed out")
                self.sign_in()  # as a person would
                return ""
            else:
                response.success()
            return response.text if response.status_code == 200 else ""

    def links(self, html, pattern):
        return sorted(set(re.findall(pattern, html)))

    def pick(self, html, pattern):
        found = self.links(html, pattern)
        return random.choice(found) if found else None

    # --- forms -------------------------------------------------------------------------------------
    def submit(self, url, kind, overrides=None, files=None, token=None, action_contains=None, refusable=False):
        """Open the form at ``url``, fill it and post it; returns the answer's Location on success, else None."""
        html = self.page(url, f"form: {kind}")
        if not html:
            return None
        candidates = [form for form in forms_of(html) if form.method == "post"]
        if action_contains:
            candidates = [form for form in candidates if action_contains in form.action]
        else:
            candidates = [form for form in candidates if form.has("idempotency_key")] or candidates
        if not candidates:
            return None
        form = candidates[-1] if action_contains else candidates[0]
        try:
            data = form_data(form, overrides or {})
        except LookupError:
            return None  # nothing to choose from (an empty select): the person does something else
        target = form.action or url
        key = dict(data).get("idempotency_key")
        upload = {name: (f"{kind}.pdf", content, "application/pdf") for name, content in (files or {}).items()}
        for attempt in (1, 2):
            name = kind if attempt == 1 else f"{kind} (resent)"
            with self.client.post(target, data=data, files=upload or None, name=name, allow_redirects=False,
                                  catch_response=True, headers={"Referer": self.host + url}) as response:
                status = response.status_code
                if status in (302, 303):
                    location = response.headers.get("Location", "")
                    response.success()
                    record_write(kind=kind, key=key, location=location, token=token, user=self.account["username"],
                                 attempts=attempt, at=time.time(), outcome="written")
                    return location
                if status in RETRYABLE and attempt == 1:
                    response.failure(f"{status or 'connection lost'} (in flight; resent with the same key)")
                    time.sleep(1)
                    continue
                errors = re.findall(r'(?:invalid-feedback d-block|alert alert-danger)[^>]*>(.*?)</div>', response.text or "", re.DOTALL)
                reason = re.sub(r"<[^>]+>|\s+", " ", " | ".join(errors))[:200].strip()
                if refusable and status in (200, 409) and reason:
                    # Someone acted on the record first (another township officer, a co-handling agency pending): the
                    # workflow refuses with its reason, and nothing is written. Counted apart from errors.
                    response.success()
                    record_write(kind=kind, key=key, outcome="refused", reason=reason, user=self.account["username"], at=time.time())
                else:
                    response.failure(f"{status} {reason}")
                return None
        return None

    def sign_in(self, tries=3):
        """The password, then for the district office the code its authenticator shows; a person whose answer got
        lost (the node went away) presses the button again, and one whose code came too late enters the next one."""
        for _attempt in range(tries):
            html = self.page("/accounts/login/", "sign in: form")
            form = next((form for form in forms_of(html) if form.has("password")), None)
            if form is None:
                return False
            data = form_data(form, {"username": self.account["username"], "password": PASSWORD})
            with self.client.post("/accounts/login/", data=data, name="sign in", allow_redirects=False,
                                  catch_response=True, headers={"Referer": self.host + "/accounts/login/"}) as response:
                if response.status_code != 302:
                    response.failure(f"{response.status_code} sign-in refused")
                    time.sleep(1)
                    continue
                response.success()
                location = response.headers.get("Location", "")
            if "second-factor" not in location or self.second_factor():
                return True
        return False

    def second_factor(self):
        for _attempt in range(2):
            html = self.page("/accounts/second-factor/", "sign in: second factor form")
            form = next((form for form in forms_of(html) if form.has("code")), None)
            if form is None:
                return False
            step = self.account.get("step", 30)
            code = totp(self.account["totp_key"], step, self.account.get("digits", 6))
            data = form_data(form, {"code": code})
            with self.client.post("/accounts/second-factor/", data=data, name="sign in: second factor",
                                  allow_redirects=False, catch_response=True,
                                  headers={"Referer": self.host + "/accounts/second-factor/"}) as response:
                if response.status_code == 302:
                    response.success()
                    return True
                response.failure(f"{response.status_code} code refused")
            time.sleep(step - time.time() % step + 1)  # the app shows the next code
        return False

    def token(self):
        return f"load-{uuid.uuid4().hex[:16]}"


class Specialist(PortalUser):
    role = "specialist"
    weight = 70

    @task(4)
    def my_firms(self):
        html = self.page("/specialists/my-firms/", "list: my firms")
        if firm := self.pick(html, r'href="(/enterprises/\d+/)"'):
            self.page(firm, "detail: enterprise")

    @task(2)
    def visits_and_problems(self):
        html = self.page("/specialists/visits/", "list: visits")
        if visit := self.pick(html, r'href="(/specialists/visits/\d+/)"'):
            self.page(visit, "detail: visit")
        html = self.page("/specialists/problems/", "list: problems")
        if problem := self.pick(html, r'href="(/specialists/problems/\d+/)"'):
            self.page(problem, "detail: problem")

    @task(3)
    def log_visit(self):
        token = self.token()
        overrides = {"enterprise": ANY, "notes": f"走访 {token}", "checks": "checked_dual_plan"}
        if random.random() < 0.3:
            overrides.update(problem1_category=ANY, problem1_description=f"走访发现 {token}")
        self.submit("/specialists/visits/new/", "log visit", overrides, token=token)

    @task(1)
    def raise_and_handle_problem(self):
        token = self.token()
        location = self.submit("/specialists/problems/new/", "raise problem",
                               {"enterprise": ANY, "category": ANY, "description": f"企业反映 {token}"}, token=token)
        match = re.search(r"/specialists/problems/(\d+)/", location or "")
        if match:
            self.page(match.group(0), "detail: problem")
            action = "resolve" if random.random() < 0.6 else "escalate"
            self.submit(f"{match.group(0)}{action}/", f"problem: {action}", {"text": f"已处理 {token}"}, token=token)


class Township(PortalUser):
    role = "township"
    weight = 50

    @task(3)
    def enterprises(self):
        html = self.page("/enterprises/", "list: enterprises")
        if firm := self.pick(html, r'href="(/enterprises/\d+/)"'):
            self.page(firm, "detail: enterprise")

    @task(2)
    def queues(self):
        self.page("/enterprises/requests/queue/", "queue: resumption requests")
        self.page("/specialists/problems/", "list: problems")

    @task(1)
    def own_ranking(self):
        self.page("/leaderboard/mine/", "page: my township's ranking")

    @task(2)
    def approve_pass(self):
        html = self.page("/enterprises/passes/queue/", "queue: passes")
        if item := self.pick(html, r'href="(/enterprises/passes/\d+/)"'):
            detail = self.page(item, "detail: pass")
            if f'{item}approve/' in detail:
                self.submit(f"{item}approve/", "pass: approve", {}, token=item, refusable=True)


class Agency(PortalUser):
    role = "agency"
    weight = 30

    @task(3)
    def queue(self):
        html = self.page("/specialists/problems/queue/", "queue: problems")
        if problem := self.pick(html, r'href="(/specialists/problems/\d+/)"'):
            detail = self.page(problem, "detail: problem")
            for action in ("accept", "answer"):
                if f"{problem}{action}/" in detail:
                    token = self.token()
                    self.submit(f"{problem}{action}/", f"problem: {action}", {"text": f"答复 {token}"}, token=token, refusable=True)
                    break

    @task(2)
    def lists(self):
        self.page("/specialists/problems/", "list: problems")
        self.page("/specialists/problems/scorecard/", "page: agency scorecard")


class Firm(PortalUser):
    role = "enterprise"
    weight = 40

    def on_start(self):
        super().on_start()
        self.reported = False

    @task(3)
    def own_records(self):
        self.page("/enterprises/mine/", "page: my firm")
        self.page("/enterprises/passes/", "list: passes")

    @task(2)
    def problems(self):
        html = self.page("/specialists/problems/", "list: problems")
        if problem := self.pick(html, r'href="(/specialists/problems/\d+/)"'):
            self.page(problem, "detail: problem")

    @task(1)
    def daily_report(self):
        if self.reported:
            return
        self.reported = True
        html = self.page("/enterprises/reports/new/", "form: headcount report (check)")
        if "idempotency_key" not in html:
            return
        token = self.token()
        self.submit("/enterprises/reports/new/", "headcount report",
                    {"staff_on_site": str(random.randint(20, 200)), "staff_away": str(random.randint(0, 30)),
                     "capacity_percent": str(random.randint(40, 100)), "note": token}, token=token)

    @task(2)
    def vehicle_pass(self):
        token = self.token()
        self.submit("/enterprises/passes/new/vehicle/", "apply for vehicle pass",
                    {"plate": f"浙A{random.randint(10000, 99999)}", "vehicle_type": ANY, "driver_name": "王师傅",
                     "mobile": f"138{random.randint(10000000, 99999999)}", "route": f"富阳—杭州 {token}"}, token=token)

    @task(2)
    def raise_problem_with_file(self):
        token = self.token()
        # The firm's own pages link the form with its id (?enterprise=), which the form keeps in a hidden field.
        self.submit(f"/specialists/problems/new/?enterprise={self.account['enterprise']}", "raise problem with PDF",
                    {"category": ANY, "description": f"企业诉求 {token}"},
                    files={"attachment": PDF + token.encode()}, token=token)


class District(PortalUser):
    role = "district"
    weight = 10

    @task(3)
    def queues(self):
        html = self.page("/specialists/problems/queue/", "queue: problems")
        if problem := self.pick(html, r'href="(/specialists/problems/\d+/)"'):
            detail = self.page(problem, "detail: problem")
            if f"{problem}assign/" in detail:
                token = self.token()
                self.submit(f"{problem}assign/", "problem: assign", {"agency": ANY, "comment": f"交办 {token}"}, token=token,
                            refusable=True)
        self.page("/enterprises/requests/queue/", "queue: resumption requests")
        self.page("/enterprises/passes/queue/", "queue: passes")

    @task(2)
    def lists(self):
        self.page("/enterprises/", "list: enterprises")
        self.page("/leaderboard/manage/weeks/", "list: contest weeks")

    @task(1)
    def exports(self):
        """The firm list as xlsx, written in the background by a worker: queued, its progress polled, downloaded."""
        location = self.submit("/enterprises/", "export: firm list queued", {}, action_contains="/enterprises/exports/new/")
        if not location:
            return
        for _poll in range(20):
            time.sleep(3)
            with self.client.get(f"{location}?format=json", name="export: progress", catch_response=True) as response:
                status = response.json().get("status") if response.status_code == 200 else None
                if status is None:
                    response.failure(str(response.status_code))
                    return
                response.success()
            if status == "done":
                with self.client.get(f"{location}download/", name="export: download xlsx", catch_response=True) as response:
                    if response.status_code == 200 and "spreadsheet" in response.headers.get("Content-Type", ""):
                        response.success()
                    else:
                        response.failure(str(response.status_code))
                return
            if status == "failed":
                return
        self.page("/specialists/problems/?_export=csv", "export: problems csv (asks for approval)")


class Public(PortalUser):
    """Anyone: the specialists' directory, the red and black lists, the registration form."""

    weight = 30

    @task(3)
    def directory(self):
        self.page("/specialists/directory/", "public: specialist directory")

    @task(2)
    def leaderboard(self):
        self.page("/leaderboard/", "public: red and black lists")

    @task(1)
    def registration_form(self):
        self.page("/subsidies/register/", "public: worker registration form")
