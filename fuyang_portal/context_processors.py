from django.conf import settings

from fuyang_portal.models import Notification
from fuyang_portal.navigation import menu_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_name": settings.PORTAL_NAME, "nav_items": [], "unread_count": 0}
    return {
        "portal_name": settings.PORTAL_NAME,
        "nav_items": menu_for(user),
        "unread_count": Notification.objects.visible_to(user).unread().count(),
    }
