"""One convention for refusals (``egov_portal.errors``) and one parser per kind of number
(``egov_portal.params``), seen from the pages and the API alike."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.models import Answer
from egov_portal.errors import Conflict, NotAllowed, WrongState, status_for
from egov_portal.params import MAX_ID, InvalidNumber, parse_id, parse_year
from egov_portal.versions import StaleVersion
from masterplan.models import MasterPlan
from opds.models import Application
from reports.models import BundleJob
from tests.assessments.factories import make_assessment, make_framework
from tests.masterplan.factories import MasterPlanFactory
from tests.opds.factories import ApplicationFactory, OPDFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotAllowed(), 403),
        (WrongState("final"), 409),
        (StaleVersion(object()), 409),
        (Conflict("x"), 409),
    ],
)
def test_each_refusal_has_one_status(error, status):
    assert status_for(error) == status


def test_a_value_error_is_not_a_refusal():
    assert status_for(ValueError("bug")) is None


@pytest.mark.parametrize("value", ["2019", " 2019 ", "2000", "2100"])
def test_a_year_the_portal_serves_is_parsed(value):
    assert parse_year(value) == int(value)


@pytest.mark.parametrize(
    "value", ["1999", "2101", "99999999999999999999999", "-2019", "20 19", "２０１９", "2e3", ""]
)
def test_anything_else_is_not_a_year(value):
    with pytest.raises(InvalidNumber):
        parse_year(value)


@pytest.mark.parametrize("value", ["0", "-1", str(MAX_ID + 1), "1" * 40, "1.0", "٣"])
def test_an_id_is_positive_and_within_the_database_range(value):
    with pytest.raises(InvalidNumber):
        parse_id(value)
    assert parse_id(str(MAX_ID)) == MAX_ID


@pytest.mark.parametrize(
    "path",
    [
        f"/applications/{MAX_ID + 1}/",
        "/applications/0/",
        f"/assessments/{'9' * 30}/",
        f"/masterplans/{MAX_ID + 1}/",
        "/reports/regions/62.10/99999.pdf",
        "/reports/regions/62.10/1999.pdf",
        "/reports/provinces/62/ranking/?year=99999999999999999999",
        "/reports/provinces/62/ranking/?year=abc",
        f"/reports/bundles/{MAX_ID + 1}/",
    ],
)
def test_a_number_out_of_range_in_a_page_address_is_404(client, admin_user, province, path):
    client.force_login(admin_user)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/assessments/{MAX_ID + 1}/answers/",
        f"/api/v1/assessments/{'9' * 30}/answers/x/history/",
    ],
)
def test_a_number_out_of_range_in_an_api_path_is_400(api, admin_user, path):
    api.force_authenticate(admin_user)
    assert api.get(path).status_code == 400


def test_a_stale_version_on_an_indicator_never_answered_is_409_in_the_api(
    api, draft, indicators, head
):
    api.force_authenticate(head)
    response = api.patch(
        f"/api/v1/assessments/{draft.pk}/answers/policy-01/",
        {"self_level": 2, "version": 3},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["current"]["version"] == 0
    assert not Answer.objects.exists()


def test_a_stale_version_on_an_indicator_never_answered_is_409_on_the_page(
    client, draft, indicators, head
):
    client.force_login(head)
    url = reverse("assessments:answer_update", kwargs={"pk": draft.pk, "indicator": "policy-01"})
    response = client.post(url, {"policy-01-self_level": "2", "policy-01-version": "3"})
    assert response.status_code == 409
    assert not Answer.objects.exists()


def test_a_change_the_status_refuses_is_a_409_with_the_reason(client, draft, head):
    client.force_login(head)
    plan = MasterPlanFactory(region=draft.region, status=MasterPlan.Status.SUPERSEDED)
    response = client.post(
        reverse("masterplan:masterplan_redraft", kwargs={"pk": plan.pk}),
        {"start_year": 2021, "end_year": 2024},
    )
    assert response.status_code == 409
    assert "disusun ulang" in response.content.decode()


def test_a_refusal_on_a_page_tells_the_reason(client, draft, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("assessments:assessment_transition", kwargs={"pk": draft.pk}),
        {"to": "submitted"},
    )
    assert response.status_code == 403
    assert "Peran Anda tidak dapat melakukan langkah ini." in response.content.decode()


def test_an_admin_cannot_link_applications_of_two_regions_through_the_api(
    api, admin_user, kominfo, katingan_opd
):
    ours, theirs = ApplicationFactory(opd=kominfo), ApplicationFactory(opd=katingan_opd)
    api.force_authenticate(admin_user)
    response = api.patch(
        f"/api/v1/applications/{ours.pk}/",
        {"integrations": [theirs.pk], "version": ours.version},
        format="json",
    )
    assert response.status_code == 400
    assert "integrations" in response.json()
    assert not Application.objects.get(pk=ours.pk).integrations.exists()


def test_the_inventory_write_functions_check_access_themselves(head, kominfo, opd_staff):
    from opds.inventory import application_create, application_update

    with pytest.raises(NotAllowed):
        application_create(user=head, opd=kominfo, name="Bukan milik kepala")
    application = application_create(user=opd_staff, opd=kominfo, name="SIMPEG")
    other_opd = OPDFactory(region=kominfo.region)
    with pytest.raises(NotAllowed):
        application_update(application, user=opd_staff, data={"opd": other_opd})
    assert Application.objects.get().opd == kominfo


def test_bundles_are_visible_to_those_who_may_rank_their_province(
    reviewer, head, admin_user, province, other_province
):
    ours = BundleJob.objects.create(province=province, year=2019)
    theirs = BundleJob.objects.create(province=other_province, year=2019)
    assert list(BundleJob.objects.visible_to(reviewer)) == [ours]
    assert not BundleJob.objects.visible_to(head).exists()
    assert set(BundleJob.objects.visible_to(admin_user)) == {ours, theirs}


@pytest.fixture
def draft(reviewer, gunung_mas):
    return make_assessment(reviewer, gunung_mas, make_framework())


@pytest.fixture
def indicators(draft):
    return {i.code: i for i in draft.framework.dimensions.first().indicators.all()}


def test_an_out_of_range_api_id_is_400_json_in_debug_too(client, admin_user, settings):
    # Django's debug error page resolves the address again; the refusal must not reach it.
    settings.DEBUG = True
    client.force_login(admin_user)
    response = client.get(f"/api/v1/assessments/{'9' * 20}/")
    assert response.status_code == 400
    assert "ID" in response.json()["detail"]
