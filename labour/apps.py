from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fuyang_portal.navigation import Card, NavItem
from fuyang_portal.roles import Role

STAFF = (Role.DISTRICT, Role.TOWNSHIP, Role.SPECIALIST, Role.ENTERPRISE, Role.COUNTY)


class LabourConfig(AppConfig):
    name = "labour"
    verbose_name = _("Labour matching")
    default_auto_field = "django.db.models.BigAutoField"

    nav_items = [
        NavItem(_("Vacancies"), "labour:vacancies", STAFF, order=50),
        NavItem(_("Candidates"), "labour:candidates", STAFF, order=51),
        NavItem(_("Texts for SMS and WeChat"), "labour:texts", (Role.DISTRICT, Role.TOWNSHIP), order=52),
        NavItem(_("Labour figures"), "labour:figures", (Role.DISTRICT, Role.TOWNSHIP), order=53),
        NavItem(_("Partner counties"), "labour:counties", (Role.DISTRICT,), order=54),
        NavItem(_("Vacancy board"), "labour:board", STAFF, order=55),
    ]

    def home_cards(self, user):
        from fuyang_portal.navigation import role_of
        from labour.models import Candidate, CandidateStatus, Vacancy, VacancyStatus

        role = role_of(user)
        if role not in Vacancy.objects.open_roles():
            return []
        vacancies = Vacancy.objects.visible_to(user)
        cards = [Card(_("Published vacancies"), vacancies.filter(status=VacancyStatus.PUBLISHED).count(),
                      reverse("labour:vacancies") + f"?status={VacancyStatus.PUBLISHED}")]
        if role in (Role.DISTRICT, Role.TOWNSHIP):
            waiting = vacancies.filter(status=VacancyStatus.SUBMITTED).count()
            cards.append(Card(_("Vacancies awaiting publication"), waiting, reverse("labour:vacancies") + f"?status={VacancyStatus.SUBMITTED}",
                              tone="warning" if waiting else "primary"))
        if role in (Role.ENTERPRISE, Role.COUNTY):
            referred = Candidate.objects.visible_to(user).filter(status=CandidateStatus.REFERRED).count()
            cards.append(Card(_("Candidates awaiting the firm's decision"), referred,
                              reverse("labour:candidates") + f"?status={CandidateStatus.REFERRED}", tone="warning" if referred else "primary"))
        return cards

    def todo(self, user):
        """Township: vacancies to publish. Firm: candidates to accept or decline, workers to receive."""
        from fuyang_portal import policy
        from fuyang_portal.navigation import Todo, TodoKind, capped, role_of
        from labour.models import Candidate, CandidateStatus, Vacancy, VacancyStatus

        role = role_of(user)
        items = []
        if role == Role.TOWNSHIP:
            kind = TodoKind("labour.publish", _("Vacancies to publish"), reverse("labour:vacancies") + f"?status={VacancyStatus.SUBMITTED}")
            rows, total = capped(Vacancy.objects.visible_to(user).filter(status=VacancyStatus.SUBMITTED).select_related("enterprise").order_by("created_at", "pk"))
            for vacancy in rows:
                if "publish" in policy.allowed_actions(user, vacancy):
                    items.append(Todo(_("Review and publish the vacancy of %(firm)s") % {"firm": vacancy.enterprise.name},
                                      vacancy.get_absolute_url(), kind=kind, since=vacancy.created_at, total=total))
        if role == Role.ENTERPRISE:
            kind = TodoKind("labour.decide", _("Candidates to decide"), reverse("labour:candidates") + f"?status={CandidateStatus.REFERRED}")
            rows, total = capped(Candidate.objects.visible_to(user).filter(status=CandidateStatus.REFERRED)
                                 .select_related("county", "vacancy__enterprise").order_by("referred_at", "pk"))
            for candidate in rows:
                items.append(Todo(_("Accept or decline %(name)s from %(county)s") % {"name": candidate.masked_name, "county": candidate.county.name},
                                  candidate.get_absolute_url(), due=candidate.earliest_travel_date, kind=kind, since=candidate.referred_at, total=total))
        return items
