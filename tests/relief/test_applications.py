"""申请即享: the firm applies with the named documents, the township checks, the district office decides; the
approval writes the award, paid like any other."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fuyang_portal.workflow import ActionRefused
from relief import services
from relief.models import Application, Award, Mode
from tests.factories import (
    EnterpriseFactory,
    district_user,
    enterprise_user,
    township_user,
)
from tests.relief.factories import make_policy, pdf

pytestmark = pytest.mark.django_db
P = Application.Status


def start():
    firm = EnterpriseFactory(registered_headcount=5)
    user = enterprise_user(firm)
    item = make_policy(mode=Mode.APPLY, benefit={"fixed": "3000"})
    return firm, user, item, services.start_application(user, item)


def test_the_whole_road_writes_the_award():
    firm, user, item, application = start()
    with pytest.raises(ActionRefused) as refused:
        services.submit_application(application, user)
    assert "营业执照" in refused.value.message and "租赁合同" in refused.value.message
    services.attach_document(application, user, name="营业执照", file=pdf())
    services.attach_document(application, user, name="租赁合同", file=pdf())
    services.submit_application(application, user)
    township = township_user(firm.township)
    with pytest.raises(ActionRefused):
        services.district_approve(application, district_user())  # the township checks first (409)
    services.township_approve(application, township)
    services.district_approve(application, district_user())
    application.refresh_from_db()
    assert application.status == P.APPROVED and application.award.amount == 3000
    assert application.award.status == Award.Status.PENDING  # no account yet: the firm confirms it


def test_no_second_application_for_the_period():
    _firm, user, item, _application = start()
    with pytest.raises(ActionRefused) as refused:
        services.start_application(user, item)
    assert refused.value.code == ActionRefused.CONFLICT


def test_a_malformed_file_and_an_unnamed_document_are_refused():
    _firm, user, _item, application = start()
    with pytest.raises(ActionRefused) as refused:
        services.attach_document(application, user, name="营业执照", file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"))
    assert refused.value.code == ActionRefused.INVALID
    with pytest.raises(ActionRefused):
        services.attach_document(application, user, name="身份证", file=pdf())
    assert not application.documents.exists()


def test_other_townships_and_firms_may_not_act():
    firm, user, _item, application = start()
    services.attach_document(application, user, name="营业执照", file=pdf())
    services.attach_document(application, user, name="租赁合同", file=pdf())
    with pytest.raises(ActionRefused) as refused:
        services.submit_application(application, enterprise_user(EnterpriseFactory()))
    assert refused.value.code == ActionRefused.FORBIDDEN
    services.submit_application(application, user)
    with pytest.raises(ActionRefused) as refused:
        services.township_approve(application, township_user())
    assert refused.value.code == ActionRefused.FORBIDDEN
    with pytest.raises(ActionRefused) as refused:
        services.township_return(application, township_user(firm.township), "")
    assert refused.value.code == ActionRefused.INVALID


def test_an_auto_policy_is_not_applied_for():
    firm = EnterpriseFactory()
    with pytest.raises(ActionRefused) as refused:
        services.start_application(enterprise_user(firm), make_policy())
    assert refused.value.code == ActionRefused.CONFLICT
