from django.urls import path

from labour import views

app_name = "labour"

urlpatterns = [
    path("", views.index, name="index"),
    # Public (no sign-in): the vacancy board.
    path("board/", views.board, name="board"),
    path("board/<int:pk>/", views.board_vacancy, name="board-vacancy"),
    # Vacancies.
    path("vacancies/", views.VacancyListView.as_view(), name="vacancies"),
    path("vacancies/new/", views.VacancyCreateView.as_view(), name="vacancy-create"),
    path("vacancies/<int:pk>/", views.VacancyDetailView.as_view(), name="vacancy"),
    path("vacancies/<int:pk>/edit/", views.VacancyEditView.as_view(), name="vacancy-edit"),
    path("vacancies/<int:pk>/refer/", views.ReferView.as_view(), name="vacancy-refer"),
    path("vacancies/<int:pk>/refer/upload/", views.ReferUploadView.as_view(), name="vacancy-upload"),
    path("vacancies/<int:pk>/trip/", views.TripView.as_view(), name="vacancy-trip"),
    path("vacancies/<int:pk>/<slug:action>/", views.VacancyActionView.as_view(), name="vacancy-action"),
    # Candidates.
    path("candidates/", views.CandidateListView.as_view(), name="candidates"),
    path("candidates/template.xlsx", views.CandidateTemplateView.as_view(), name="candidate-template"),
    path("candidates/<int:pk>/", views.CandidateDetailView.as_view(), name="candidate"),
    path("candidates/<int:pk>/<slug:action>/", views.CandidateActionView.as_view(), name="candidate-action"),
    # Publicity, figures, partner counties.
    path("publicise/", views.TextsView.as_view(), name="texts"),
    path("publicise/print/", views.PrintView.as_view(), name="print"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("counties/", views.CountyListView.as_view(), name="counties"),
    path("counties/new/", views.CountyCreateView.as_view(), name="county-create"),
    path("counties/<int:pk>/", views.CountyDetailView.as_view(), name="county"),
]
