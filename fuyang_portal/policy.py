"""The one policy: who may do which action on which record. Closed by default.

Reading is ``Model.objects.visible_to(user)`` (fuyang_portal.visibility). Acting is declared here, once per
model, in its app's ``policies.py``::

    policy.register(
        ResumptionRequest,
        actions={"create": firm_account, "change": firm_itself},
        workflow=Workflow("status", [
            Step("submit", [DRAFT], SUBMITTED, firm_itself),
            Step("approve", [SUBMITTED, RESUBMITTED], APPROVED, township_of_firm),
        ]),
    )

A rule is a predicate ``(user, obj)``; ``obj`` is None when the question is about the model (may this user
create one at all?). Rules combine with ``&``, ``|`` and ``~``. An action nobody declared is allowed to nobody;
a model nobody registered fails the policy test. Pages, API, forms, tables, exports and tasks ask ``can`` /
``require``; ``transition`` (fuyang_portal.workflow) reads the model's workflow table.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from fuyang_portal.roles import Role


# --- rules ---------------------------------------------------------------------------------------


class Rule:
    def __init__(self, test, name):
        self.test = test
        self.name = name

    def __call__(self, user, obj=None):
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        return bool(self.test(user, obj))

    def __and__(self, other):
        return Rule(lambda u, o: self(u, o) and other(u, o), f"({self.name} & {other.name})")

    def __or__(self, other):
        return Rule(lambda u, o: self(u, o) or other(u, o), f"({self.name} | {other.name})")

    def __invert__(self):
        return Rule(lambda u, o: not self(u, o), f"~{self.name}")

    def __repr__(self):
        return f"<Rule {self.name}>"


def rule(func):
    """Decorator: turn ``func(user, obj)`` into a combinable Rule named after it."""
    return Rule(func, func.__name__)


def role_is(*roles):
    """The user has one of ``roles`` (the district office also counts a superuser)."""

    def test(user, obj):
        if Role.DISTRICT in roles and user.is_superuser:
            return True
        return user.role in roles

    return Rule(test, "role_is(" + ",".join(roles) + ")")


class _System(Rule):
    """The portal itself (a nightly sweep, a task): no user acts. Every other rule refuses an absent actor."""

    def __call__(self, user, obj=None):
        return user is None


system = _System(lambda user, obj: True, "system")
district = role_is(Role.DISTRICT)
nobody = Rule(lambda user, obj: False, "nobody")
anyone_signed_in = Rule(lambda user, obj: True, "anyone_signed_in")


# --- workflows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One row of a workflow table: ``action`` moves a record from one of ``sources`` to ``target``."""

    action: str
    sources: tuple
    target: str
    who: Rule

    def __init__(self, action, sources, target, who):
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "sources", tuple(sources))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "who", who)


@dataclass
class Workflow:
    state_field: str
    steps: list

    def step(self, action, state):
        for step in self.steps:
            if step.action == action and state in step.sources:
                return step
        return None

    def who(self, action):
        rules = [step.who for step in self.steps if step.action == action]
        if not rules:
            return nobody
        combined = rules[0]
        for extra in rules[1:]:
            combined = combined | extra
        return combined

    @property
    def actions(self):
        return list(dict.fromkeys(step.action for step in self.steps))

    @property
    def states(self):
        found = []
        for step in self.steps:
            found.extend(step.sources)
            found.append(step.target)
        return list(dict.fromkeys(found))


# --- the registry --------------------------------------------------------------------------------


@dataclass
class Declaration:
    model: type
    actions: dict = field(default_factory=dict)
    workflow: Workflow = None

    def who(self, action):
        if action in self.actions:
            return self.actions[action]
        if self.workflow is not None and action in self.workflow.actions:
            return self.workflow.who(action)
        return nobody


_registry = {}


def register(model, *, actions=None, workflow=None):
    """Declare the actions (``{"create": rule, "change": rule, ...}``) and the workflow table of ``model``."""
    if model in _registry:
        raise RuntimeError(f"{model._meta.label} is already declared")
    _registry[model] = Declaration(model, dict(actions or {}), workflow)
    return _registry[model]


def declaration(model):
    _load()
    return _registry.get(model if isinstance(model, type) else type(model))


def workflow_of(model):
    found = declaration(model)
    return found.workflow if found else None


def can(user, action, obj=None, *, model=None):
    """May ``user`` take ``action`` on ``obj`` (or on the model, when obj is None)? Ignores the record's state:
    the workflow table says whether the state allows it (``allowed_actions``)."""
    found = declaration(model or type(obj))
    return bool(found and found.who(action)(user, obj))


def require(user, action, obj=None, *, model=None):
    """Raise ActionRefused(FORBIDDEN) unless ``can``; called before any input is validated."""
    from fuyang_portal.workflow import ActionRefused

    if not can(user, action, obj, model=model):
        raise ActionRefused(_("You may not do this to this record."), ActionRefused.FORBIDDEN)


def allowed_actions(user, obj):
    """The workflow actions this user may take on ``obj`` in its current state, in table order."""
    found = declaration(obj)
    if not found or not found.workflow:
        return []
    state = getattr(obj, found.workflow.state_field)
    return [
        step.action
        for step in found.workflow.steps
        if state in step.sources and step.who(user, obj)
    ]


def declared_models():
    _load()
    return dict(_registry)


_loaded = False


def _load():
    """Import every installed app's ``policies`` module once (the registry fills itself on import)."""
    global _loaded
    if _loaded:
        return
    from fuyang_portal.discovery import app_modules

    for _module in app_modules("policies", include_core=True):
        pass
    _loaded = True
