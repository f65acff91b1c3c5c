from django.urls import path

from subsidies import views

app_name = "subsidies"

urlpatterns = [
    path("", views.home_redirect, name="index"),
    # Public (no sign-in): the worker's registration and status check.
    path("register/", views.public_register, name="public-register"),
    path("register/done/", views.public_done, name="public-done"),
    path("register/status/", views.public_status, name="public-status"),
    # Registrations and demand.
    path("registrations/", views.RegistrationListView.as_view(), name="registrations"),
    path("registrations/new/", views.RegistrationCreateView.as_view(), name="registration-create"),
    path("registrations/<int:pk>/", views.RegistrationDetailView.as_view(), name="registration"),
    path("demand/", views.DemandView.as_view(), name="demand"),
    # Trips.
    path("trips/", views.TripListView.as_view(), name="trips"),
    path("trips/new/", views.TripPlanView.as_view(), name="trip-plan"),
    path("trips/<int:pk>/", views.TripDetailView.as_view(), name="trip"),
    path("trips/<int:pk>/complete/", views.TripCompleteView.as_view(), name="trip-complete"),
    path("trips/<int:pk>/passengers/", views.TripAddPassengersView.as_view(), name="trip-passengers"),
    path("trips/<int:pk>/cancel/", views.TripCancelView.as_view(), name="trip-cancel"),
    path("trips/<int:trip>/claim/", views.ClaimCreateView.as_view(), name="claim-create"),
    # Claims.
    path("claims/", views.ClaimListView.as_view(), name="claims"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim"),
    path("claims/<int:pk>/edit/", views.ClaimEditView.as_view(), name="claim-edit"),
    path("claims/<int:pk>/invoice/", views.ClaimInvoiceView.as_view(), name="claim-invoice"),
    path("claims/<int:pk>/<slug:action>/", views.ClaimActionView.as_view(), name="claim-action"),
    # Policy, payouts, statistics.
    path("policy/", views.PolicyView.as_view(), name="policy"),
    path("payouts/", views.PayoutListView.as_view(), name="payouts"),
    path("payouts/new/", views.PayoutCreateView.as_view(), name="payout-create"),
    path("payouts/<int:pk>/", views.PayoutDetailView.as_view(), name="payout"),
    path("payouts/<int:pk>/export/", views.PayoutExportView.as_view(), name="payout-export"),
    path("payouts/<int:pk>/paid/", views.PayoutMarkPaidView.as_view(), name="payout-paid"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
]
