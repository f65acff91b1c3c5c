"""Signing in: the password, then for the district office and the administrators the second factor
(fuyang_portal/second_factor.py), enrolled at the first sign-in."""

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from fuyang_portal import second_factor
from fuyang_portal.forms import SignInForm


class CodeForm(forms.Form):
    idempotent = False
    code = forms.CharField(
        label=_("Code"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
    )


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not second_factor.required(user):
            return super().form_valid(form)
        second_factor.begin(self.request, user)
        url = reverse("second-factor")
        if self.get_redirect_url():
            url += "?next=" + self.get_redirect_url()
        return redirect(url)


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def second_factor_view(request):
    user, backend = second_factor.pending_user(request)
    if user is None:
        return redirect("login")
    if AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()}):
        request.session.pop(second_factor.PENDING, None)
        return render(request, "registration/locked.html", status=429)
    device = second_factor.confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = second_factor.enrolment_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if enrolling:
            codes = second_factor.confirm(request, user, device, code)
            if codes is not None:
                second_factor.finish(request, user, backend, device)
                return render(request, "registration/recovery_codes.html", {"codes": codes, "next": _next(request)})
        else:
            matched = second_factor.check(request, user, code)
            if matched is not None:
                second_factor.finish(request, user, backend, matched)
                return redirect(_next(request))
        if AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()}):
            request.session.pop(second_factor.PENDING, None)
            return render(request, "registration/locked.html", status=429)
        form.add_error("code", _("This code is not right, or was used already. Enter the code your app shows now."))
    context = {"form": form, "enrolling": enrolling, "next": _next(request), "user_name": user.display_name}
    if enrolling:
        context.update(qr=second_factor.qr_svg(device), key=second_factor.base32_key(device))
    return render(request, "registration/second_factor.html", context)
