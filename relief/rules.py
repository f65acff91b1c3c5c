"""Eligibility as data: a policy's condition is a small declarative tree over the firm's facts, compiled to ONE
database query (matching 100,000 firms to a policy is one statement, not a loop), and explained per firm.

A rule is a JSON tree::

    {"all": [
        {"fact": "scale", "op": "in", "value": ["sme", "individual"]},
        {"fact": "resumed_on", "op": "before", "value": "2020-02-20"},
        {"any": [{"fact": "tags", "op": "has_any", "value": ["exporter"]}, {"not": {...}}]}
    ]}

``{}`` or ``{"all": []}`` means every firm. The facts are named in FACTS below (fields of the firm, and figures
other apps keep about it: headcount reports, resumption, registered workers, charter claims); a rule naming
anything else is refused when saved, with the name. A benefit is ``{"fixed": "3000"}`` or
``{"base": "<numeric fact>", "rate": "300", "fixed": "0", "cap": "50000"}``: fixed + rate × fact, rounded half up
to the fen, then capped.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from enterprises.models import (DailyReport, Enterprise, EnterpriseTag, Industry, ResumptionRequest, ResumptionStatus,
                                Scale)
from fuyang_portal.metrics import period_bounds

FEN = Decimal("0.01")
TAGS_THROUGH = Enterprise.tags.through


# --- the facts -------------------------------------------------------------------------------------


def _latest_staff_on_site():
    latest = DailyReport.objects.filter(enterprise=OuterRef("pk")).order_by("-date").values("staff_on_site")[:1]
    return Subquery(latest, output_field=IntegerField())


def _count_of(model, *, path="enterprise", **filters):
    rows = model.objects.filter(**{path: OuterRef("pk")}, **filters).order_by().values(path).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _registered_workers():
    from subsidies.models import WorkerRegistration

    return _count_of(WorkerRegistration)


def _charter_workers():
    from subsidies.models import CharterTrip, TripPassenger

    return _count_of(TripPassenger, path="trip__enterprise", travelled=True, trip__status=CharterTrip.Status.COMPLETED)


def _granted_charter_claims():
    from subsidies.models import SubsidyClaim

    return _count_of(SubsidyClaim, status__in=SubsidyClaim.GRANTED)


@dataclass(frozen=True)
class Fact:
    name: str
    label: object
    kind: str  # choice, text, int, moment, set
    field: str = ""  # a path on Enterprise, or ""
    expression: object = None  # a callable building the annotation
    choices: object = None

    @property
    def annotation(self):
        return f"relief_{self.name}"

    @property
    def lookup(self):
        return self.field or self.annotation

    def display(self, value, names=None):
        if value is None or value == "":
            return _g("none")
        if self.kind == "choice" and self.choices is not None:
            return str(dict(self.choices.choices).get(value, value))
        if self.kind == "moment":
            return timezone.localtime(value).date().isoformat() if hasattr(value, "tzinfo") else str(value)
        if self.kind == "set":
            return "、".join(sorted((names or {}).get(code, code) for code in value)) if value else _g("none")
        return str(value)


FACTS = {
    fact.name: fact
    for fact in [
        Fact("scale", _("scale"), "choice", field="scale", choices=Scale),
        Fact("industry", _("industry"), "choice", field="industry", choices=Industry),
        Fact("township", _("township"), "text", field="township__name"),
        Fact("tags", _("tags"), "set"),
        Fact("registered_headcount", _("registered headcount"), "int", field="registered_headcount"),
        Fact("staff_on_site", _("staff on site (latest report)"), "int", expression=_latest_staff_on_site),
        Fact("resumed_on", _("resumption approved on"), "moment", field="resumed_at"),  # kept by the approval services
        Fact("registered_workers", _("workers registered to return (来富工作一点通)"), "int", expression=_registered_workers),
        Fact("charter_workers", _("workers brought back by charter bus"), "int", expression=_charter_workers),
        Fact("charter_claims", _("charter subsidy claims granted"), "int", expression=_granted_charter_claims),
    ]
}

OPS = {
    "choice": {"eq", "ne", "in", "not_in"},
    "text": {"eq", "ne", "in", "not_in"},
    "int": {"eq", "ne", "gte", "lte", "gt", "lt"},
    "moment": {"before", "after", "set", "unset"},
    "set": {"has_any", "has_all", "has_none"},
}
OP_LABELS = {
    "eq": "=", "ne": "≠", "in": _("is one of"), "not_in": _("is none of"), "gte": "≥", "lte": "≤", "gt": ">", "lt": "<",
    "before": _("on or before"), "after": _("on or after"), "set": _("is recorded"), "unset": _("is not recorded"),
    "has_any": _("include one of"), "has_all": _("include all of"), "has_none": _("include none of"),
}


# --- validation ------------------------------------------------------------------------------------


def _day(value, where):
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(_("%(where)s: “%(value)s” is not a date (YYYY-MM-DD).") % {"where": where, "value": value})


def validate_rule(rule, path="rule"):
    """Refuse a rule naming an unknown fact or operator, or a value of the wrong kind, with its name."""
    if rule in ({}, None):
        return
    if not isinstance(rule, dict):
        raise ValidationError(_("%(where)s: a condition is an object.") % {"where": path})
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        if not isinstance(rule[key], list):
            raise ValidationError(_("%(where)s: “%(key)s” holds a list of conditions.") % {"where": path, "key": key})
        for i, part in enumerate(rule[key]):
            validate_rule(part, f"{path}.{key}[{i}]")
        return
    if "not" in rule:
        validate_rule(rule["not"], f"{path}.not")
        return
    name = rule.get("fact")
    if name not in FACTS:
        raise ValidationError(_("Unknown field “%(field)s” in the eligibility rule (%(where)s).") % {"field": name, "where": path})
    fact = FACTS[name]
    op = rule.get("op")
    if op not in OPS[fact.kind]:
        raise ValidationError(
            _("%(where)s: “%(op)s” cannot be used with %(field)s (use one of: %(ops)s).")
            % {"where": path, "op": op, "field": name, "ops": ", ".join(sorted(OPS[fact.kind]))}
        )
    value = rule.get("value")
    if op in ("set", "unset"):
        return
    many = op in ("in", "not_in", "has_any", "has_all", "has_none")
    values = value if many else [value]
    if many and (not isinstance(value, list) or not value):
        raise ValidationError(_("%(where)s: “%(op)s” needs a non-empty list of values.") % {"where": path, "op": op})
    for item in values:
        if fact.kind == "choice" and item not in fact.choices.values:
            raise ValidationError(_("%(where)s: “%(value)s” is not a %(field)s.") % {"where": path, "value": item, "field": name})
        if fact.kind == "int" and (isinstance(item, bool) or not isinstance(item, int)):
            raise ValidationError(_("%(where)s: %(field)s is compared with a whole number.") % {"where": path, "field": name})
        if fact.kind == "moment":
            _day(item, path)
        if fact.kind in ("text", "set") and not isinstance(item, str):
            raise ValidationError(_("%(where)s: the values are text.") % {"where": path})
    if fact.kind == "set":
        known = set(EnterpriseTag.objects.filter(code__in=values).values_list("code", flat=True))
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValidationError(_("%(where)s: unknown tag “%(tag)s”.") % {"where": path, "tag": unknown[0]})


def validate_benefit(benefit):
    if not isinstance(benefit, dict) or not benefit:
        raise ValidationError(_("The benefit formula is an object such as {\"fixed\": \"3000\"}."))
    unknown = sorted(set(benefit) - {"fixed", "base", "rate", "cap"})
    if unknown:
        raise ValidationError(_("Unknown key “%(key)s” in the benefit formula.") % {"key": unknown[0]})
    base = benefit.get("base")
    if base is not None and (base not in FACTS or FACTS[base].kind != "int"):
        raise ValidationError(_("Unknown field “%(field)s” in the benefit formula (a whole-number fact is needed).") % {"field": base})
    if base is not None and "rate" not in benefit:
        raise ValidationError(_("A benefit over a fact needs its rate."))
    if base is None and "fixed" not in benefit:
        raise ValidationError(_("A benefit needs a fixed amount or a base fact and rate."))
    for key in ("fixed", "rate", "cap"):
        if key in benefit:
            try:
                number = Decimal(str(benefit[key]))
            except InvalidOperation:
                raise ValidationError(_("“%(value)s” is not an amount (%(key)s).") % {"value": benefit[key], "key": key})
            if number < 0 or not number.is_finite():
                raise ValidationError(_("Amounts in the benefit formula cannot be negative (%(key)s).") % {"key": key})


# --- compiling to one query ------------------------------------------------------------------------


def facts_in(rule):
    """The names of the facts a rule reads."""
    if not rule:
        return set()
    if "all" in rule or "any" in rule:
        return set().union(*[facts_in(part) for part in rule.get("all", rule.get("any", []))]) if rule.get("all", rule.get("any")) else set()
    if "not" in rule:
        return facts_in(rule["not"])
    return {rule["fact"]}


def _has_tags(codes):
    return Exists(TAGS_THROUGH.objects.filter(enterprise_id=OuterRef("pk"), enterprisetag__code__in=codes))


def _leaf_q(rule):
    fact, op, value = FACTS[rule["fact"]], rule["op"], rule.get("value")
    if fact.kind == "set":
        if op == "has_any":
            return Q(_has_tags(value))
        if op == "has_none":
            return ~Q(_has_tags(value))
        q = Q()
        for code in value:
            q &= Q(_has_tags([code]))
        return q
    lookup = fact.lookup
    if fact.kind == "moment":
        if op == "set":
            return Q(**{f"{lookup}__isnull": False})
        if op == "unset":
            return Q(**{f"{lookup}__isnull": True})
        since, until = period_bounds(_day(value, ""), _day(value, ""))
        # "Recorded and in range": a firm with no date is outside it, and inside its negation (as in Python).
        inside = Q(**{f"{lookup}__lt": until}) if op == "before" else Q(**{f"{lookup}__gte": since})
        return Q(**{f"{lookup}__isnull": False}) & inside
    if op == "eq":
        return Q(**{lookup: value})
    if op == "ne":
        return ~Q(**{lookup: value})
    if op == "in":
        return Q(**{f"{lookup}__in": value})
    if op == "not_in":
        return ~Q(**{f"{lookup}__in": value})
    # Comparisons: a missing figure (no report yet) counts as 0.
    return Q(**{f"{lookup}__{op}": value})


def compile_q(rule):
    if not rule:
        return Q()
    if "all" in rule:
        q = Q()
        for part in rule["all"]:
            q &= compile_q(part)
        return q
    if "any" in rule:
        parts = [compile_q(part) for part in rule["any"]]
        if not parts:
            return Q(pk__in=[])
        q = parts[0]
        for part in parts[1:]:
            q |= part
        return q
    if "not" in rule:
        return ~compile_q(rule["not"])
    return _leaf_q(rule)


def annotations(names):
    """The annotations of the computed facts among ``names`` (the int ones default to 0)."""
    found = {}
    for name in sorted(names):
        fact = FACTS[name]
        if fact.expression is not None:
            expr = fact.expression()
            if fact.kind == "int":
                expr = Coalesce(expr, Value(0))
            found[fact.annotation] = expr
    return found


def eligible_firms(rule, benefit=None, firms=None):
    """The firms meeting ``rule`` as one queryset (one statement), with the benefit's base fact annotated."""
    names = facts_in(rule)
    base = (benefit or {}).get("base")
    if base:
        names = names | {base}
    queryset = (firms if firms is not None else Enterprise.objects.all()).annotate(**annotations(names))
    # No order of its own: the firms' list order (township, name) would cost a join and a sort of every match.
    return queryset.filter(compile_q(rule)).order_by()


