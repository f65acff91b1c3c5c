from django.urls import path

from enterprises import views
from enterprises.models import PassKind

app_name = "enterprises"

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("mine/", views.MyFirmView.as_view(), name="mine"),
    path("new/", views.EnterpriseCreateView.as_view(), name="create"),
    path("import/", views.EnterpriseImportView.as_view(), name="import"),
    path("import/template/<str:kind>.xlsx", views.ImportTemplateView.as_view(), name="import-template"),
    path("exports/new/", views.EnterpriseExportCreateView.as_view(), name="export-create"),
    path("exports/<int:pk>/", views.EnterpriseExportDetailView.as_view(), name="export"),
    path("exports/<int:pk>/download/", views.EnterpriseExportDownloadView.as_view(), name="export-download"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise"),
    path("<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="edit"),
    path("requests/", views.ResumptionListView.as_view(), name="requests"),
    path("requests/queue/", views.ResumptionQueueView.as_view(), name="queue"),
    path("requests/new/", views.ResumptionCreateView.as_view(), name="request-new"),
    path("requests/<int:pk>/", views.ResumptionDetailView.as_view(), name="request"),
    path("requests/<int:pk>/edit/", views.ResumptionUpdateView.as_view(), name="request-edit"),
    path("requests/<int:pk>/submit/", views.ResumptionSubmitView.as_view(), name="request-submit"),
    path("requests/<int:pk>/approve/", views.ResumptionApproveView.as_view(), name="request-approve"),
    path("requests/<int:pk>/return/", views.ResumptionReturnView.as_view(), name="request-return"),
    path("requests/<int:pk>/plans/<str:which>/", views.PlanDownloadView.as_view(), name="request-plan"),
    path("reports/", views.ReportListView.as_view(), name="reports"),
    path("reports/new/", views.ReportCreateView.as_view(), name="report-new"),
    path("reports/latest/", views.LatestReportListView.as_view(), name="reports-latest"),
    path("reports/missing/", views.MissingReportListView.as_view(), name="reports-missing"),
    path("resumption/", views.ResumptionStatsView.as_view(), name="stats"),
    path("passes/", views.PassListView.as_view(), name="passes"),
    path("passes/queue/", views.PassQueueView.as_view(), name="pass-queue"),
    path("passes/new/vehicle/", views.PassCreateView.as_view(kind=PassKind.VEHICLE), name="pass-new-vehicle"),
    path("passes/new/employee/", views.PassCreateView.as_view(kind=PassKind.EMPLOYEE), name="pass-new-employee"),
    path("passes/import/vehicle/", views.PassImportView.as_view(kind=PassKind.VEHICLE), name="pass-import-vehicle"),
    path("passes/import/employee/", views.PassImportView.as_view(kind=PassKind.EMPLOYEE), name="pass-import-employee"),
    path("passes/<int:pk>/", views.PassDetailView.as_view(), name="pass"),
    path("passes/<int:pk>/unmask/", views.PassUnmaskView.as_view(), name="pass-unmask"),
    path("passes/<int:pk>/approve/", views.PassApproveView.as_view(), name="pass-approve"),
    path("passes/<int:pk>/revoke/", views.PassRevokeView.as_view(), name="pass-revoke"),
    path("passes/<int:pk>/print/", views.PassPrintView.as_view(), name="pass-print"),
    path("verify/<str:token>/", views.VerifyPassView.as_view(), name="verify"),
]
