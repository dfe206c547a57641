import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import cycles
from assessments.models import Assessment, Cycle
from opds.models import Membership
from tests.assessments.test_cycles import new_cycle
from tests.opds.factories import user_with_role

D = datetime.date
LIST = reverse("assessments:cycle_list")
CREATE = reverse("assessments:cycle_create")


@pytest.fixture
def cycle(province, framework, reviewer):
    return cycles.cycle_save(new_cycle(province, framework), user=reviewer)


@pytest.fixture
def extensions(cycle, reviewer, gunung_mas, katingan):
    for region, reason in ((gunung_mas, "Banjir di Kuala Kurun"), (katingan, "Pergantian kepala")):
        cycles.extension_grant(
            cycle,
            user=reviewer,
            region=region,
            stage="self_assessment",
            until=D(2020, 10, 16),
            reason=reason,
        )


def cycle_data(**changes):
    data = {
        "province": "62",
        "year": "2021",
        "framework": "mini",
        "self_assessment_opens": "2021-07-01",
        "submission_deadline": "2021-09-30",
        "verification_starts": "2021-10-04",
        "verification_ends": "2021-11-26",
        "finalisation_deadline": "2021-12-17",
    }
    return {**data, **changes}


def test_the_cycles_page_shows_stages_and_the_extensions_a_user_may_read(
    client, extensions, reviewer, head, django_assert_max_num_queries
):
    client.force_login(reviewer)
    with django_assert_max_num_queries(12):
        page = client.get(LIST).content.decode()
    assert "Provinsi Kalimantan Tengah · 2020" in page
    assert "30 September 2020" in page
    assert "Banjir di Kuala Kurun" in page and "Pergantian kepala" in page
    assert reverse("assessments:extension_create", kwargs={"pk": Cycle.objects.get().pk}) in page
    client.force_login(head)
    page = client.get(LIST).content.decode()
    # A head reads the deadlines and their own region's extension, not a neighbour's reason.
    assert "30 September 2020" in page and "Banjir di Kuala Kurun" in page
    assert "Pergantian kepala" not in page
    assert reverse("assessments:cycle_create") not in page


def test_the_cycles_page_is_in_the_navigation_of_every_role(client, cycle, opd_staff):
    client.force_login(opd_staff)
    page = client.get(reverse("opds:home")).content.decode()
    assert f'href="{LIST}"' in page
    assert "30 September 2020" in client.get(LIST).content.decode()


def test_a_reviewer_of_another_province_does_not_see_our_cycle(client, cycle, other_province):
    client.force_login(user_with_role(Membership.Role.REVIEWER, region=other_province))
    assert "Provinsi Kalimantan Tengah · 2020" not in client.get(LIST).content.decode()
    url = reverse("assessments:cycle_update", kwargs={"pk": cycle.pk})
    assert client.get(url).status_code == 404


def test_a_reviewer_creates_a_cycle(client, framework, reviewer, province):
    client.force_login(reviewer)
    response = client.post(CREATE, cycle_data())
    assert response.status_code == 302
    cycle = Cycle.objects.get()
    assert (cycle.province, cycle.year, cycle.submission_deadline) == (
        province,
        2021,
        D(2021, 9, 30),
    )


