"""Third-party names a Chinese page shows, in the portal's own catalogue.

django-axes ships no Chinese and names its app "Axes" (not translatable), and django-tables2's pager has an
untranslated label. makemessages reads only the portal's sources, so their msgids are listed here to stay in
the catalogue; the admin shows axes under a translated app name.
"""

from axes.apps import AppConfig as BaseAxesConfig
from django.utils.translation import gettext_lazy as _, gettext_noop


class AxesConfig(BaseAxesConfig):
    verbose_name = _("Sign-in lockouts")


MESSAGES = [
    # django-tables2 (templates/django_tables2/bootstrap5-responsive.html translates it)
    gettext_noop("Table navigation"),
    # django-axes: models and admin
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
]
