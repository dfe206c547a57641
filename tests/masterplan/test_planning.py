import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from egov_portal.errors import WrongState
from masterplan import workflow
from masterplan.models import MasterPlan, Programme, Target
from tests.masterplan.factories import dimension
from tests.opds.factories import user_with_role


def programme_fields(plan, opd, **extra):
    return {
        "dimension": dimension(plan, "planning"),
        "name": "Penyusunan arsitektur SPBE",
        "opd": opd,
        "description": "Arsitektur SPBE kabupaten",
        "expected_output": "Dokumen arsitektur SPBE",
        **extra,
    }


def test_head_adds_a_programme_and_its_target_to_own_plan(plan, head, kominfo):
    programme = workflow.programme_create(plan, user=head, **programme_fields(plan, kominfo))
    target = workflow.target_create(
        programme,
        user=head,
        year=2019,
        metric="Dokumen",
        unit="dokumen",
        baseline=0,
        target=1,
        budget_planned=150_000_000,
        funding_source="apbd",
    )
    assert programme.plan == plan and target.updated_by == head
    assert list(programme.targets.values_list("year", flat=True)) == [2019]


def test_a_target_year_outside_the_plan_is_refused_and_nothing_saved(plan, head, programme):
    with pytest.raises(ValidationError) as error:
        workflow.target_create(
            programme, user=head, year=2023, metric="x", unit="x", baseline=0, target=1
        )
    assert "di luar periode rencana 2017–2020" in error.value.message_dict["year"][0]
    assert not Target.objects.filter(year=2023).exists()


def test_an_opd_of_another_region_is_refused(plan, head, katingan_opd):
    with pytest.raises(ValidationError) as error:
        workflow.programme_create(plan, user=head, **programme_fields(plan, katingan_opd))
    assert "opd" in error.value.message_dict
    assert plan.programmes.count() == 1


def test_only_the_regions_head_or_an_admin_plans(plan, reviewer, katingan, kominfo):
    other_head = user_with_role("head", region=katingan)
    for user in (reviewer, other_head):
        with pytest.raises(PermissionDenied):
            workflow.programme_create(plan, user=user, **programme_fields(plan, kominfo))
    assert plan.programmes.count() == 1


def test_a_superseded_plan_takes_no_new_programmes(plan, head, kominfo):
    MasterPlan.objects.filter(pk=plan.pk).update(status=MasterPlan.Status.SUPERSEDED)
    plan.refresh_from_db()
    with pytest.raises(WrongState, match="berstatus"):
        workflow.programme_create(plan, user=head, **programme_fields(plan, kominfo))


def test_the_pages_add_a_programme_then_a_target(client, plan, head, kominfo):
    client.force_login(head)
    url = reverse("masterplan:programme_create", kwargs={"pk": plan.pk})
    assert "Tambah program" in client.get(plan.get_absolute_url()).content.decode()
    response = client.post(
        url,
        {
            "dimension": dimension(plan, "planning").pk,
            "name": "Penyusunan arsitektur SPBE",
            "opd": kominfo.pk,
            "expected_output": "Dokumen arsitektur",
        },
    )
    programme = Programme.objects.get(name="Penyusunan arsitektur SPBE")
    assert response.url == programme.get_absolute_url()
    target_url = reverse(
        "masterplan:target_create", kwargs={"plan_pk": plan.pk, "pk": programme.pk}
    )
    response = client.post(
        target_url,
        {
            "year": 2030,
            "metric": "Dokumen",
            "unit": "dokumen",
            "baseline": "0",
            "target": "1",
            "budget_planned": "150.000.000",
            "funding_source": "apbd",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "di luar periode rencana" in content and 'value="Dokumen"' in content
    response = client.post(
        target_url,
        {
            "year": 2019,
            "metric": "Dokumen",
            "unit": "dokumen",
            "baseline": "0",
            "target": "1",
            "budget_planned": "150.000.000",
            "funding_source": "apbd",
        },
    )
    assert response.status_code == 302
    assert programme.targets.get().budget_planned == 150_000_000


def test_another_regions_head_gets_404_and_a_reviewer_403(client, plan, reviewer, katingan):
    url = reverse("masterplan:programme_create", kwargs={"pk": plan.pk})
    client.force_login(user_with_role("head", region=katingan))
    assert client.get(url).status_code == 404
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
