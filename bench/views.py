from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def bare(request):
    """The floor of a signed-in page: session, user and middleware, no query of its own, no template."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")
