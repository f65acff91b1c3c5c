"""One user model for every role, scoped to the township, agency or enterprise it works for."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fuyang_portal.roles import Role
from fuyang_portal.validators import validate_mobile
from fuyang_portal.visibility import PrivateQuerySet, ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    def scope_township(self, user):
        return self.filter(township_id=user.township_id)

    def scope_agency(self, user):
        return self.filter(agency_id=user.agency_id)

    def scope_specialist(self, user):
        return self.filter(pk=user.pk)

    def scope_enterprise(self, user):
        return self.filter(pk=user.pk)

    scope_county = scope_clinic = scope_enterprise


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.DISTRICT)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.ENTERPRISE)
    township = models.ForeignKey(
        "fuyang_portal.Township", on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("township")
    )
    agency = models.ForeignKey(
        "fuyang_portal.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("agency")
    )
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, validators=[validate_mobile])
    # Real time (security, not business): the password's age for its expiry (fuyang_portal/passwords.py).
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True, editable=False)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Each role carries exactly the scope it works in, and no other. An enterprise account's firm is
            # kept by the enterprises app (FirmAccount), which the core does not know.
            models.CheckConstraint(
                name="user_role_scope",
                condition=(
                    Q(role=Role.DISTRICT, township__isnull=True, agency__isnull=True)
                    | Q(role=Role.TOWNSHIP, township__isnull=False, agency__isnull=True)
                    | Q(role=Role.AGENCY, township__isnull=True, agency__isnull=False)
                    | Q(role=Role.SPECIALIST, township__isnull=True, agency__isnull=False)
                    | Q(role=Role.ENTERPRISE, township__isnull=True, agency__isnull=True)
                    | Q(role=Role.COUNTY, township__isnull=True, agency__isnull=True)
                    | Q(role=Role.CLINIC, township__isnull=True, agency__isnull=True)
                    | Q(role__in=[Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR], township__isnull=True, agency__isnull=True)
                ),
                violation_error_message=_("The account's township or agency does not match its role."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_district(self):
        return self.is_superuser or self.role == Role.DISTRICT

    # The firm an enterprise account acts for is kept by the enterprises app in its ``firm_account`` row
    # (a one-to-one on this model); these read it without the core importing that app.
    @property
    def enterprise_id(self):
        account = getattr(self, "firm_account", None) if self.role == Role.ENTERPRISE else None
        return account.enterprise_id if account is not None else None

    @property
    def enterprise(self):
        account = getattr(self, "firm_account", None) if self.role == Role.ENTERPRISE else None
        return account.enterprise if account is not None else None

    @property
    def scope_label(self):
        return self.township or self.agency or self.enterprise or ""


class PasswordHistory(models.Model):
    """The hashes of an account's last passwords, so that none of them is chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history", verbose_name=_("user"))
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("set"), auto_now_add=True)

    objects = PrivateQuerySet.as_manager()

    class Meta:
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
