"""Bulk import of firms (district and township staff) and of passes (a firm's own list).

A file is read into rows, every row is checked and its errors listed (the preview); only a file without a
single error is imported, in one transaction, all or nothing. A file that is not an xlsx or a CSV text file
gets a message, never a 500.
"""

import csv
import datetime
import functools
import io
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from enterprises import services
from enterprises.forms import EmployeePassForm, VehiclePassForm
from enterprises.models import Enterprise, EnterpriseTag, Industry, Pass, PassKind, Scale
from fuyang_portal import policy
from fuyang_portal.identity import EncryptedTextField, lookup_hash
from fuyang_portal.models import Community, Township, Village
from fuyang_portal.roles import Role
from fuyang_portal.uploads import sniff
from fuyang_portal.validators import normalize_credit_code, normalize_plate, validate_credit_code, validate_mobile
from fuyang_portal.workflow import ActionRefused

MAX_ROWS = 5000


class ImportFileError(Exception):
    """The file cannot be read as a table; ``message`` says why in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class RowResult:
    line: int
    values: dict
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


@functools.cache
def _industry_names():
    names = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.update({str(label): code for code, label in Industry.choices})
    return names


def industry_code(value):
    """A GB/T 4754 section from its name (Chinese or English, as the export writes it) or its letter ("C", "C 制造业")."""
    value = value.strip()
    return _industry_names().get(value) or (value[:1].upper() if value else Industry.C)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(upload, columns, required=()):
    """Rows of an xlsx or CSV file as dicts keyed by field name. ``columns`` maps field → accepted headers."""
    kind = sniff(upload)
    upload.seek(0)
    if kind == "xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
            table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception:  # openpyxl raises many kinds of error on a damaged workbook
            raise ImportFileError(_("The Excel file could not be read; it may be damaged."))
    elif kind is None:
        raw = upload.read()
        if b"\x00" in raw[:4096]:
            raise ImportFileError(_("This file is neither an Excel (.xlsx) file nor a CSV text file."))
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("The CSV file is not in UTF-8 or GB18030 encoding."))
        try:
            table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
        except csv.Error:
            raise ImportFileError(_("The CSV file could not be read."))
    else:
        raise ImportFileError(_("This file is neither an Excel (.xlsx) file nor a CSV text file."))
    table = [row for row in table if any(row)]
    if not table:
        raise ImportFileError(_("The file has no rows."))
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(_("The file has more than %(max)d rows; split it into smaller files.") % {"max": MAX_ROWS})
    header_index = {}
    aliases = {alias.lower(): name for name, accepted in columns.items() for alias in (name, *accepted)}
    for position, header in enumerate(table[0]):
        name = aliases.get(str(header).strip().lower())
        if name:
            header_index[name] = position
    missing = [columns[name][0] for name in required if name not in header_index]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})
    rows = []
    for line, row in enumerate(table[1:], start=2):
        rows.append((line, {name: (row[pos] if pos < len(row) else "") for name, pos in header_index.items()}))
    return rows


# --- firms ---------------------------------------------------------------------------------------------

FIRM_COLUMNS = {
    "name": ("企业名称", "名称", "name"),
    "credit_code": ("统一社会信用代码", "信用代码", "credit code"),
    "township": ("镇街", "township"),
    "locality": ("村社", "村（社区）", "village or community"),
    "address": ("地址", "address"),
    "industry": ("行业门类", "行业", "industry"),
    "scale": ("规模", "scale"),
    "tags": ("标签", "tags"),
    "legal_representative": ("法定代表人", "legal representative"),
    "contact_mobile": ("联系电话", "手机", "contact mobile"),
    "registered_headcount": ("登记人数", "职工人数", "registered headcount"),
}
SCALE_NAMES = {
    "规上工业": Scale.ABOVE_SCALE,
    "规上": Scale.ABOVE_SCALE,
    "中小微": Scale.SME,
    "个体工商户": Scale.INDIVIDUAL,
    "个体": Scale.INDIVIDUAL,
    **{value: value for value in Scale.values},
}

VEHICLE_COLUMNS = {
    "plate": ("车牌号", "车牌", "plate"),
    "vehicle_type": ("车辆类型", "vehicle type"),
    "driver_name": ("驾驶员", "司机", "driver"),
    "mobile": ("手机号", "联系电话", "mobile"),
    "route": ("路线", "route"),
    "valid_from": ("有效期起", "valid from"),
    "valid_until": ("有效期止", "valid until"),
}
EMPLOYEE_COLUMNS = {
    "holder_name": ("姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "resident id"),
    "mobile": ("手机号", "联系电话", "mobile"),
    "origin": ("来自", "来源地", "coming from"),
    "health_code": ("健康码", "health code"),
    "valid_from": ("有效期起", "valid from"),
    "valid_until": ("有效期止", "valid until"),
}
FIRM_REQUIRED = ("name", "credit_code", "scale")
VEHICLE_REQUIRED = ("plate", "mobile", "valid_from", "valid_until")
EMPLOYEE_REQUIRED = ("holder_name", "id_number", "mobile", "valid_from", "valid_until")
VEHICLE_TYPE_NAMES = {"小客车": "car", "轿车": "car", "面包车": "van", "货车": "truck", "大客车": "bus", "客车": "bus", "其他": "other"}
HEALTH_CODE_NAMES = {"绿码": "green", "绿": "green", "黄码": "yellow", "黄": "yellow", "红码": "red", "红": "red"}


def check_firm_rows(rows, user):
    """Every row's errors; the rows' cleaned values are kept in ``values`` for the import."""
    townships = {t.name: t for t in Township.objects.visible_to(user)}
    villages = {(v.township_id, v.name): v.pk for v in Village.objects.visible_to(user).only("pk", "township_id", "name")}
    communities = {(c.township_id, c.name): c.pk for c in Community.objects.visible_to(user).only("pk", "township_id", "name")}
    tag_rows = list(EnterpriseTag.objects.visible_to(user))
    tags = {t.code: t.pk for t in tag_rows} | {t.name: t.pk for t in tag_rows}
    codes = [normalize_credit_code(values.get("credit_code")) for _, values in rows]
    # A credit code is unique in the whole district, so the check reads every firm's code (as the service does).
    taken = dict(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", "name"))
    seen = {}
    results = []
    for line, values in rows:
        errors = []
        name = values.get("name", "").strip()
        if not name:
            errors.append(_("The firm's name is missing."))
        code = normalize_credit_code(values.get("credit_code"))
        try:
            validate_credit_code(code)
        except Exception:
            errors.append(_("%(code)s is not a valid unified social credit code.") % {"code": code or "—"})
        else:
            if code in taken:
                errors.append(_("%(code)s is already registered (%(name)s).") % {"code": code, "name": taken[code]})
            elif code in seen:
                errors.append(_("%(code)s appears twice in the file (row %(line)d).") % {"code": code, "line": seen[code]})
            seen.setdefault(code, line)
        township_name = values.get("township", "").strip()
        township = None
        if user.role == Role.TOWNSHIP and not township_name:
            township = user.township
        elif township_name not in townships:
            errors.append(_("Unknown township: %(name)s.") % {"name": township_name or "—"})
        else:
            township = townships[township_name]
            if user.role == Role.TOWNSHIP and township.pk != user.township_id:
                errors.append(_("You may register firms of your own township only."))
        village_id = community_id = None
        locality = values.get("locality", "").strip()
        if township and locality:
            village_id = villages.get((township.pk, locality))
            community_id = communities.get((township.pk, locality)) if village_id is None else None
            if village_id is None and community_id is None:
                errors.append(_("%(place)s is not a village or community of %(township)s.") % {"place": locality, "township": township})
        scale = SCALE_NAMES.get(values.get("scale", "").strip())
        if scale is None:
            errors.append(_("Unknown scale: %(value)s (规上工业, 中小微 or 个体工商户).") % {"value": values.get("scale") or "—"})
        industry = industry_code(values.get("industry", ""))
        if industry not in Industry.values:
            errors.append(_("Unknown industry section: %(value)s.") % {"value": values.get("industry")})
        tag_ids = []
        for tag in filter(None, (t.strip() for t in values.get("tags", "").replace("，", ",").split(","))):
            if tag not in tags:
                errors.append(_("Unknown tag: %(tag)s.") % {"tag": tag})
            else:
                tag_ids.append(tags[tag])
        mobile = values.get("contact_mobile", "").strip()
        if mobile:
            try:
                validate_mobile(mobile)
            except Exception:
                errors.append(_("%(value)s is not a mainland mobile number.") % {"value": mobile})
        headcount = values.get("registered_headcount", "").strip() or "0"
        if not headcount.isdigit():
            errors.append(_("The registered headcount must be a whole number."))
        results.append(
            RowResult(
                line,
                {
                    "name": name,
                    "credit_code": code,
                    "township_id": township.pk if township else None,
                    "village_id": village_id,
                    "community_id": community_id,
                    "address": values.get("address", "").strip()[:200],
                    "industry": industry,
                    "scale": scale,
                    "tag_ids": tag_ids,
                    "legal_representative": values.get("legal_representative", "").strip()[:50],
                    "contact_mobile": mobile,
                    "registered_headcount": int(headcount) if headcount.isdigit() else 0,
                    "_shown": values,
                },
                errors,
            )
        )
    return results


def import_firms(user, rows):
    """All or nothing: the rows are read again and registered through the registry service, which validates
    every row as the page and the API do and writes each firm's history row; any error refuses the file."""
    policy.require(user, "import", model=Enterprise)
    with transaction.atomic():
        results = check_firm_rows(rows, user)
        if any(not r.ok for r in results):
            raise ActionRefused(_("The file has errors; nothing was imported."), ActionRefused.INVALID)
        firms = []
        for result in results:
            data = {k: v for k, v in result.values.items() if k not in ("tag_ids", "_shown")}
            firms.append({**data, "tags": result.values["tag_ids"]})
        try:
            created = services.register_firms(user, firms)
        except ValidationError as error:
            raise ActionRefused(" ".join(error.messages), ActionRefused.INVALID)
    return len(created)


