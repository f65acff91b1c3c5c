"""The district's places, agencies and pairings, loaded from the data file."""

import pytest
from django.db.models import Count

from fuyang_portal import demo
from fuyang_portal.models import Agency, Community, CommunityGroup, Township, User, Village

pytestmark = pytest.mark.django_db


def test_the_core_demo_gives_the_reports_counts_and_is_idempotent():
    demo.load()
    counts = [Township.objects.count(), Community.objects.count(), Village.objects.count(), Agency.objects.count(), CommunityGroup.objects.count(), User.objects.count()]
    demo.load()
    assert counts[:5] == [24, 50, 276, 65, 50]
    assert [Township.objects.count(), Community.objects.count(), Village.objects.count(), Agency.objects.count(), CommunityGroup.objects.count(), User.objects.count()] == counts

    kinds = dict(Township.objects.values_list("kind").annotate(n=Count("pk")))
    assert kinds == {"subdistrict": 5, "town": 13, "township": 6}
    assert Township.objects.get(name="春江街道").kind == "subdistrict"
    # 组团捆绑: every township has at least two agencies bound to it.
    assert min(Township.objects.annotate(n=Count("paired_agencies")).values_list("n", flat=True)) >= 2
    # Staff demo accounts (the enterprise account comes with the enterprises demo); townships in two places.
    roles = set(User.objects.values_list("role", flat=True))
    assert roles >= {"district", "township", "agency", "specialist"}
    assert User.objects.filter(role="township").values("township").distinct().count() >= 2


def test_the_user_scope_must_match_the_role():
    from django.db import IntegrityError, transaction

    township = Township.objects.create(code="X1", name="测试镇", name_en="Test", kind="town")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bad1", role="township")  # no township
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bad2", role="district", township=township)  # district with a scope
    User.objects.create(username="good", role="township", township=township)