def test_a_deadline_before_its_stage_starts_is_a_400_that_keeps_the_input(
    client, framework, reviewer
):
    client.force_login(reviewer)
    response = client.post(CREATE, cycle_data(submission_deadline="2021-06-30"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Batas pengajuan tidak boleh sebelum penilaian mandiri dibuka." in page
    assert 'value="2021-06-30"' in page and 'value="2021-11-26"' in page
    assert not Cycle.objects.exists()


def test_a_head_may_not_set_a_cycle(client, cycle, head):
    client.force_login(head)
    assert client.post(CREATE, cycle_data()).status_code == 403
    url = reverse("assessments:cycle_update", kwargs={"pk": cycle.pk})
    assert client.post(url, cycle_data(year="2020")).status_code == 403


def test_a_reviewer_moves_a_deadline(client, cycle, reviewer):
    client.force_login(reviewer)
    url = reverse("assessments:cycle_update", kwargs={"pk": cycle.pk})
    assert client.get(url).status_code == 200
    data = cycle_data(year="2020", framework="mini", submission_deadline="2020-10-02")
    data.update(
        self_assessment_opens="2020-07-01",
        verification_starts="2020-10-05",
        verification_ends="2020-11-27",
        finalisation_deadline="2020-12-18",
    )
    assert client.post(url, data).status_code == 302
    cycle.refresh_from_db()
    assert cycle.submission_deadline == D(2020, 10, 2)


def test_an_extension_without_a_reason_is_a_400_that_keeps_the_input(
    client, cycle, reviewer, gunung_mas
):
    client.force_login(reviewer)
    url = reverse("assessments:extension_create", kwargs={"pk": cycle.pk})
    data = {"region": "62.10", "stage": "self_assessment", "until": "2020-10-16", "reason": " "}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tuliskan alasan perpanjangan." in page
    assert 'value="2020-10-16"' in page
    response = client.post(url, {**data, "until": "2020-09-01", "reason": "Banjir"})
    assert response.status_code == 400
    assert "harus setelah tenggat" in response.content.decode()
    assert client.post(url, {**data, "reason": "Banjir"}).status_code == 302
    assert cycle.extensions.get().reason == "Banjir"


def test_the_assessment_pages_show_the_step_late_and_the_extension(
    client, cycle, draft, head, reviewer, gunung_mas, settings
):
    client.force_login(head)
    detail = reverse("assessments:assessment_detail", kwargs={"pk": draft.pk})
    page = client.get(detail).content.decode()
    # The cycle is of 2020: today, long past, the self-assessment is late.
    assert 'data-testid="cycle-step"' in page
    assert "Penilaian mandiri" in page and "30 September 2020" in page
    assert 'data-testid="cycle-late"' in page and "terlambat" in page
    cycles.extension_grant(
        cycle,
        user=reviewer,
        region=gunung_mas,
        stage="self_assessment",
        until=D(2020, 10, 16),
        reason="Banjir di Kuala Kurun",
    )
    dimension = reverse(
        "assessments:assessment_dimension", kwargs={"pk": draft.pk, "dimension": "policy"}
    )
    page = client.get(dimension).content.decode()
    assert "16 Oktober 2020" in page and "Banjir di Kuala Kurun" in page


def test_an_assessment_without_a_cycle_has_no_banner(client, draft, head):
    client.force_login(head)
    page = client.get(reverse("assessments:assessment_detail", kwargs={"pk": draft.pk}))
    assert 'data-testid="cycle-step"' not in page.content.decode()


def test_a_final_assessment_shows_done_not_late(client, cycle, draft, head):
    Assessment.objects.filter(pk=draft.pk).update(status="final")
    client.force_login(head)
    page = client.get(reverse("assessments:assessment_detail", kwargs={"pk": draft.pk}))
    assert 'data-testid="cycle-late"' not in page.content.decode()


# The API.


@pytest.fixture
def api():
    return APIClient()


def test_the_api_serves_cycles_with_stages_and_extensions(
    api, extensions, province, framework, reviewer, head, django_assert_max_num_queries
):
    cycles.cycle_save(new_cycle(province, framework, year=2019), user=reviewer)
    api.force_authenticate(reviewer)
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/cycles/", {"year": 2020, "province": "62"}).json()
    assert body["count"] == 1
    cycle = body["results"][0]
    assert (cycle["province"], cycle["year"], cycle["framework"]) == ("62", 2020, "mini")
    assert cycle["stages"] == [
        {
            "code": "self_assessment",
            "name": "Penilaian mandiri",
            "starts": "2020-07-01",
            "ends": "2020-09-30",
        },
        {
            "code": "verification",
            "name": "Masa verifikasi",
            "starts": "2020-10-05",
            "ends": "2020-11-27",
        },
        {
            "code": "finalisation",
            "name": "Finalisasi",
            "starts": "2020-11-28",
            "ends": "2020-12-18",
        },
    ]
    assert cycle["extensions"] == [
        {
            "region": "62.06",
            "stage": "self_assessment",
            "until": "2020-10-16",
            "reason": "Pergantian kepala",
        },
        {
            "region": "62.10",
            "stage": "self_assessment",
            "until": "2020-10-16",
            "reason": "Banjir di Kuala Kurun",
        },
    ]
    assert [c["year"] for c in api.get("/api/v1/cycles/").json()["results"]] == [2020, 2019]
    api.force_authenticate(head)
    body = api.get("/api/v1/cycles/?year=2020").json()
    assert [e["region"] for e in body["results"][0]["extensions"]] == ["62.10"]


@pytest.mark.parametrize("query", ["?year=20x0", "?year=1999", "?province=kalteng"])
def test_the_api_refuses_invalid_filters(api, cycle, reviewer, query):
    api.force_authenticate(reviewer)
    response = api.get(f"/api/v1/cycles/{query}")
    assert response.status_code == 400


def test_the_api_filters_by_province(api, cycle, admin_user, other_province, framework):
    cycles.cycle_save(new_cycle(other_province, framework), user=admin_user)
    api.force_authenticate(admin_user)
    body = api.get("/api/v1/cycles/?province=63").json()
    assert [c["province"] for c in body["results"]] == ["63"]


def test_a_reviewers_new_cycle_form_offers_their_province_chosen(client, framework, reviewer):
    client.force_login(reviewer)
    page = client.get(CREATE).content.decode()
    assert '<option value="62" selected>' in page


def test_a_new_cycle_form_suggests_the_framework_of_the_provinces_latest_cycle(
    client, cycle, reviewer, gunung_mas
):
    from tests.assessments.factories import make_assessment, make_framework

    # Newer elsewhere, but the province's own last cycle is what a reviewer repeats.
    make_assessment(reviewer, gunung_mas, make_framework(code="other"), year=2022)
    client.force_login(reviewer)
    form = client.get(CREATE).context["form"]
    assert (form["province"].value(), form["framework"].value()) == ("62", "mini")
