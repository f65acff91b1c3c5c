"""Uploaded files (plans, invoices, problem attachments) live in private storage and are only handed out by
views that first find the record in the user's scope: asking the web server for the stored path under
/static/ or /media/ (or the storage folder's own name) answers 404, to strangers and signed-in staff alike."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.security.world import build_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("record, field", [("attachment", "file"), ("claim", "invoice_image"), ("request", "prevention_plan")])
def test_stored_files_are_never_served_from_the_web_root(client, record, field):
    users, ours, _, _ = build_world()
    stored = getattr(ours.objects[record], field)
    assert stored.name and stored.storage.exists(stored.name)
    folder = settings.PRIVATE_MEDIA_ROOT.name
    paths = [f"/static/{stored.name}", f"/media/{stored.name}", f"/{folder}/{stored.name}", f"/{stored.name}", f"/static/../{folder}/{stored.name}"]
    for user in (None, users["district"]):
        client.logout()
        if user is not None:
            client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 404, (path, response.status_code)
    assert not settings.MEDIA_ROOT or str(settings.PRIVATE_MEDIA_ROOT) not in str(settings.MEDIA_ROOT)


def test_the_scoped_download_serves_the_file_to_its_firm_only(client):
    users, ours, theirs, _ = build_world()
    problem, attachment = ours.objects["problem"], ours.objects["attachment"]
    url = reverse("specialists:attachment", args=[problem.pk, attachment.pk])
    client.force_login(users["enterprise"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    other = theirs.objects["attachment"]
    assert client.get(reverse("specialists:attachment", args=[theirs.objects["problem"].pk, other.pk])).status_code == 404
