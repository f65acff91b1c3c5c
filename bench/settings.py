"""Settings for the benchmark's gunicorn server: the portal's own settings, plus one bare view to compare
against (bench.urls). Never used in production."""

from fuyang_portal.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False  # the benchmark's gunicorn is reached over plain http
