"""Pages carry a Content Security Policy that forbids inline scripts, and no template has one."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import district_user

pytestmark = pytest.mark.django_db
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def test_pages_send_a_policy_without_inline_scripts(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_of_the_portal_contains_an_inline_script():
    offenders = []
    for template in Path(settings.BASE_DIR).glob("**/templates/**/*.html"):
        if ".venv" in template.parts or "node_modules" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        # JSON data islands are data, not scripts.
        text = re.sub(r'<script[^>]*type="application/json"[^>]*>', "", text)
        if INLINE_SCRIPT.search(text):
            offenders.append(str(template.relative_to(settings.BASE_DIR)))
    assert offenders == []


def test_the_api_docs_work_under_the_policy(client):
    client.force_login(district_user())
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200 and not INLINE_SCRIPT.search(page.content.decode())
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    redoc = client.get("/api/v1/redoc/").content.decode()
    assert "googleapis" not in redoc and not INLINE_SCRIPT.search(redoc)
