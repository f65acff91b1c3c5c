"""Writes safe to retry: a request sent again with the same Idempotency-Key gets the first answer and writes
nothing new.

The API takes the key as the ``Idempotency-Key`` header; a form a phone may send twice carries it as the hidden
field ``idempotency_key`` (templates/fuyang_portal/_form.html puts a fresh one in every form). The key is
recorded in the same transaction as the write it guards, so the two commit together or not at all; a second
request with the key waits on the first one's row and then replays its answer. The same key with a different
request is refused (409). Answers that wrote nothing (4xx, 5xx) are not kept, so correcting and resending works.
"""

import hashlib
import json
import re

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fuyang_portal.models import IdempotentRequest

HEADER = "HTTP_IDEMPOTENCY_KEY"
FIELD = "idempotency_key"
KEY_FORMAT = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
REPLAYED_HEADERS = ("Location", "Content-Disposition")


def _key(request):
    if request.method not in UNSAFE:
        return None
    key = request.META.get(HEADER)
    # Pages carry the key in the form; the API only in the header (its body is for the view's parser alone).
    if key is None and not request.path.startswith("/api/") and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        key = request.POST.get(FIELD) or None
    return key


def _user(request):
    """The signed-in user, by session or, for the API, by token (DRF authenticates later, in the view)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.startswith("Token "):
        from rest_framework.authtoken.models import Token

        token = Token.objects.select_related("user").filter(key=header[6:].strip()).first()
        if token is not None and token.user.is_active:
            return token.user
    return None


def fingerprint(request):
    """What makes two requests the same: method, path and content (JSON compared by value, forms by their fields
    and files, the CSRF token left out since a new page carries a new one)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type == "application/json":
        try:
            body = json.dumps(json.loads(request.body or b"null"), sort_keys=True, ensure_ascii=False).encode()
        except ValueError:
            body = request.body
        digest.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields = sorted((k, v) for k, values in request.POST.lists() for v in values if k not in ("csrfmiddlewaretoken", FIELD))
        files = sorted((k, f.name, f.size) for k, values in request.FILES.lists() for f in values)
        digest.update(json.dumps([fields, files], ensure_ascii=False).encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _refusal(request, message, status):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "idempotency_key"}, status=status)
    return render(request, "fuyang_portal/refused.html", {"message": message}, status=status)


def _replay(stored):
    response = HttpResponse(bytes(stored.body), status=stored.status_code, content_type=stored.content_type or None)
    for name, value in stored.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _key(request)
        if key is None:
            return self.get_response(request)
        if not KEY_FORMAT.match(key):
            return _refusal(request, _("The Idempotency-Key must be 8 to 100 letters, digits or . _ : -."), 400)
        user, print_ = _user(request), fingerprint(request)
        try:
            with transaction.atomic():
                # Inserting the key first makes a concurrent twin wait here until this request commits.
                record = IdempotentRequest.objects.create(user=user, key=key, fingerprint=print_)
                response = self.get_response(request)
                if response.status_code >= 400 or response.streaming:
                    record.delete()  # nothing was written: a corrected retry runs afresh
                else:
                    if record.user is None and getattr(request, "user", None) is not None and request.user.is_authenticated:
                        record.user = request.user  # signed in by the view itself: the key is that user's
                    record.status_code = response.status_code
                    record.content_type = response.get("Content-Type", "")
                    record.headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
                    record.body = response.content
                    record.save(update_fields=["user", "status_code", "content_type", "headers", "body"])
                return response
        except IntegrityError:
            pass  # the key was used before (or by a twin that has now committed)
        stored = IdempotentRequest.objects.filter(user=user, key=key).first()
        if stored is None or stored.status_code is None:
            return _refusal(request, _("A request with this Idempotency-Key is still being processed. Try again shortly."), 409)
        if stored.fingerprint != print_:
            return _refusal(request, _("This Idempotency-Key was already used for a different request."), 409)
        return _replay(stored)
