from django.urls import path

from specialists import loop_views, views

app_name = "specialists"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("my-firms/", views.MyFirmsView.as_view(), name="my-firms"),
    path("visits/", views.VisitListView.as_view(), name="visits"),
    path("visits/new/", views.LogVisitView.as_view(), name="visit-new"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit"),
    path("projects/", views.ProjectListView.as_view(), name="projects"),
    path("projects/new/", views.ProjectFormView.as_view(), name="project-new"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project"),
    path("projects/<int:pk>/edit/", views.ProjectFormView.as_view(), name="project-edit"),
    path("problems/", views.ProblemListView.as_view(), name="problems"),
    path("problems/queue/", views.ProblemQueueView.as_view(), name="queue"),
    path("problems/risk/", views.RiskListView.as_view(), name="risk"),
    path("problems/new/", views.RaiseProblemView.as_view(), name="problem-new"),
    path("problems/scorecard/", loop_views.AgencyScorecardView.as_view(), name="scorecard"),
    path("problems/<int:problem_pk>/parts/<int:pk>/<slug:action>/", loop_views.PartActionView.as_view(), name="part-action"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem"),
    path("problems/<int:pk>/attach/", views.AddAttachmentView.as_view(), name="problem-attach"),
    path("problems/<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("problems/<int:pk>/<slug:action>/", views.ProblemActionView.as_view(), name="problem-action"),
    path("people/", views.SpecialistListView.as_view(), name="specialists"),
    path("people/new/", views.SpecialistRegisterView.as_view(), name="specialist-new"),
    path("people/<int:pk>/", views.SpecialistDetailView.as_view(), name="specialist"),
    path("people/<int:pk>/edit/", views.SpecialistEditView.as_view(), name="specialist-edit"),
    path("assignments/", views.AssignmentListView.as_view(), name="assignments"),
    path("assignments/bulk/", views.BulkAssignView.as_view(), name="bulk-assign"),
    path("assignments/import/", views.ImportAssignmentsView.as_view(), name="import-assignments"),
    path("assignments/<int:pk>/end/", views.EndAssignmentView.as_view(), name="end-assignment"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("deadline-rules/", views.DeadlineRuleListView.as_view(), name="deadline-rules"),
    path("deadline-rules/<int:pk>/", views.DeadlineRuleEditView.as_view(), name="deadline-rule"),
]
