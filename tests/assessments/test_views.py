import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import workflow
from assessments.models import Answer, Assessment, Evidence
from tests.assessments.conftest import MINIMAL_PDF
from tests.assessments.factories import make_assessment, make_framework
from tests.opds.factories import RegencyFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def text_of(content, name):
    """The text of the element marked ``data-testid=name``."""
    match = re.search(rf'data-testid="{re.escape(name)}"[^>]*>(.*?)<', content, re.S)
    return match.group(1).strip() if match else None


def answer_url(assessment, code):
    return reverse("assessments:answer_update", kwargs={"pk": assessment.pk, "indicator": code})


def dimension_url(assessment, code):
    return reverse(
        "assessments:assessment_dimension", kwargs={"pk": assessment.pk, "dimension": code}
    )


def awaiting_box(content):
    """What the box of carried levels waiting for confirmation holds in an htmx response that
    re-draws it out of band (the last element of the response); None when it is not there."""
    match = re.search(
        r'<div id="awaiting-confirmation" hx-swap-oob="true">(.*)</div>\s*$', content, re.S
    )
    return match.group(1).strip() if match else None


def post_answer(client, assessment, code, *, version=0, **fields):
    data = {f"{code}-version": version}
    data.update({f"{code}-{name}": value for name, value in fields.items()})
    return client.post(answer_url(assessment, code), data, **HTMX)


