"""Error pages: JSON under /api/, the portal's own pages elsewhere."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _wants_json(request):
    return request.path.startswith("/api/")


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
