from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fuyang_portal.navigation import NavItem
from fuyang_portal.roles import Role

STAFF = (Role.DISTRICT, Role.TOWNSHIP)


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Township programmes")
    default_auto_field = "django.db.models.BigAutoField"

    nav_items = [
        NavItem(_("Programme figures"), "programmes:figures", STAFF, order=60),
        NavItem(_("Work-list items"), "programmes:items", STAFF + (Role.AGENCY,), order=61),
        NavItem(_("Inspection findings"), "programmes:findings", STAFF, order=62),
        NavItem(_("Hotline calls"), "programmes:calls", STAFF + (Role.SPECIALIST,), order=63),
        NavItem(_("Temporary lodgings"), "programmes:lodgings", STAFF, order=64),
        NavItem(_("Health-check vouchers"), "programmes:vouchers", STAFF + (Role.CLINIC,), order=65),
        NavItem(_("Car runs"), "programmes:car-runs", STAFF, order=66),
        NavItem(_("Service stations"), "programmes:stations", STAFF, order=67),
        NavItem(_("Clinics"), "programmes:clinics", STAFF, order=68),
    ]

    def todo(self, user):
        """Township cadres and responsible people: work-list items not done, by deadline; the district office:
        findings whose rectification deadline has come; a township: hotline calls awaiting follow-up."""
        from django.urls import reverse

        from fuyang_portal.navigation import Todo, TodoKind, capped, role_of
        from programmes.models import Finding, HotlineCall, WorkItem

        role = role_of(user)
        items = []
        if role in (Role.TOWNSHIP, Role.AGENCY):
            kind = TodoKind("programmes.items", _("Work-list items to do"), reverse("programmes:items") + "?mine=true")
            rows, total = capped(
                WorkItem.objects.visible_to(user).filter(responsible_person=user).exclude(status=WorkItem.Status.DONE).order_by("deadline", "pk")
            )
            items += [Todo(str(item), item.get_absolute_url(), due=item.deadline, kind=kind, total=total) for item in rows]
        if role == Role.TOWNSHIP:
            kind = TodoKind("programmes.calls", _("Hotline calls awaiting follow-up"), reverse("programmes:calls") + "?status=follow_up")
            rows, total = capped(HotlineCall.objects.visible_to(user).filter(status=HotlineCall.Status.FOLLOW_UP).order_by("received_at", "pk"))
            items += [Todo(str(call), call.get_absolute_url(), kind=kind, since=call.received_at, total=total) for call in rows]
        if role == Role.DISTRICT:
            kind = TodoKind("programmes.findings", _("Findings to re-inspect"), reverse("programmes:findings") + "?status=open")
            rows, total = capped(
                Finding.objects.visible_to(user).filter(status=Finding.Status.OPEN).select_related("item").order_by("rectify_by", "pk")
            )
            items += [Todo(str(f), f.get_absolute_url(), due=f.rectify_by, kind=kind, total=total) for f in rows]
        return items
