"""Generated from the models: every model of the portal declares, for every role, what it may see and which
actions it may take — or this test fails. Closed by default: nothing undeclared is open."""

import pytest
from django.db import models

from fuyang_portal import policy
from fuyang_portal.discovery import project_apps
from fuyang_portal.roles import Role
from fuyang_portal.visibility import PARTNER_ROLES, ScopedQuerySet
from tests.factories import UserFactory, TownshipFactory

MODELS = [model for config in project_apps() for model in config.get_models()]


def _label(model):
    return model._meta.label


def test_the_portal_has_models_to_check():
    assert len(MODELS) > 30


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_every_model_reads_through_a_scoped_queryset(model):
    queryset = model._default_manager.get_queryset()
    assert isinstance(queryset, ScopedQuerySet), f"{_label(model)}'s default manager is not scoped"


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_every_model_declares_every_roles_scope(model):
    missing = type(model._default_manager.get_queryset()).undeclared_roles()
    assert not missing, f"{_label(model)} declares no scope for {sorted(missing)}"


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_every_model_declares_its_actions(model):
    assert policy.declaration(model) is not None, f"{_label(model)} has no entry in its app's policies.py"


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_a_workflow_table_names_real_states(model):
    flow = policy.workflow_of(model)
    if flow is None:
        return
    field = model._meta.get_field(flow.state_field)
    if field.choices:
        choices = {value for value, _label in field.flatchoices}
        assert set(flow.states) <= choices, f"{_label(model)}: unknown states {set(flow.states) - choices}"
    for step in flow.steps:
        assert isinstance(step.who, policy.Rule), f"{_label(model)}.{step.action}: 'who' is not a rule"


def test_an_undeclared_queryset_is_closed_to_every_role_but_the_district_office(db):
    class Undeclared(ScopedQuerySet):
        pass

    queryset = Undeclared(model=Role and TownshipFactory._meta.model)
    TownshipFactory()
    assert queryset.visible_to(UserFactory(role=Role.DISTRICT)).count() == 1
    for role, scope in ((Role.TOWNSHIP, {"township": TownshipFactory()}), (Role.ENTERPRISE, {}), *((r, {}) for r in PARTNER_ROLES)):
        assert queryset.visible_to(UserFactory(role=role, **scope)).count() == 0
    assert queryset.open_roles() == {Role.DISTRICT}


def test_an_undeclared_action_is_allowed_to_nobody(db):
    district = UserFactory(role=Role.DISTRICT)
    township = TownshipFactory()
    assert not policy.can(district, "no-such-action", township)


def test_rules_are_closed_to_the_anonymous_and_the_inactive(db):
    inactive = UserFactory(role=Role.DISTRICT, is_active=False)
    assert not policy.district(inactive, None)
    from django.contrib.auth.models import AnonymousUser

    assert not policy.anyone_signed_in(AnonymousUser(), None)