# --- passes --------------------------------------------------------------------------------------------


def pass_columns(kind):
    if kind == PassKind.VEHICLE:
        return VEHICLE_COLUMNS, VEHICLE_REQUIRED
    return EMPLOYEE_COLUMNS, EMPLOYEE_REQUIRED


def check_pass_rows(rows, kind):
    """Every row checked with the same form as a single pass, plus duplicates in the file and active passes."""
    form_class = VehiclePassForm if kind == PassKind.VEHICLE else EmployeePassForm
    results = []
    keys = []
    for line, values in rows:
        data = dict(values)
        if kind == PassKind.VEHICLE:
            data["vehicle_type"] = VEHICLE_TYPE_NAMES.get(data.get("vehicle_type", ""), data.get("vehicle_type") or "car")
        else:
            data["health_code"] = HEALTH_CODE_NAMES.get(data.get("health_code", ""), data.get("health_code", ""))
        form = form_class(data=data)
        errors = []
        cleaned = {}
        if form.is_valid():
            cleaned = {k: v for k, v in form.cleaned_data.items()}
        else:
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                errors.extend(f"{label}：{m}" if label else m for m in messages)
        key = None
        if kind == PassKind.VEHICLE and values.get("plate"):
            key = normalize_plate(values["plate"])
        elif kind == PassKind.EMPLOYEE and cleaned.get("id_number"):
            key = lookup_hash(cleaned["id_number"])
        keys.append(key)
        shown = dict(values)
        if kind == PassKind.EMPLOYEE:
            from fuyang_portal.identity import mask_id

            shown["id_number"] = mask_id(values.get("id_number", ""))
        results.append(RowResult(line, {"data": values, "shown": shown, "key": key}, errors))
    field_name = "plate" if kind == PassKind.VEHICLE else "id_number_hash"
    # One active pass per plate or person in the whole district: the check reads every firm's active passes.
    active = set(Pass.objects.active().filter(kind=kind, **{f"{field_name}__in": [k for k in keys if k]}).values_list(field_name, flat=True))
    first_line = {}
    for result in results:
        key = result.values["key"]
        if not key:
            continue
        if key in active:
            result.errors.append(services._duplicate_message(kind))
        if key in first_line:
            result.errors.append(_("Appears twice in the file (row %(line)d).") % {"line": first_line[key]})
        first_line.setdefault(key, result.line)
    return results


