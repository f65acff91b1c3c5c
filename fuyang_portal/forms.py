from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    idempotent = False  # a sign-in is never replayed: its answer carries a new session

    username = forms.CharField(label=_("User name"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
