"""Factories for the district core. Domain apps keep theirs in tests/<app>/factories.py."""

import itertools

import factory
from factory.django import DjangoModelFactory

from enterprises.models import Enterprise, Scale
from fuyang_portal.demo import make_credit_code
from fuyang_portal.models import Agency, Community, CommunityGroup, Township, User, Village
from fuyang_portal.roles import Role

_serial = itertools.count(5000)


class TownshipFactory(DjangoModelFactory):
    class Meta:
        model = Township
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"测试{n}镇")
    name_en = factory.Sequence(lambda n: f"Test Town {n}")
    kind = Township.Kind.TOWN


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    township = factory.SubFactory(TownshipFactory)
    code = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"测试{n}社区")


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    code = factory.Sequence(lambda n: f"V{n:05d}")
    name = factory.Sequence(lambda n: f"测试{n}村")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"A{n:04d}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    name_en = factory.Sequence(lambda n: f"Test Bureau {n}")
    paired_township = factory.SubFactory(TownshipFactory)


class CommunityGroupFactory(DjangoModelFactory):
    class Meta:
        model = CommunityGroup

    code = factory.Sequence(lambda n: f"G{n:04d}")
    community = factory.SubFactory(CommunityFactory)
    agency = factory.SubFactory(AgencyFactory, paired_township=factory.SelfAttribute("..community.township"))


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.LazyFunction(lambda: make_credit_code(next(_serial)))
    township = factory.SubFactory(TownshipFactory)
    scale = Scale.SME
    industry = "C"
    registered_headcount = 50


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.DISTRICT
    password = factory.PostGenerationMethodCall("set_password", "Correct-Horse-42")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def enterprise(obj, create, extracted, **kwargs):
        # An enterprise account's firm lives in enterprises.FirmAccount, not on the user.
        if create and extracted is not None:
            from enterprises.models import FirmAccount

            obj.firm_account = FirmAccount.objects.create(user=obj, enterprise=extracted)


def district_user(**kwargs):
    return UserFactory(role=Role.DISTRICT, **kwargs)


def township_user(township=None, **kwargs):
    return UserFactory(role=Role.TOWNSHIP, township=township or TownshipFactory(), **kwargs)


def agency_user(agency=None, **kwargs):
    return UserFactory(role=Role.AGENCY, agency=agency or AgencyFactory(), **kwargs)


def specialist_user(agency=None, **kwargs):
    return UserFactory(role=Role.SPECIALIST, agency=agency or AgencyFactory(), **kwargs)


def administrator(role=Role.AUDITOR, **kwargs):
    """One of the three administrators (system, security, auditor): staff, in no township or agency."""
    return UserFactory(role=role, is_staff=True, **kwargs)


def enterprise_user(enterprise=None, **kwargs):
    return UserFactory(role=Role.ENTERPRISE, enterprise=enterprise or EnterpriseFactory(), **kwargs)


def enrolled(user):
    """A confirmed authenticator (TOTP device) for ``user``."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code_of(device, drift=0):
    """The six digits the authenticator shows now (or ``drift`` steps away)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.drift = drift
    return f"{totp.token():06d}"