def import_passes(user, enterprise, kind, rows):
    """All or nothing: each row goes through services.apply_for_pass; one refusal rolls back the file."""
    results = check_pass_rows(rows, kind)
    if any(not r.ok for r in results):
        raise ActionRefused(_("The file has errors; nothing was imported."), ActionRefused.INVALID)
    form_class = VehiclePassForm if kind == PassKind.VEHICLE else EmployeePassForm
    created = []
    with transaction.atomic():
        for result in results:
            data = dict(result.values["data"])
            if kind == PassKind.VEHICLE:
                data["vehicle_type"] = VEHICLE_TYPE_NAMES.get(data.get("vehicle_type", ""), data.get("vehicle_type") or "car")
            else:
                data["health_code"] = HEALTH_CODE_NAMES.get(data.get("health_code", ""), data.get("health_code", ""))
            form = form_class(data=data)
            form.is_valid()
            try:
                created.append(services.apply_for_pass(user, enterprise, kind, announce=False, **form.cleaned_data))
            except ActionRefused as refusal:
                raise ActionRefused(
                    _("Row %(line)d: %(message)s Nothing was imported.") % {"line": result.line, "message": refusal.message},
                    refusal.code,
                )
        services.notify_passes_filed(enterprise, created)
    return created


# --- keeping the rows between the preview and the import ------------------------------------------------


# The same encryption as the ID number columns (key from FIELD_ENCRYPTION_KEY).
_CIPHER = EncryptedTextField()


def stash(session, key, rows):
    """Keep the parsed rows in the session, encrypted (pass lists hold ID numbers)."""
    session[key] = _CIPHER.get_prep_value(json.dumps(rows, ensure_ascii=False))


def unstash(session, key):
    token = session.pop(key, None)
    if not token:
        return None
    try:
        return [tuple(row) for row in json.loads(_CIPHER.from_db_value(token, None, None))]
    except Exception:
        return None
