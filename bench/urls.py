"""The portal's URLs plus the benchmark's reference: a bare view behind the same middleware."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/bare/", views.bare, name="bench-bare"),
    path("", include("fuyang_portal.urls")),
]
