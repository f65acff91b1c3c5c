"""Work lists: items with a responsible unit and person, progress reports with photo evidence, and the refusals:
another township's items are 404, a role without the action 403, a wrong state 409, a fake photo 400."""

from datetime import date

import pytest
from django.urls import reverse

from fuyang_portal.models import Transition
from fuyang_portal.workflow import ActionRefused
from programmes import services
from programmes.models import ItemUpdate, WorkItem
from tests.factories import AgencyFactory, TownshipFactory, agency_user, district_user, township_user
from tests.programmes.factories import JPEG, photo, work_item, work_list

pytestmark = pytest.mark.django_db


def test_a_township_keeps_a_list_whose_items_name_a_unit_and_a_person():
    lst, cadre = work_list()
    person = township_user(cadre.township, full_name="经发办 章丽")
    item = services.add_item(cadre, lst, category="reporting", indicator_code="resumption", title="复工申请每日汇总",
                             responsible_unit="镇经济发展办", responsible_person=person, deadline=date(2020, 2, 28))
    assert (item.number, item.status, item.responsible_person, item.responsible_unit) == (1, WorkItem.Status.TODO, person, "镇经济发展办")
    assert services.add_item(cadre, lst, category="reporting", indicator_code="resumption", title="第二条", responsible_unit="党政办",
                             responsible_person=person, deadline=date(2020, 2, 28)).number == 2
    assert Transition.objects.for_object(item).get().action == "create"


@pytest.mark.parametrize("change, message", [
    ({"indicator_code": "no-such-indicator"}, "Unknown contest indicator"),
    ({"number": 1}, "already on this list"),
])
def test_items_with_an_unknown_indicator_or_a_taken_number_are_refused(change, message, settings):
    settings.LANGUAGE_CODE = "en"
    item, cadre = work_item()
    row = {"category": "checkpoint", "indicator_code": "resumption", "title": "x", "responsible_unit": "u",
           "responsible_person": cadre, "deadline": date(2020, 3, 1), **change}
    with pytest.raises(ActionRefused):
        services.add_item(cadre, item.work_list, **row)
    assert WorkItem.objects.count() == 1


def test_the_responsible_person_must_be_a_cadre_of_the_township():
    lst, cadre = work_list()
    outsider = township_user(TownshipFactory())
    with pytest.raises(ActionRefused) as refused:
        services.add_item(cadre, lst, category="checkpoint", indicator_code="resumption", title="x", responsible_unit="u",
                          responsible_person=outsider, deadline=date(2020, 3, 1))
    assert refused.value.code == ActionRefused.INVALID


def test_the_responsible_person_reports_with_a_photo_and_completes_the_item():
    item, cadre = work_item()
    person = township_user(cadre.township)
    item.responsible_person = person
    item.save()
    update = services.report_progress(item, person, note="卡点已设置", photo=photo())
    item.refresh_from_db()
    assert item.status == WorkItem.Status.IN_PROGRESS and update.photo and update.author == person
    services.report_progress(item, person, note="完成", photo=photo("done.jpg", JPEG, "image/jpeg"), done=True)
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE and item.done_at is not None
    assert list(Transition.objects.for_object(item).values_list("action", flat=True).order_by("pk")) == ["create", "report", "complete"]


def test_a_report_on_a_done_item_is_a_conflict_and_changes_nothing():
    item, cadre = work_item()
    services.report_progress(item, cadre, note="完成", done=True)
    with pytest.raises(ActionRefused) as refused:
        services.report_progress(item, cadre, note="again")
    assert refused.value.code == ActionRefused.CONFLICT
    assert ItemUpdate.objects.count() == 1


def test_a_file_that_is_not_a_photo_is_refused_whatever_its_name():
    item, cadre = work_item()
    with pytest.raises(ActionRefused) as refused:
        services.report_progress(item, cadre, note="照片", photo=photo("site.png", b"MZ\x90\x00 not an image", "image/png"))
    assert refused.value.code == ActionRefused.INVALID
    item.refresh_from_db()
    assert item.status == WorkItem.Status.TODO and not ItemUpdate.objects.exists()


def test_reports_need_a_note_and_another_township_may_not_report():
    item, cadre = work_item()
    with pytest.raises(ActionRefused):
        services.report_progress(item, cadre, note="  ")
    with pytest.raises(ActionRefused) as refused:
        services.report_progress(item, township_user(TownshipFactory()), note="x")
    assert refused.value.code == ActionRefused.FORBIDDEN


