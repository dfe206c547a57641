from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Answer, Indicator
from assessments.scoring import framework_spec
from masterplan.models import MasterPlan, Target
from opds.models import Membership
from tests.assessments.factories import make_assessment
from tests.masterplan.factories import DimensionTargetFactory
from tests.opds.factories import user_with_role

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def katingan_head(katingan):
    return user_with_role(Membership.Role.HEAD, region=katingan, username="kadis.katingan")


def detail_url(plan):
    return reverse("masterplan:masterplan_detail", kwargs={"pk": plan.pk})


def programme_url(programme):
    return reverse(
        "masterplan:programme_detail", kwargs={"plan_pk": programme.plan_id, "pk": programme.pk}
    )


def row_data(target, **values):
    prefix = f"target-{target.pk}"
    data = {
        "realisation": "",
        "budget_realised": "",
        "notes": "",
        "evidence": "",
        **values,
    }
    return {f"{prefix}-{name}": value for name, value in data.items()}


def update_url(target):
    return reverse("masterplan:target_update", kwargs={"pk": target.pk})


def test_anonymous_users_are_sent_to_log_in(client, plan):
    response = client.get(detail_url(plan))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_list_shows_each_user_the_plans_of_their_regions(
    client, plan, katingan_plan, reviewer, head, opd_staff
):
    client.force_login(reviewer)
    content = client.get(reverse("masterplan:masterplan_list")).content.decode()
    assert "Masterplan e-Government Gunung Mas" in content
    assert "Masterplan e-Government Katingan" in content
    client.force_login(head)
    content = client.get(reverse("masterplan:masterplan_list")).content.decode()
    assert "Masterplan e-Government Gunung Mas" in content
    assert "Katingan" not in content
    client.force_login(opd_staff)
    content = client.get(reverse("masterplan:masterplan_list")).content.decode()
    assert "Masterplan e-Government" not in content


def test_the_list_filters_by_region(client, plan, katingan_plan, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("masterplan:masterplan_list"), {"region": "62.06"})
    content = response.content.decode()
    assert "Masterplan e-Government Katingan" in content
    assert "Masterplan e-Government Gunung Mas" not in content