def test_overview_shows_progress_scores_and_timeline(client, draft, indicators, reviewer):
    workflow.answer_save(draft, indicators["policy-01"], user=reviewer, version=0, verified_level=3)
    client.force_login(reviewer)
    response = client.get(draft.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "1 dari 2" in content
    assert text_of(content, "score-policy") == "3,00"
    assert "Draf" in content
    assert "Mulai verifikasi" in content


def test_a_step_whose_user_was_deleted_shows_a_dash(client, draft, reviewer):
    # A step keeps its place when the user who made it is deleted (SET_NULL), as do steps
    # written in bulk without a user.
    draft.transitions.update(user=None)
    client.force_login(reviewer)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "· —" in response.content.decode()


def test_htmx_save_returns_the_card_and_the_new_dimension_score(client, draft, reviewer):
    client.force_login(reviewer)
    response = post_answer(client, draft, "policy-01", verified_level=2, note="Ada Perbup")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="indicator-policy-01"' in content
    assert 'hx-swap-oob="true"' in content
    assert "Tersimpan." in content
    assert text_of(content, "dimension-score") == "2,00"
    answer = Answer.objects.get(indicator__code="policy-01")
    assert (answer.verified_level, answer.note, answer.version) == (2, "Ada Perbup", 1)


def test_a_reload_shows_exactly_what_was_saved(client, draft, reviewer):
    client.force_login(reviewer)
    post_answer(client, draft, "policy-02", verified_level=4, note="Surel go.id dipakai semua OPD")
    content = client.get(dimension_url(draft, "policy")).content.decode()
    assert 'id="policy-02-verified-4" value="4"\n                  checked' in content
    assert "Surel go.id dipakai semua OPD" in content


def test_a_validation_error_keeps_what_the_user_typed(client, draft, indicators, head, reviewer):
    workflow.answer_save(draft, indicators["policy-01"], user=head, version=0, self_level=4)
    client.force_login(reviewer)
    response = post_answer(
        client, draft, "policy-01", version=1, verified_level=2, note="Catatan panjang saya"
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "Tuliskan alasan" in content
    assert "Catatan panjang saya" in content
    assert 'id="policy-01-verified-2" value="2"\n                  checked' in content
    assert Answer.objects.get(indicator__code="policy-01").verified_level is None


def test_a_level_outside_the_scale_is_a_form_error(client, draft, head):
    client.force_login(head)
    response = post_answer(client, draft, "policy-01", self_level=7)
    assert response.status_code == 400
    assert "Pilih level antara 1 dan 4." in response.content.decode()


def test_a_stale_page_gets_a_conflict_showing_the_current_value(
    client, draft, indicators, reviewer, admin_user
):
    client.force_login(admin_user)
    workflow.answer_save(
        draft,
        indicators["policy-01"],
        user=reviewer,
        version=0,
        verified_level=3,
        note="Versi penilai A",
    )
    response = post_answer(
        client, draft, "policy-01", version=0, verified_level=1, note="Versi penilai B"
    )
    content = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="conflict"' in content
    assert "Versi penilai A" in content
    assert "Versi penilai B" in content  # what this user typed is kept
    assert Answer.objects.get(indicator__code="policy-01").verified_level == 3
    # Having seen the current value, saving again is a deliberate overwrite.
    response = post_answer(
        client, draft, "policy-01", version=1, verified_level=1, note="Versi penilai B"
    )
    assert response.status_code == 200
    assert Answer.objects.get(indicator__code="policy-01").verified_level == 1


def test_without_javascript_a_save_redirects_back_to_the_indicator(client, draft, reviewer):
    client.force_login(reviewer)
    response = client.post(
        answer_url(draft, "policy-01"), {"policy-01-version": 0, "policy-01-verified_level": 3}
    )
    assert response.status_code == 302
    assert response.url.endswith("/policy/#indicator-policy-01")


def test_final_assessment_refuses_changes_with_409(client, draft, indicators, reviewer):
    for indicator in indicators.values():
        workflow.answer_save(draft, indicator, user=reviewer, version=0, verified_level=3)
    workflow.assessment_transition(draft, user=reviewer, to="in_review")
    workflow.assessment_transition(draft, user=reviewer, to="final")
    client.force_login(reviewer)
    response = post_answer(client, draft, "policy-01", version=1, verified_level=1)
    assert response.status_code == 409
    assert Answer.objects.get(indicator__code="policy-01").verified_level == 3
    assert "Simpan indikator" not in client.get(dimension_url(draft, "policy")).content.decode()


def test_opd_staff_cannot_see_or_score_assessments(client, draft, opd_staff):
    client.force_login(opd_staff)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert post_answer(client, draft, "policy-01", self_level=3).status_code == 404
    assert client.get(reverse("assessments:assessment_list")).status_code == 403
    assert not Answer.objects.exists()


def test_head_of_another_region_gets_404(client, draft, katingan):
    from tests.opds.factories import user_with_role

    client.force_login(user_with_role("head", region=katingan))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_unknown_indicator_or_dimension_is_404(client, draft, reviewer):
    client.force_login(reviewer)
    assert post_answer(client, draft, "nope-01", verified_level=3).status_code == 404
    assert client.get(dimension_url(draft, "nope")).status_code == 404


def test_evidence_upload_through_the_page(client, draft, reviewer):
    client.force_login(reviewer)
    url = reverse("assessments:evidence_create", kwargs={"pk": draft.pk, "indicator": "policy-01"})
    response = client.post(
        url, {"ev-policy-01-file": SimpleUploadedFile("perbup.pdf", MINIMAL_PDF)}, **HTMX
    )
    assert response.status_code == 200
    assert "perbup.pdf" in response.content.decode()
    response = client.post(
        url, {"ev-policy-01-file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")}, **HTMX
    )
    assert response.status_code == 400
    assert "tidak sesuai dengan jenisnya" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_transition_through_the_page_records_the_note(client, draft, reviewer):
    client.force_login(reviewer)
    url = reverse("assessments:assessment_transition", kwargs={"pk": draft.pk})
    response = client.post(url, {"to": "in_review", "note": "Kunjungan 3 Desember"}, follow=True)
    assert "Status penilaian sekarang: Dalam verifikasi." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "in_review"
    assert draft.transitions.last().note == "Kunjungan 3 Desember"


def test_create_page_offers_only_regions_the_user_may_assess(
    client, framework, head, gunung_mas, katingan
):
    client.force_login(head)
    response = client.get(reverse("assessments:assessment_create"))
    regions = list(response.context["form"].fields["region"].queryset)
    assert regions == [gunung_mas]
    response = client.post(
        reverse("assessments:assessment_create"),
        {"region": katingan.code, "year": 2021, "framework": framework.code},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert not Assessment.objects.exists()
    response = client.post(
        reverse("assessments:assessment_create"),
        {"region": gunung_mas.code, "year": 2021, "framework": framework.code},
    )
    assert response.status_code == 302


@pytest.fixture
def big_framework(db):
    return make_framework(
        code="besar",
        dimensions=("policy", "institutions", "infrastructure", "applications", "planning"),
        per_dimension=8,
    )


def test_pages_take_a_bounded_number_of_queries(
    client, big_framework, province, reviewer, django_assert_max_num_queries
):
    regencies = [RegencyFactory(parent=province) for _ in range(12)]
    assessments = [
        make_assessment(reviewer, region, big_framework, year=2019) for region in regencies
    ]
    target = assessments[0]
    from assessments.models import Indicator

    for indicator in Indicator.objects.filter(dimension__framework=big_framework):
        for assessment in assessments:
            answer = workflow.answer_save(
                assessment, indicator, user=reviewer, version=0, verified_level=3, note="catatan"
            )
        workflow.evidence_add(target, indicator, user=reviewer, url="https://contoh.go.id/bukti")
    client.force_login(reviewer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("assessments:assessment_list")).status_code == 200
    # Six of them read the history of the assessment, its answers and evidence; one counts
    # the open clarification threads, two the verification per dimension, up to two the
    # cycle's step in the banner (``assessments.cycles.step_for``), one the unread
    # notifications in the navigation; one looks for a crosswalk to PeGI (none for PeGI), one
    # counts the levels carried from an earlier year still waiting for confirmation. The
    # dimensions and their aspects are read once, for the table and the scores alike.
    with django_assert_max_num_queries(24):
        assert client.get(target.get_absolute_url()).status_code == 200
    # Three of them read the history under the cards, whatever its length; three the
    # clarification threads and their count, two the verification, up to two the cycle's step,
    # one the carried levels waiting for confirmation. The dimensions and their aspects are
    # read once, for the tabs, the scores and the summary beside the cards.
    with django_assert_max_num_queries(25):
        assert client.get(dimension_url(target, "policy")).status_code == 200
    for show in ("unverified", "differing"):
        with django_assert_max_num_queries(25):
            assert client.get(dimension_url(target, "policy"), {"show": show}).status_code == 200
    assert answer.version == 1


def test_a_note_beyond_its_limit_is_an_error_on_the_card_that_keeps_it(client, draft, reviewer):
    client.force_login(reviewer)
    typed = ("Surel go.id dipakai semua OPD. " * 200).strip()  # 6,199 characters
    response = post_answer(client, draft, "policy-02", verified_level=3, note=typed)
    content = response.content.decode()
    assert response.status_code == 400
    assert "paling banyak 5000 karakter (sekarang 6199 karakter)" in content
    assert typed in content
    assert not Answer.objects.exists()


def test_a_transition_note_beyond_its_limit_is_said_and_nothing_moves(client, draft, reviewer):
    client.force_login(reviewer)
    url = reverse("assessments:assessment_transition", kwargs={"pk": draft.pk})
    response = client.post(url, {"to": "in_review", "note": "x" * 5001}, follow=True)
    assert "paling banyak 5000 karakter" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_domain_refuses_a_note_beyond_its_limit_from_any_caller(draft, indicators, reviewer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        workflow.answer_save(
            draft, indicators["policy-01"], user=reviewer, version=0, note="x" * 5001
        )
    assert list(error.value.message_dict) == ["note"]
    with pytest.raises(ValidationError):
        workflow.assessment_transition(draft, user=reviewer, to="in_review", note="x" * 5001)


def test_a_link_may_suggest_the_region_and_year_of_a_new_assessment(client, head, framework):
    client.force_login(head)
    response = client.get(
        reverse("assessments:assessment_create"), {"region": "62.10", "year": "2031"}
    )
    content = response.content.decode()
    assert '<option value="62.10" selected>' in content
    assert 'value="2031"' in content


@pytest.fixture
def last_year(framework, reviewer, head, gunung_mas, indicators):
    """Gunung Mas 2020 with two policy levels and one planning level, one of them verified."""
    assessment = make_assessment(reviewer, gunung_mas, framework, year=2020)
    workflow.answer_save(assessment, indicators["policy-01"], user=head, version=0, self_level=2)
    workflow.answer_save(assessment, indicators["policy-02"], user=head, version=0, self_level=3)
    workflow.answer_save(
        assessment,
        indicators["policy-02"],
        user=reviewer,
        version=1,
        verified_level=4,
        reason="Sudah berjalan",
    )
    workflow.answer_save(assessment, indicators["planning-01"], user=head, version=0, self_level=1)
    return assessment


def test_the_create_page_offers_last_year_preselected_and_carries_it(
    client, last_year, head, katingan, reviewer, framework
):
    katingan_2020 = make_assessment(reviewer, katingan, framework, year=2020)
    client.force_login(head)
    response = client.get(reverse("assessments:assessment_create"), {"year": "2021"})
    field = response.context["form"]["carry_forward_from"]
    assert field.value() == last_year.pk
    assert katingan_2020 not in field.field.queryset
    assert "Mulai dari penilaian tahun lalu" in response.content.decode()
    response = client.post(
        reverse("assessments:assessment_create"),
        {"region": "62.10", "year": 2021, "framework": "mini", "carry_forward_from": last_year.pk},
    )
    assert response.status_code == 302
    created = Assessment.objects.get(year=2021)
    assert sorted(
        Answer.objects.filter(assessment=created).values_list("indicator__code", "self_level")
    ) == [("planning-01", 1), ("policy-01", 2), ("policy-02", 4)]
    overview = client.get(created.get_absolute_url()).content.decode()
    assert text_of(overview, "awaiting") == "3"


def test_the_create_page_may_start_empty_or_say_why_a_source_does_not_fit(client, last_year, head):
    client.force_login(head)
    response = client.post(
        reverse("assessments:assessment_create"),
        {"region": "62.10", "year": 2019, "framework": "mini", "carry_forward_from": last_year.pk},
    )
    assert response.status_code == 200
    assert "Penilaian asal harus dari tahun sebelum 2019." in response.content.decode()
    assert not Assessment.objects.filter(year=2019).exists()
    response = client.post(
        reverse("assessments:assessment_create"),
        {"region": "62.10", "year": 2021, "framework": "mini", "carry_forward_from": ""},
    )
    assert response.status_code == 302
    assert not Answer.objects.filter(assessment__year=2021).exists()


def test_the_head_confirms_one_card_then_the_rest_of_a_dimension(client, last_year, head):
    created = workflow.assessment_create(
        user=head,
        region=last_year.region,
        year=2021,
        framework=last_year.framework,
        carry_forward_from=last_year,
    )
    client.force_login(head)
    page = client.get(dimension_url(created, "policy")).content.decode()
    assert text_of(page, "carried-policy-01") == "Dari 2020, belum dikonfirmasi"
    assert 'data-testid="confirm-policy-01"' in page
    assert "2 level dari tahun sebelumnya di dimensi ini menunggu konfirmasi." in page
    # The card's "Konfirmasi" sends the card's form as it stands: the carried level.
    response = post_answer(client, created, "policy-01", version=1, self_level=2, confirm="1")
    assert response.status_code == 200
    card = response.content.decode()
    assert 'data-testid="confirm-policy-01"' not in card
    # The box above the cards is re-drawn with the response, one fewer waiting.
    box = awaiting_box(card)
    assert "1 level dari tahun sebelumnya di dimensi ini menunggu konfirmasi." in box
    assert "Konfirmasi semua yang tidak berubah di dimensi ini" in box
    confirm_url = reverse(
        "assessments:assessment_dimension_confirm",
        kwargs={"pk": created.pk, "dimension": "policy"},
    )
    response = client.post(confirm_url)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1 level dari tahun sebelumnya dikonfirmasi." in page
    assert 'data-testid="awaiting-dimension"' not in page
    assert list(
        Answer.objects.filter(assessment=created, awaiting_confirmation=True).values_list(
            "indicator__code", flat=True
        )
    ) == ["planning-01"]
    overview = client.get(created.get_absolute_url()).content.decode()
    assert text_of(overview, "awaiting") == "1"


def test_confirming_the_last_waiting_card_empties_the_box_above_the_cards(client, last_year, head):
    created = workflow.assessment_create(
        user=head,
        region=last_year.region,
        year=2021,
        framework=last_year.framework,
        carry_forward_from=last_year,
    )
    client.force_login(head)
    page = client.get(dimension_url(created, "planning")).content.decode()
    assert "1 level dari tahun sebelumnya di dimensi ini menunggu konfirmasi." in page
    response = post_answer(client, created, "planning-01", version=1, self_level=1, confirm="1")
    card = response.content.decode()
    assert response.status_code == 200
    assert awaiting_box(card) == ""
    page = client.get(dimension_url(created, "planning")).content.decode()
    assert 'id="awaiting-confirmation"' in page
    assert 'data-testid="awaiting-dimension"' not in page


def test_a_reviewer_cannot_confirm_the_region_levels(client, last_year, head, reviewer):
    created = workflow.assessment_create(
        user=head,
        region=last_year.region,
        year=2021,
        framework=last_year.framework,
        carry_forward_from=last_year,
    )
    client.force_login(reviewer)
    page = client.get(dimension_url(created, "policy")).content.decode()
    assert "Konfirmasi semua yang tidak berubah" not in page
    response = client.post(
        reverse(
            "assessments:assessment_dimension_confirm",
            kwargs={"pk": created.pk, "dimension": "policy"},
        )
    )
    assert response.status_code == 403
    assert Answer.objects.filter(assessment=created, awaiting_confirmation=True).count() == 3


def test_the_create_page_suggests_the_framework_of_the_provinces_cycle_for_the_year(
    client, last_year, head, reviewer, province, django_assert_max_num_queries
):
    from assessments import cycles
    from tests.assessments.factories import make_framework
    from tests.assessments.test_cycles import new_cycle

    other = make_framework(code="other")
    cycles.cycle_save(new_cycle(province, other, year=2021), user=reviewer)
    client.force_login(head)
    url = reverse("assessments:assessment_create")
    form = client.get(url, {"year": "2021"}).context["form"]
    # Nothing of 2021's framework to start from: last year's assessment is of another one.
    assert (form["framework"].value(), form["carry_forward_from"].value()) == ("other", None)
    # Without a cycle for the year: the newest framework in use, the 2021 cycle's.
    assert client.get(url, {"year": "2022"}).context["form"]["framework"].value() == "other"
    # The 2020 cycle's, once the province has one.
    cycles.cycle_save(new_cycle(province, last_year.framework, year=2020), user=reviewer)
    # As many as when a framework code was looked up: the year's cycle is one query.
    with django_assert_max_num_queries(10):
        form = client.get(url, {"year": "2020"}).context["form"]
    assert form["framework"].value() == "mini"
