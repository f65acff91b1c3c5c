"""Factories for the specialists app."""

import itertools
from datetime import date

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from specialists import services
from specialists.models import Assignment, Problem, ServiceDomain, Specialist, TrackedProject, Visit
from tests.factories import AgencyFactory, EnterpriseFactory, specialist_user

_mobiles = itertools.count(13900000000)


class SpecialistFactory(DjangoModelFactory):
    class Meta:
        model = Specialist
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    user = factory.LazyAttribute(lambda o: specialist_user(o.agency))
    published_mobile = factory.LazyFunction(lambda: str(next(_mobiles)))

    @factory.post_generation
    def domains(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.domains.set(ServiceDomain.objects.filter(code__in=extracted))

    @factory.post_generation
    def townships(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.townships.set(extracted)


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    specialist = factory.SubFactory(SpecialistFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    starts_on = date(2020, 1, 1)


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit

    specialist = factory.SubFactory(SpecialistFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    visited_on = factory.LazyFunction(timezone.localdate)


class TrackedProjectFactory(DjangoModelFactory):
    class Meta:
        model = TrackedProject

    specialist = factory.SubFactory(SpecialistFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"重点项目{n}")


def served_firm(**firm_kwargs):
    """A firm with a specialist actively assigned to it: (enterprise, specialist)."""
    enterprise = EnterpriseFactory(**firm_kwargs)
    specialist = SpecialistFactory()
    AssignmentFactory(specialist=specialist, enterprise=enterprise)
    return enterprise, specialist


def raised_problem(category="funds", **firm_kwargs):
    """A problem raised by the firm's specialist: (problem, specialist)."""
    enterprise, specialist = served_firm(**firm_kwargs)
    problem = services.raise_problem(specialist.user, enterprise, category, "缺少口罩和测温枪")
    return problem, specialist


def status_of(problem):
    return Problem.objects.values_list("status", flat=True).get(pk=problem.pk)