# --- explaining, per firm --------------------------------------------------------------------------


def firm_facts(firms):
    """Every fact of the given firms: {firm id: {fact: value}} in two queries (facts, then tags)."""
    names = [name for name, fact in FACTS.items() if fact.kind != "set"]
    columns = [FACTS[n].lookup for n in names]
    rows = firms.order_by().annotate(**annotations(names)).values_list("pk", *columns)
    found = {row[0]: dict(zip(names, row[1:])) for row in rows}
    for facts in found.values():
        facts["tags"] = set()
    for firm_id, code in TAGS_THROUGH.objects.filter(enterprise_id__in=list(found)).values_list("enterprise_id", "enterprisetag__code"):
        found[firm_id]["tags"].add(code)
    if found:
        names = dict(EnterpriseTag.objects.values_list("code", "name"))  # to explain tags by their names
        for facts in found.values():
            facts["_tag_names"] = names
    return found


def _leaf_holds(rule, facts):
    fact, op, value = FACTS[rule["fact"]], rule["op"], rule.get("value")
    have = facts.get(fact.name)
    if fact.kind == "set":
        have = have or set()
        return {"has_any": bool(have & set(value)), "has_all": set(value) <= have, "has_none": not (have & set(value))}[op]
    if fact.kind == "moment":
        if op in ("set", "unset"):
            return (have is not None) == (op == "set")
        if have is None:
            return False
        day = timezone.localtime(have).date()
        return day <= _day(value, "") if op == "before" else day >= _day(value, "")
    if fact.kind == "int":
        have = have or 0
    return {
        "eq": lambda: have == value, "ne": lambda: have != value, "in": lambda: have in value, "not_in": lambda: have not in value,
        "gte": lambda: have >= value, "lte": lambda: have <= value, "gt": lambda: have > value, "lt": lambda: have < value,
    }[op]()


