from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from fuyang_portal import health, prom
from fuyang_portal.api import views as api_views
from fuyang_portal.views import core, sign_in
from fuyang_portal.views import exports as export_views

places = (
    [
        path("townships/", core.TownshipListView.as_view(), name="townships"),
        path("townships/<int:pk>/", core.TownshipDetailView.as_view(), name="township"),
        path("agencies/", core.AgencyListView.as_view(), name="agencies"),
    ],
    "places",
)

exports = (
    [
        path("", export_views.ExportRequestListView.as_view(), name="list"),
        path("new/", export_views.ExportRequestCreateView.as_view(), name="new"),
        path("<int:pk>/", export_views.ExportRequestDetailView.as_view(), name="detail"),
        path("<int:pk>/approve/", export_views.ExportApproveView.as_view(), name="approve"),
        path("<int:pk>/refuse/", export_views.ExportRefuseView.as_view(), name="refuse"),
        path("<int:pk>/download/", export_views.ExportDownloadView.as_view(), name="download"),
    ],
    "exports",
)

urlpatterns = [
    path("", core.home, name="home"),
    # For the load balancer, the nodes' supervisor and Prometheus (docs/reliability.md): no sign-in, no slash.
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("metrics", prom.metrics, name="metrics"),
    path("accounts/login/", sign_in.SignInView.as_view(), name="login"),
    path("accounts/second-factor/", sign_in.second_factor_view, name="second-factor"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", core.inbox, name="inbox"),
    path("notifications/read/", core.mark_read, name="mark-all-read"),
    path("notifications/<int:pk>/read/", core.mark_read, name="mark-read"),
    path("places/", include(places)),
    path("exports/", include(exports)),
    path("audit/", core.AuditLogView.as_view(), name="audit"),
    path("audit/transitions/", core.TransitionLogView.as_view(), name="audit-transitions"),
    path("enterprises/", include("enterprises.urls")),
    path("specialists/", include("specialists.urls")),
    path("subsidies/", include("subsidies.urls")),
    path("relief/", include("relief.urls")),
    path("labour/", include("labour.urls")),
    path("programmes/", include("programmes.urls")),
    path("leaderboard/", include("leaderboard.urls")),
    path("api/v1/", include("fuyang_portal.api.urls")),
    # The unversioned paths of the first API, redirected (308 keeps the method and body) until API_SUNSET.
    re_path(r"^api/(?!v\d+/)(?P<rest>.*)$", api_views.unversioned, name="api-unversioned"),
    path("admin/", admin.site.urls),
]

handler400 = "fuyang_portal.views.errors.bad_request"
handler403 = "fuyang_portal.views.errors.permission_denied"
handler404 = "fuyang_portal.views.errors.page_not_found"
handler500 = "fuyang_portal.views.errors.server_error"
