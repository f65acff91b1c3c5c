from django.conf import settings

from fuyang_portal import clock
from fuyang_portal.navigation import menu_html
from fuyang_portal.notify import unread_count


def portal(request):
    user = getattr(request, "user", None)
    demo_clock = clock.now() if settings.DEMO_CLOCK else None
    if user is None or not user.is_authenticated:
        return {"portal_name": settings.PORTAL_NAME, "nav_html": "", "unread_count": 0, "demo_clock": demo_clock}
    # Templates rendered inside the page (tables, includes) run the context processors again: compute once.
    if not hasattr(request, "_portal_context"):
        request._portal_context = {
            "portal_name": settings.PORTAL_NAME,
            "nav_html": menu_html(user, request.path),
            "unread_count": unread_count(user),
            "demo_clock": demo_clock,
        }
    return request._portal_context
