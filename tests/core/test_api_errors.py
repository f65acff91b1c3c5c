"""A refused action reaches API clients as 400, 403 or 409 with its translated message."""

import pytest
from django.utils import translation

from fuyang_portal.api.exceptions import exception_handler
from fuyang_portal.workflow import ActionRefused


@pytest.mark.parametrize(
    "code,status", [(ActionRefused.INVALID, 400), (ActionRefused.FORBIDDEN, 403), (ActionRefused.CONFLICT, 409)]
)
def test_refusals_map_to_http_statuses(code, status):
    response = exception_handler(ActionRefused("不可以", code), {})
    assert response.status_code == status
    assert response.data == {"detail": "不可以", "code": code}


def test_the_message_is_in_the_users_language():
    from django.utils.translation import gettext_lazy as _

    refusal = ActionRefused(_("You may not do this to this record."), ActionRefused.FORBIDDEN)
    with translation.override("zh-hans"):
        assert exception_handler(refusal, {}).data["detail"] == "您无权对该记录执行此操作。"
    with translation.override("en"):
        assert exception_handler(refusal, {}).data["detail"] == "You may not do this to this record."
