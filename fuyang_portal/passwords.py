"""Password rules of 等保 2.0 level 3 (8.1.4.1): at least 8 characters of 3 of the 4 classes, not the user name,
none of the last five, and a change after PASSWORD_MAX_AGE_DAYS (0 turns expiry off: OWASP ASVS 2.1.10 advises
against forced rotation; docs/security.md weighs the two)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

CLASSES = (str.islower, str.isupper, str.isdigit, lambda char: not char.isalnum())


class ComplexityValidator:
    def __init__(self, min_length=8, min_classes=3):
        self.min_length, self.min_classes = min_length, min_classes

    def validate(self, password, user=None):
        classes = sum(1 for test in CLASSES if any(test(char) for char in password))
        if len(password) < self.min_length or classes < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("A password has at least %(length)s characters and three of: lower-case letters, capitals, digits, symbols.") % {
            "length": self.min_length
        }


class NotUsernameValidator:
    def validate(self, password, user=None):
        name = (getattr(user, "username", "") or "").lower()
        if name and name in password.lower():
            raise ValidationError(self.get_help_text(), code="password_has_username")

    def get_help_text(self):
        return _("A password may not contain the user name.")


class HistoryValidator:
    """Refuses the last ``count`` passwords; remembers each new one (its hash) when it is set."""

    def __init__(self, count=5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from fuyang_portal.models import PasswordHistory

        for old in PasswordHistory.objects.filter(user=user).order_by("-created_at", "-pk")[: self.count]:
            if check_password(password, old.password):
                raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        from fuyang_portal.models import PasswordHistory, User

        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
        keep = list(PasswordHistory.objects.filter(user=user).order_by("-created_at", "-pk").values_list("pk", flat=True)[: self.count])
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()

    def get_help_text(self):
        return _("A password may not be one of your last %(count)s.") % {"count": self.count}


def expired(user):
    days = settings.PASSWORD_MAX_AGE_DAYS
    changed = getattr(user, "password_changed_at", None)
    return bool(days and changed and changed < timezone.now() - timedelta(days=days))


class PasswordExpiryMiddleware:
    """A signed-in user whose password is past its age changes it before anything else (pages only: an API
    client's token is not a password)."""

    ALLOWED = ("password_change", "password_change_done", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None and user.is_authenticated and expired(user)
            and not request.path.startswith(("/api/", "/static/"))
            and request.path not in {reverse(name) for name in self.ALLOWED}
        ):
            return redirect(reverse("password_change") + "?expired=1")
        return self.get_response(request)
