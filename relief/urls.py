from django.urls import path

from relief import views

app_name = "relief"

urlpatterns = [
    path("", views.PolicyListView.as_view(), name="policies"),
    # Public (no sign-in): the policies in force.
    path("catalogue/", views.catalogue, name="catalogue"),
    path("new/", views.PolicyCreateView.as_view(), name="policy-create"),
    path("policies/<int:pk>/", views.PolicyDetailView.as_view(), name="policy"),
    path("policies/<int:pk>/revise/", views.PolicyReviseView.as_view(), name="policy-revise"),
    path("policies/<int:pk>/publish/", views.PolicyPublishView.as_view(), name="policy-publish"),
    path("policies/<int:pk>/withdraw/", views.PolicyWithdrawView.as_view(), name="policy-withdraw"),
    path("policies/<int:pk>/match/", views.PolicyMatchView.as_view(), name="policy-match"),
    path("policies/<int:pk>/apply/", views.ApplyView.as_view(), name="policy-apply"),
    path("mine/", views.MineView.as_view(), name="mine"),
    path("firms/<int:pk>/", views.FirmStandingsView.as_view(), name="firm"),
    path("nudge/", views.NudgeView.as_view(), name="nudge"),
    path("awards/", views.AwardListView.as_view(), name="awards"),
    path("awards/batch/", views.BatchView.as_view(), name="batch"),
    path("awards/<int:pk>/", views.AwardDetailView.as_view(), name="award"),
    path("awards/<int:pk>/confirm/", views.AwardConfirmView.as_view(), name="award-confirm"),
    path("awards/<int:pk>/cancel/", views.AwardCancelView.as_view(), name="award-cancel"),
    path("awards/<int:pk>/recover/", views.AwardRecoverView.as_view(), name="award-recover"),
    path("recoveries/<int:pk>/settle/", views.RecoverySettleView.as_view(), name="recovery-settle"),
    path("applications/", views.ApplicationListView.as_view(), name="applications"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application"),
    path("applications/<int:pk>/documents/", views.DocumentUploadView.as_view(), name="application-upload"),
    path("applications/<int:pk>/<slug:action>/", views.ApplicationActionView.as_view(), name="application-action"),
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
]
