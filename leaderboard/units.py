"""The units ranked at each level: the 24 townships, the 50 community-agency groups, the 276 villages.

One query per level; each unit comes with a display name, its code (for xlsx uploads) and its township.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fuyang_portal.metrics import Level
from fuyang_portal.models import Agency, CommunityGroup, Township, User, Village
from fuyang_portal.roles import Role


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    township_id: int


def _places(model, user):
    """A page reads the places in the user's scope; the ranking itself (user None) reads every unit."""
    return model.objects.all() if user is None else model.objects.visible_to(user)


def units_of(level, user=None):
    """Every unit of ``level`` in the district's order (one query)."""
    level = Level(level)
    if level == Level.TOWNSHIP:
        return [Unit(t.pk, t.code, t.name, t.pk) for t in _places(Township, user).only("pk", "code", "name").order_by("sort_order", "code")]
    if level == Level.GROUP:
        groups = _places(CommunityGroup, user).select_related("community__township", "agency").order_by("code")
        return [Unit(g.pk, g.code, f"{g.community.township.name}·{g.community.name}+{g.agency.name}", g.community.township_id) for g in groups]
    villages = _places(Village, user).select_related("township").order_by("township__sort_order", "code")
    return [Unit(v.pk, v.code, f"{v.township.name}·{v.name}", v.township_id) for v in villages]


def unit_exists(level, unit_id):
    model = {Level.TOWNSHIP: Township, Level.GROUP: CommunityGroup, Level.VILLAGE: Village}[Level(level)]
    return model.objects.filter(pk=unit_id).exists()


def unit_township_id(level, unit_id, user=None):
    """The township a unit belongs to (a township is its own), or None for an unknown unit."""
    level = Level(level)
    if level == Level.TOWNSHIP:
        return _places(Township, user).filter(pk=unit_id).values_list("pk", flat=True).first()
    if level == Level.GROUP:
        return _places(CommunityGroup, user).filter(pk=unit_id).values_list("community__township_id", flat=True).first()
    return _places(Village, user).filter(pk=unit_id).values_list("township_id", flat=True).first()


def responsible_users(level, unit_ids):
    """The users answerable for units on the black list (one query):

    a township: its staff and the staff of the agencies paired with it; a group: its agency's staff;
    a village: its township's staff and that township's paired agencies' staff.

    The recipients of a notice the system sends when a week is published: read without a user's scope.
    """
    level = Level(level)
    unit_ids = list(unit_ids)
    if not unit_ids:
        return User.objects.none()
    if level == Level.GROUP:
        agencies = CommunityGroup.objects.filter(pk__in=unit_ids).values("agency_id")
        return User.objects.filter(is_active=True, role=Role.AGENCY, agency_id__in=agencies)
    if level == Level.TOWNSHIP:
        townships = unit_ids
    else:
        townships = Village.objects.filter(pk__in=unit_ids).values("township_id")
    paired = Agency.objects.filter(paired_township_id__in=townships).values("pk")
    return User.objects.filter(
        Q(role=Role.TOWNSHIP, township_id__in=townships) | Q(role=Role.AGENCY, agency_id__in=paired), is_active=True
    )


LEVEL_UNIT_LABEL = {Level.TOWNSHIP: _("Township"), Level.GROUP: _("Community-agency group"), Level.VILLAGE: _("Village")}