def _describe(rule, names=None):
    fact, op = FACTS[rule["fact"]], rule["op"]
    value = rule.get("value")
    if op in ("set", "unset"):
        shown = ""
    elif fact.kind == "set":
        shown = fact.display(value, names)
    elif isinstance(value, list):
        shown = "、".join(fact.display(v) if fact.kind == "choice" else str(v) for v in value)
    else:
        shown = fact.display(value) if fact.kind == "choice" else str(value)
    return f"{fact.label} {OP_LABELS[op]} {shown}".strip()


def explain(rule, facts):
    """(eligible, [{"ok", "text"}...]): each condition with the firm's own figure, e.g. "规模 是其中之一 中小微 (本企业：中小微)"."""
    lines = []

    def walk(node, negate=False):
        if not node:
            return True
        if "all" in node:
            results = [walk(part, negate) for part in node["all"]]
            return all(results)
        if "any" in node:
            results = [walk(part, negate) for part in node["any"]]
            return any(results) if node["any"] else False
        if "not" in node:
            return not walk(node["not"], not negate)
        holds = _leaf_holds(node, facts)
        fact = FACTS[node["fact"]]
        text = _describe(node, facts.get("_tag_names"))
        if negate:
            text = _g("not (%(condition)s)") % {"condition": text}
        lines.append({
            "ok": holds != negate,
            "text": _g("%(condition)s (this firm: %(value)s)") % {
                "condition": text, "value": fact.display(facts.get(fact.name), facts.get("_tag_names")),
            },
        })
        return holds

    return walk(rule), lines


