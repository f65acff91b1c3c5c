"""Error pages: JSON under /api/, the portal's own pages elsewhere."""

from django.conf import settings
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults


def _wants_json(request):
    return request.path.startswith("/api/") or "application/json" in request.META.get("HTTP_ACCEPT", "")


def page_not_found(request, exception):
    if _wants_json(request):
        return JsonResponse({"detail": _("No such record in your scope.")}, status=404)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    if _wants_json(request):
        return JsonResponse({"detail": _("You do not have permission to see this page.")}, status=403)
    return defaults.permission_denied(request, exception)


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"detail": _("Something went wrong on our side. The error has been logged.")}, status=500)
    return defaults.server_error(request)


def bad_request(request, exception):
    if _wants_json(request):
        return JsonResponse({"detail": _("Invalid request.")}, status=400)
    return defaults.bad_request(request, exception)


def service_unavailable(request):
    """503 while the database cannot be reached: rendered without touching it (no menu, no user)."""
    from django.http import HttpResponse

    seconds = settings.RETRY_AFTER_SECONDS
    if _wants_json(request):
        response = JsonResponse(
            {"detail": _("The service is briefly unavailable. Nothing was saved; send the request again shortly."), "code": "service_unavailable"},
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html", {"retry_after": seconds}, request=None), status=503)
    response["Retry-After"] = str(seconds)
    return response