@pytest.mark.parametrize("who", ["katingan_head", "opd_staff"])
def test_plans_outside_the_users_scope_are_not_found(client, plan, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(detail_url(plan)).status_code == 404
    assert client.get(programme_url(plan.programmes.get())).status_code == 404
    review = reverse("masterplan:masterplan_review", kwargs={"pk": plan.pk})
    assert client.get(review).status_code == 404


def test_the_overview_shows_rupiah_and_per_cent_the_indonesian_way(client, plan, head):
    client.force_login(head)
    response = client.get(detail_url(plan))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Rp 2.250.000.000" in content  # planned over both years
    assert "Rp 1.000.000.000" in content  # realised
    assert "80,0%" in content  # budget absorption 2017
    # Progress: 2017 met, 2018 over and unrecorded counts 0 → 50 %.
    assert (
        '<span class="fw-semibold" data-testid="dimension-progress-infrastructure">50,0%' in content
    )


def chart_of(content, code):
    return content.split(f'data-testid="chart-{code}"', 1)[1].split("</figure>", 1)[0]


def test_a_plan_without_assessments_charts_its_targets_and_says_why_scores_are_missing(
    client, plan, head
):
    DimensionTargetFactory(plan=plan, year=2018, score=Decimal("2.50"))
    client.force_login(head)
    content = client.get(detail_url(plan)).content.decode()
    chart = chart_of(content, "policy")
    # The legend lists only what the chart draws: no entry for a series without a value.
    assert ">Target skor rencana</text>" in chart
    assert ">Skor penilaian</text>" not in chart
    assert 'data-testid="no-scores-note"' in content
    assert "Belum ada penilaian pada tahun 2017–2020" in content
    assert "Lingkaran terbuka" not in content


def test_a_plan_with_an_assessment_charts_both_series_without_the_note(
    client, plan, head, reviewer
):
    DimensionTargetFactory(plan=plan, year=2018, score=Decimal("2.50"))
    assessment = make_assessment(reviewer, plan.region, plan.framework, year=2018)
    for indicator in Indicator.objects.filter(dimension__framework=plan.framework):
        Answer.objects.create(assessment=assessment, indicator=indicator, verified_level=3)
    client.force_login(head)
    content = client.get(detail_url(plan)).content.decode()
    chart = chart_of(content, "policy")
    assert ">Target skor rencana</text>" in chart
    assert ">Skor penilaian</text>" in chart
    assert 'data-testid="no-scores-note"' not in content


def test_the_overview_draws_the_score_chart_with_title_description_and_a_table(
    client, plan, head, reviewer
):
    assessment = make_assessment(reviewer, plan.region, plan.framework, year=2018)
    for indicator in Indicator.objects.filter(dimension__framework=plan.framework):
        Answer.objects.create(assessment=assessment, indicator=indicator, verified_level=3)
    client.force_login(head)
    content = client.get(detail_url(plan)).content.decode()
    chart = content.split('data-testid="chart-policy"', 1)[1].split("</figure>", 1)[0]
    assert 'class="chart" role="img"' in chart
    assert "<title" in chart and "<desc" in chart
    assert "2018: target —, skor 3,00 (sementara)" in chart
    assert "<circle" in chart
    table = content.split('data-testid="score-table"', 1)[1].split("</table>", 1)[0]
    assert "3,00" in table


def test_the_overview_in_english_uses_english_number_formats(client, plan, head):
    client.force_login(head)
    client.cookies["portal_language"] = "en"
    content = client.get(detail_url(plan)).content.decode()
    assert "Rp 2,250,000,000" in content
    assert "80.0%" in content


def test_only_editors_see_the_plan_actions(client, plan, head, reviewer):
    client.force_login(head)
    assert "Tandai sudah dievaluasi" in client.get(detail_url(plan)).content.decode()
    client.force_login(reviewer)
    content = client.get(detail_url(plan)).content.decode()
    assert "Tandai sudah dievaluasi" not in content
    assert "Lihat evaluasi capaian" in content


def test_the_overview_takes_a_bounded_number_of_queries(
    client, big_plan, head, reviewer, django_assert_max_num_queries
):
    for year in (2021, 2022):
        make_assessment(reviewer, big_plan.region, big_plan.framework, year=year)
    client.force_login(head)
    # Two of them read the history of the plan and its programmes; one counts the unread
    # notifications in the navigation.
    with django_assert_max_num_queries(23):
        response = client.get(detail_url(big_plan))
    assert len(response.context["progress"].programmes) == 15


def test_the_list_and_the_review_take_a_bounded_number_of_queries(
    client, big_plan, katingan_plan, reviewer, django_assert_max_num_queries
):
    client.force_login(reviewer)
    # The frameworks' structures (their dimensions), built once per process.
    framework_spec(big_plan.framework)
    framework_spec(katingan_plan.framework)
    with django_assert_max_num_queries(12):
        client.get(reverse("masterplan:masterplan_list"))
    with django_assert_max_num_queries(20):
        client.get(reverse("masterplan:masterplan_review", kwargs={"pk": big_plan.pk}))


def test_the_programme_page_takes_a_bounded_number_of_queries(
    client, big_plan, head, django_assert_max_num_queries
):
    client.force_login(head)
    programme = big_plan.programmes.first()
    # One of them counts the unread notifications in the navigation.
    with django_assert_max_num_queries(11):
        response = client.get(programme_url(programme))
    assert len(response.context["rows"]) == 4


def test_the_programme_page_offers_inputs_only_for_years_that_have_begun(client, gunung_mas, head):
    from masterplan.progress import current_year
    from tests.masterplan.factories import MasterPlanFactory, ProgrammeFactory, targets

    year = current_year()
    plan = MasterPlanFactory(region=gunung_mas, start_year=year, end_year=year + 1)
    programme = ProgrammeFactory(plan=plan)
    this, next_ = targets(programme, (year, 0, 5, None), (year + 1, 0, 10, None))
    client.force_login(head)
    content = client.get(programme_url(programme)).content.decode()
    assert f'name="target-{this.pk}-realisation"' in content
    assert f'name="target-{next_.pk}-realisation"' not in content


def test_a_reviewer_reads_the_programme_page_without_inputs(
    client, programme, target_2018, reviewer
):
    client.force_login(reviewer)
    content = client.get(programme_url(programme)).content.decode()
    assert "Jaringan intra pemerintah" in content
    assert f'name="target-{target_2018.pk}-realisation"' not in content


def test_saving_a_row_with_htmx_redraws_the_row_and_the_programme_summary(
    client, target_2018, head
):
    client.force_login(head)
    response = client.post(
        update_url(target_2018),
        row_data(target_2018, realisation="15", budget_realised="Rp 750.000.000", notes="Dua OPD"),
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith("<tr")
    assert "Tersimpan." in content
    assert 'data-testid="target-percent-2018">\n    75,0%' in content
    summary = content.split('id="programme-summary"', 1)[1]
    assert 'hx-swap-oob="true"' in summary
    assert "87,5%" in summary  # (100 % + 75 %) / 2
    target_2018.refresh_from_db()
    assert target_2018.realisation == Decimal(15)
    assert target_2018.budget_realised == 750_000_000
    assert target_2018.notes == "Dua OPD"
    assert target_2018.updated_by == head


def test_a_row_takes_decimals_with_a_comma(client, target_2018, head):
    client.force_login(head)
    client.post(update_url(target_2018), row_data(target_2018, realisation="12,5"), **HTMX)
    target_2018.refresh_from_db()
    assert target_2018.realisation == Decimal("12.5")


def test_invalid_input_keeps_what_was_typed_and_saves_nothing(client, target_2018, head):
    client.force_login(head)
    response = client.post(
        update_url(target_2018),
        row_data(target_2018, realisation="lima belas", notes="catatan baru"),
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert 'value="lima belas"' in content
    assert "catatan baru" in content
    assert "Tulis angka, misalnya 12 atau 12,5." in content
    assert 'aria-invalid="true"' in content
    target_2018.refresh_from_db()
    assert (target_2018.realisation, target_2018.notes) == (None, "")


def test_a_negative_budget_is_refused_with_its_message(client, target_2018, head):
    client.force_login(head)
    response = client.post(
        update_url(target_2018),
        row_data(target_2018, realisation="12", budget_realised="-5.000"),
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "Anggaran tidak boleh negatif." in content
    assert 'value="-5.000"' in content
    target_2018.refresh_from_db()
    assert (target_2018.realisation, target_2018.budget_realised) == (None, None)


def test_a_reviewer_saving_a_row_is_refused_with_403(client, target_2018, reviewer):
    client.force_login(reviewer)
    response = client.post(update_url(target_2018), row_data(target_2018, realisation="20"), **HTMX)
    assert response.status_code == 403
    target_2018.refresh_from_db()
    assert target_2018.realisation is None


def test_a_head_of_another_region_cannot_find_the_row(client, target_2018, katingan_head):
    client.force_login(katingan_head)
    response = client.post(update_url(target_2018), row_data(target_2018, realisation="20"))
    assert response.status_code == 404
    target_2018.refresh_from_db()
    assert target_2018.realisation is None


def test_a_row_of_a_reviewed_plan_is_not_changed(client, plan, target_2018, head):
    MasterPlan.objects.filter(pk=plan.pk).update(status=MasterPlan.Status.REVIEWED)
    client.force_login(head)
    response = client.post(update_url(target_2018), row_data(target_2018, realisation="20"), **HTMX)
    assert response.status_code == 400
    assert "hanya dicatat pada rencana yang berlaku" in response.content.decode()
    target_2018.refresh_from_db()
    assert target_2018.realisation is None


def test_without_javascript_a_saved_row_returns_to_the_programme_page(
    client, programme, target_2018, head
):
    client.force_login(head)
    response = client.post(update_url(target_2018), row_data(target_2018, realisation="20"))
    assert response.status_code == 302
    assert response.url == f"{programme_url(programme)}#target-{target_2018.pk}"


def test_without_javascript_an_invalid_row_redraws_the_whole_page(client, target_2018, head):
    client.force_login(head)
    response = client.post(update_url(target_2018), row_data(target_2018, realisation="x"))
    assert response.status_code == 400
    assert "<html" in response.content.decode()


def test_the_head_marks_the_plan_reviewed(client, plan, head):
    client.force_login(head)
    url = reverse("masterplan:masterplan_transition", kwargs={"pk": plan.pk})
    response = client.post(url, {"status": "reviewed"}, follow=True)
    assert "Status rencana sekarang: Sudah dievaluasi." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == MasterPlan.Status.REVIEWED


def test_a_reviewer_may_not_change_the_status(client, plan, reviewer):
    client.force_login(reviewer)
    url = reverse("masterplan:masterplan_transition", kwargs={"pk": plan.pk})
    assert client.post(url, {"status": "reviewed"}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == MasterPlan.Status.IN_FORCE


def test_the_review_page_offers_the_unfinished_programmes_to_carry(client, plan, head):
    client.force_login(head)
    response = client.get(reverse("masterplan:masterplan_review", kwargs={"pk": plan.pk}))
    content = response.content.decode()
    assert "Yang belum tercapai" in content
    assert 'name="carry"' in content
    assert response.context["form"].initial["start_year"] == 2021
    assert response.context["form"].initial["end_year"] == 2024


def test_starting_the_next_plan_from_the_review_page(client, plan, programme, head):
    client.force_login(head)
    url = reverse("masterplan:masterplan_redraft", kwargs={"pk": plan.pk})
    response = client.post(
        url,
        {
            "start_year": 2021,
            "end_year": 2024,
            "rpjmd_start_year": 2021,
            "rpjmd_end_year": 2026,
            "carry": [programme.pk],
        },
    )
    successor = MasterPlan.objects.get(supersedes=plan)
    assert response.status_code == 302
    assert response.url == detail_url(successor)
    assert successor.status == MasterPlan.Status.DRAFT
    assert [p.name for p in successor.programmes.all()] == ["Jaringan intra pemerintah"]
    plan.refresh_from_db()
    assert plan.status == MasterPlan.Status.REVIEWED


def test_a_bad_period_on_the_review_page_is_shown_and_nothing_is_created(client, plan, head):
    client.force_login(head)
    url = reverse("masterplan:masterplan_redraft", kwargs={"pk": plan.pk})
    response = client.post(url, {"start_year": 2024, "end_year": 2021})
    assert response.status_code == 400
    assert "Tahun akhir tidak boleh sebelum tahun mulai." in response.content.decode()
    assert MasterPlan.objects.count() == 1


def test_a_reviewer_may_not_start_the_next_plan(client, plan, reviewer):
    client.force_login(reviewer)
    url = reverse("masterplan:masterplan_redraft", kwargs={"pk": plan.pk})
    assert client.post(url, {"start_year": 2021, "end_year": 2024}).status_code == 403
    assert MasterPlan.objects.count() == 1


def test_the_head_edits_the_legal_basis(client, plan, head, reviewer):
    url = reverse("masterplan:masterplan_edit", kwargs={"pk": plan.pk})
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    client.force_login(head)
    assert client.get(url).status_code == 200
    data = {"title": plan.title, "legal_basis": "Perbup Gunung Mas Nomor 22 Tahun 2017"}
    response = client.post(url, {**data, "rpjmd_start_year": "2021"})
    assert response.status_code == 400
    assert "Isi kedua tahun periode RPJMD" in response.content.decode()
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.legal_basis == "Perbup Gunung Mas Nomor 22 Tahun 2017"


def test_nothing_is_saved_through_a_target_of_an_invisible_plan(client, katingan_plan, head):
    target = Target.objects.get(programme__plan=katingan_plan)
    client.force_login(head)
    assert client.post(update_url(target), row_data(target, realisation="1")).status_code == 404


def test_the_review_shows_the_capability_gap_per_dimension(client, plan, head, reviewer):
    from tests.masterplan.factories import DimensionTargetFactory, dimension

    DimensionTargetFactory(plan=plan, dimension=dimension(plan, "policy"), year=2018, score="3.50")
    assessment = make_assessment(reviewer, plan.region, plan.framework, year=2018)
    for indicator in Indicator.objects.filter(dimension__framework=plan.framework):
        Answer.objects.create(assessment=assessment, indicator=indicator, verified_level=3)
    client.force_login(head)
    content = client.get(reverse("masterplan:masterplan_review", kwargs={"pk": plan.pk}))
    gaps = content.content.decode().split('data-testid="score-gaps"', 1)[1].split("</table>")[0]
    policy = gaps.split("Dimensi policy", 1)[1].split("</tr>", 1)[0]
    assert "3,50" in policy and "3,00<span" in policy
    assert "−0,50" in policy


def test_the_list_is_paginated(client, province, reviewer):
    from tests.masterplan.factories import MasterPlanFactory
    from tests.opds.factories import RegencyFactory

    for number in range(51):
        MasterPlanFactory(region=RegencyFactory(parent=province, code=f"{number + 20:02d}"))
    client.force_login(reviewer)
    first = client.get(reverse("masterplan:masterplan_list"))
    assert first.context["paginator"].count == 51
    assert "Halaman 1 dari 2" in first.content.decode()
    second = client.get(reverse("masterplan:masterplan_list"), {"page": 2})
    assert sum(len(rows) for _region, rows in second.context["regions"]) == 1


def test_notes_beyond_their_limit_keep_what_was_typed_and_save_nothing(client, target_2018, head):
    client.force_login(head)
    typed = ("Realisasi tertunda karena lelang ulang. " * 150).strip()
    response = client.post(update_url(target_2018), row_data(target_2018, notes=typed), **HTMX)
    content = response.content.decode()
    assert response.status_code == 400
    assert "paling banyak 5000 karakter" in content
    assert typed in content
    target_2018.refresh_from_db()
    assert target_2018.notes == ""