def summary(lines):
    """"Meets: …; Does not meet: …" in one line."""
    met = [line["text"] for line in lines if line["ok"]]
    unmet = [line["text"] for line in lines if not line["ok"]]
    parts = []
    if met:
        parts.append(_g("Meets: %(list)s") % {"list": "；".join(met)})
    if unmet:
        parts.append(_g("Does not meet: %(list)s") % {"list": "；".join(unmet)})
    return "  ".join(parts) or _g("Open to every firm.")


# --- the amount ------------------------------------------------------------------------------------


def compute_amount(benefit, facts):
    """(amount, how): fixed + rate × base fact, rounded half up to the fen, capped. Decimal throughout."""
    fixed = Decimal(str(benefit.get("fixed", "0")))
    base_name = benefit.get("base")
    raw = fixed
    parts = [f"{fixed}"] if fixed or not base_name else []
    if base_name:
        base = Decimal(facts.get(base_name) or 0)
        rate = Decimal(str(benefit["rate"]))
        raw += rate * base
        parts.append(f"{rate} × {base} ({FACTS[base_name].label})")
    amount = raw.quantize(FEN, rounding=ROUND_HALF_UP)
    how = " + ".join(parts) + f" = {amount}"
    if "cap" in benefit:
        cap = Decimal(str(benefit["cap"])).quantize(FEN)
        if amount > cap:
            amount = cap
            how += " → " + _g("capped at %(cap)s") % {"cap": cap}
    return amount, how
