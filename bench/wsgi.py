import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from fuyang_portal.frame_stack import on_reserved_stack  # noqa: E402
from fuyang_portal.gc_tuning import frozen_after_warm_up  # noqa: E402

application = on_reserved_stack(frozen_after_warm_up(get_wsgi_application()))  # as the portal's own server runs it
