from django.urls import path

from . import appeal_views, views

app_name = "leaderboard"

urlpatterns = [
    # Public, no sign-in.
    path("", views.PublicListsView.as_view(), name="public"),
    path("lists/<str:level>/", views.PublicListsView.as_view(), name="public-level"),
    path("lists/<str:level>/<str:week_start>/", views.PublicListsView.as_view(), name="public-week"),
    # District office.
    path("manage/", views.home_redirect, name="manage"),
    path("manage/weeks/", views.WeekListView.as_view(), name="weeks"),
    path("manage/compute/", views.ComputeView.as_view(), name="compute"),
    path("manage/weeks/<int:pk>/", appeal_views.WeekDetailView.as_view(), name="week"),  # the week page with its objections
    path("manage/weeks/<int:pk>/recompute/", views.WeekActionView.as_view(action="compute"), name="recompute"),
    path("manage/weeks/<int:pk>/publish/", views.WeekActionView.as_view(action="publish"), name="publish"),
    path("manage/weeks/<int:pk>/correct/", views.WeekActionView.as_view(action="correct"), name="correct"),
    path("manage/weeks/<int:pk>/sensitivity/", views.SensitivityView.as_view(), name="sensitivity"),
    path("manage/indicators/", views.IndicatorListView.as_view(), name="indicators"),
    path("manage/indicators/<int:pk>/", views.IndicatorEditView.as_view(), name="indicator-edit"),
    path("manage/levels/<str:level>/", views.level_setting, name="level-setting"),
    path("manage/inspections/", views.InspectionScoreListView.as_view(), name="inspections"),
    path("manage/inspections/start/", views.InspectionStartView.as_view(), name="inspection-start"),
    path("manage/inspections/<str:level>/<str:week_start>/", views.InspectionSheetView.as_view(), name="inspection-sheet"),
    path("manage/inspections/<str:level>/<str:week_start>/template.xlsx", views.inspection_template, name="inspection-template"),
    # District and township staff.
    path("units/<str:level>/<int:unit_id>/", views.UnitView.as_view(), name="unit"),
    path("units/<str:level>/<int:unit_id>/weeks/<int:week_pk>/<slug:code>/", views.DrillDownView.as_view(), name="drill"),
    path("mine/", views.MyTownshipView.as_view(), name="mine"),
    # The appeal window (leaderboard/appeals.py): units object, the district decides.
    path("appeals/", appeal_views.AppealsView.as_view(), name="appeals"),
    path("appeals/scores/<int:score_pk>/object/", appeal_views.FileObjectionView.as_view(), name="objection-file"),
    path("objections/", appeal_views.ObjectionListView.as_view(), name="objections"),
    path("objections/<int:pk>/", appeal_views.ObjectionDetailView.as_view(), name="objection"),
    path("objections/<int:pk>/evidence/", appeal_views.EvidenceView.as_view(), name="objection-evidence"),
    path("objections/<int:pk>/accept/", appeal_views.ObjectionActionView.as_view(action="accept"), name="objection-accept"),
    path("objections/<int:pk>/reject/", appeal_views.ObjectionActionView.as_view(action="reject"), name="objection-reject"),
    path("manage/weeks/<int:pk>/close-appeals/", appeal_views.CloseAppealsView.as_view(), name="close-appeals"),
]
