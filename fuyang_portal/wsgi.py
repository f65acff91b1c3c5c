import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuyang_portal.settings")

from fuyang_portal.gc_tuning import frozen_after_warm_up  # noqa: E402

application = frozen_after_warm_up(get_wsgi_application())