def test_the_page_reports_progress_with_a_photo(client):
    item, cadre = work_item()
    client.force_login(cadre)
    response = client.post(reverse("programmes:item-report", args=[item.pk]), {"note": "已落实", "photo": photo(), "done": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE
    update = item.updates.get()
    page = client.get(item.get_absolute_url())
    assert reverse("programmes:update-photo", args=[update.pk]) in page.content.decode()
    served = client.get(reverse("programmes:update-photo", args=[update.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"


def test_another_townships_item_is_404_on_page_and_api_alike(client):
    item, _cadre = work_item()
    other = township_user(TownshipFactory())
    client.force_login(other)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.post(reverse("programmes:item-report", args=[item.pk]), {"note": "x"}).status_code == 404
    assert client.get(reverse("work-item-detail", args=[item.pk])).status_code == 404
    assert client.post(reverse("work-item-report", args=[item.pk]), {"note": "x"}, content_type="application/json").status_code == 404
    update = services.report_progress(item, _cadre, note="x", photo=photo())
    assert client.get(reverse("programmes:update-photo", args=[update.pk])).status_code == 404


def test_a_role_without_the_action_gets_403_before_its_input_is_read(client):
    item, _cadre = work_item()
    district = district_user()
    client.force_login(district)
    # The district office sees the item but reports nothing on it: it inspects.
    assert client.post(reverse("programmes:item-report", args=[item.pk]), {}).status_code == 403
    assert client.post(reverse("work-item-report", args=[item.pk]), {}, content_type="application/json").status_code == 403
    client.force_login(agency_user(AgencyFactory()))
    assert client.get(reverse("programmes:lodgings")).status_code == 403


def test_the_api_reports_with_a_multipart_photo(client):
    item, cadre = work_item()
    client.force_login(cadre)
    response = client.post(reverse("work-item-report", args=[item.pk]), {"note": "现场照片", "photo": photo()})
    assert response.status_code == 200, response.content
    assert response.json()["has_photo"] is True
    bad = client.post(reverse("work-item-report", args=[item.pk]), {"note": "x", "photo": photo("a.png", b"GIF89a....", "image/png")})
    assert bad.status_code == 400


def test_reopening_needs_a_reason_and_a_done_item():
    item, cadre = work_item()
    with pytest.raises(ActionRefused) as refused:
        services.reopen_item(item, cadre, "不合格")
    assert refused.value.code == ActionRefused.CONFLICT
    services.report_progress(item, cadre, note="完成", done=True)
    with pytest.raises(ActionRefused):
        services.reopen_item(item, cadre, "")
    services.reopen_item(item, district_user(), "督查发现未落实")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.IN_PROGRESS and item.done_at is None


def test_the_item_list_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    item, cadre = work_item()
    for n in range(15):
        services.add_item(cadre, item.work_list, category="checkpoint", indicator_code="resumption", title=f"任务{n}",
                          responsible_unit="u", responsible_person=cadre, deadline=date(2020, 3, 1))
    client.force_login(cadre)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("programmes:items")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(item.work_list.get_absolute_url()).status_code == 200


def test_a_community_groups_list_is_seen_by_its_agency_and_a_village_list_by_the_township(client):
    from tests.factories import CommunityGroupFactory, VillageFactory

    group = CommunityGroupFactory()
    cadre = township_user(group.community.township)
    client.force_login(cadre)
    response = client.post(reverse("programmes:work-list-create"), {"title": "社区清单", "community": group.community.pk})
    assert response.status_code == 302
    village = VillageFactory(township=cadre.township)
    api = client.post(reverse("work-list-list"), {"title": "村清单", "village": village.pk}, content_type="application/json")
    assert api.status_code == 201 and api.json()["village"] == village.pk
    other_village = VillageFactory()
    refused = client.post(reverse("work-list-list"), {"title": "x", "village": other_village.pk}, content_type="application/json")
    assert refused.status_code == 400
    community_list = group.community.work_lists.get()
    services.add_item(cadre, community_list, category="checkpoint", indicator_code="resumption", title="社区卡点", responsible_unit="社区",
                      responsible_person=cadre, deadline=date(2020, 3, 1))
    client.force_login(agency_user(group.agency))
    assert client.get(community_list.get_absolute_url()).status_code == 200
    assert client.get(reverse("programmes:items")).context["table"].rows[0].record.title == "社区卡点"
    village_list = village.work_lists.get()
    assert client.get(village_list.get_absolute_url()).status_code == 404
    client.force_login(district_user())
    assert client.post(reverse("work-list-list"), {"title": "x"}, content_type="application/json").status_code == 403


def test_the_item_list_names_each_items_list_by_its_unit(client):
    from tests.factories import VillageFactory

    village = VillageFactory()
    cadre = township_user(village.township)
    township_list, _ = work_list(village.township, cadre)
    village_list = services.create_work_list(cadre, title="村清单", village=village)
    for each in (township_list, village_list):
        services.add_item(cadre, each, category="checkpoint", indicator_code="resumption", title="卡点值守", responsible_unit="村委",
                          responsible_person=cadre, deadline=date(2020, 3, 1))
    client.force_login(cadre)
    html = client.get(reverse("programmes:items")).content.decode()
    assert f'data-label="单位">{village.township.name}·{village.name}</td>' in html
    assert f'data-label="单位">{village.township.name}</td>' in html
