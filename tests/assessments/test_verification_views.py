"""The verification on the assessment pages: counts, filters, the confirmation before final,
the status badges and the level descriptions."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from assessments import clarifications, workflow
from assessments.models import Answer, Assessment
from tests.assessments.test_views import dimension_url, text_of

Status = Assessment.Status


def save(assessment, indicator, user, **changes):
    answer = Answer.objects.filter(assessment=assessment, indicator=indicator).first()
    return workflow.answer_save(
        assessment, indicator, user=user, version=answer.version if answer else 0, **changes
    )


@pytest.fixture
def in_review(draft, indicators, head, reviewer):
    """policy-01 verified the same, policy-02 verified before the head answered otherwise (no
    reason), planning-01 N/A, planning-02 not verified."""
    save(draft, indicators["policy-02"], reviewer, verified_level=4)
    for code in ("policy-01", "policy-02", "planning-02"):
        save(draft, indicators[code], head, self_level=2)
    save(draft, indicators["policy-01"], reviewer, verified_level=2)
    save(draft, indicators["planning-01"], reviewer, not_applicable=True)
    workflow.assessment_transition(draft, user=reviewer, to=Status.IN_REVIEW)
    draft.refresh_from_db()
    return draft


def finalise_url(assessment):
    return reverse("assessments:assessment_finalise", kwargs={"pk": assessment.pk})


def transition_url(assessment):
    return reverse("assessments:assessment_transition", kwargs={"pk": assessment.pk})


def cards(content):
    return re.findall(r'<article class="card indicator-card[^"]*" id="indicator-([\w-]+)"', content)


def test_detail_shows_verified_to_verify_and_unexplained_per_dimension_and_in_total(
    client, in_review, reviewer
):
    client.force_login(reviewer)
    content = client.get(in_review.get_absolute_url()).content.decode()
    assert text_of(content, "verified-policy") == "2 dari 2"
    assert text_of(content, "unexplained-policy") == ""  # a link follows
    assert '?show=differing">1</a>' in content
    assert text_of(content, "verified-planning") == "1 dari 2"
    assert '?show=unverified">1</a>' in content
    assert text_of(content, "verified-total") == "3 dari 4"
    assert text_of(content, "to-verify-total") == "1"
    assert text_of(content, "unexplained-total") == "1"


def test_a_head_sees_the_same_figures_once_the_review_runs(client, in_review, head):
    client.force_login(head)
    content = client.get(in_review.get_absolute_url()).content.decode()
    assert text_of(content, "verified-total") == "3 dari 4"


def test_a_draft_without_verified_levels_shows_no_verification_figures(
    client, draft, indicators, head
):
    save(draft, indicators["policy-01"], head, self_level=2, not_applicable=True)
    client.force_login(head)
    content = client.get(draft.get_absolute_url()).content.decode()
    assert 'data-testid="verified-total"' not in content
    assert "Terverifikasi" not in content
    content = client.get(dimension_url(draft, "policy")).content.decode()
    assert 'data-testid="verification-counts"' not in content


def test_dimension_summary_counts_and_the_filters(client, in_review, reviewer):
    client.force_login(reviewer)
    content = client.get(dimension_url(in_review, "policy")).content.decode()
    assert text_of(content, "summary-verified") == "2 dari 2"
    assert text_of(content, "summary-to-verify") == "0"
    assert text_of(content, "summary-unexplained") == "1"
    assert cards(content) == ["policy-01", "policy-02"]
    assert 'class="nav-link py-1 px-2 small active" aria-current="page" href="?"' in content

    content = client.get(dimension_url(in_review, "policy"), {"show": "differing"}).content
    content = content.decode()
    assert cards(content) == ["policy-02"]
    assert "Berbeda dari mandiri, tanpa alasan" in content
    assert 'active" aria-current="page" href="?show=differing"' in content

    content = client.get(dimension_url(in_review, "planning"), {"show": "unverified"}).content
    assert cards(content.decode()) == ["planning-02"]


def test_an_empty_filter_says_so(client, in_review, reviewer):
    client.force_login(reviewer)
    response = client.get(dimension_url(in_review, "policy"), {"show": "unverified"})
    content = response.content.decode()
    assert response.status_code == 200
    assert cards(content) == []
    assert "Tidak ada indikator" in content
    assert "Tampilkan semua indikator" in content


def test_an_unknown_filter_is_a_400_that_shows_every_indicator(client, in_review, reviewer):
    client.force_login(reviewer)
    response = client.get(dimension_url(in_review, "policy"), {"show": "semua<script>"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "tidak dikenal" in content
    assert "Filter “semua&lt;script&gt;” tidak dikenal" in content
    assert cards(content) == ["policy-01", "policy-02"]


def test_make_final_is_a_link_to_the_confirmation(client, in_review, reviewer):
    client.force_login(reviewer)
    content = client.get(in_review.get_absolute_url()).content.decode()
    assert f'href="{finalise_url(in_review)}">Tetapkan final…</a>' in content
    assert 'name="to" value="final"' not in content


def test_the_confirmation_lists_what_is_left_and_offers_no_button(client, in_review, reviewer):
    client.force_login(reviewer)
    response = client.get(finalise_url(in_review))
    content = response.content.decode()
    assert response.status_code == 200
    assert "belum dapat ditetapkan final" in content
    assert "Masih ada 1 dari 4 indikator tanpa level verifikasi." in content
    assert "Indikator policy-02: level verifikasi berbeda dari level mandiri tanpa alasan." in (
        content
    )
    assert "?show=unverified#indicator-planning-02" in content
    assert "?show=differing#indicator-policy-02" in content
    assert "Ya, tetapkan final" not in content


def test_a_post_without_confirmation_goes_to_the_confirmation(client, in_review, reviewer):
    client.force_login(reviewer)
    response = client.post(transition_url(in_review), {"to": "final", "note": "Selesai"})
    assert response.status_code == 302
    assert response["Location"] == finalise_url(in_review)
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_a_confirmed_refusal_returns_to_the_list_of_what_is_left(client, in_review, reviewer):
    client.force_login(reviewer)
    response = client.post(
        transition_url(in_review), {"to": "final", "confirmed": "True"}, follow=True
    )
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == finalise_url(in_review)
    assert content.count("Masih ada 1 dari 4 indikator tanpa level verifikasi.") == 2
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_confirming_makes_the_assessment_final(client, in_review, indicators, reviewer):
    save(in_review, indicators["policy-02"], reviewer, reason="Perbup baru sudah berlaku.")
    save(in_review, indicators["planning-02"], reviewer, verified_level=2)
    client.force_login(reviewer)
    content = client.get(finalise_url(in_review)).content.decode()
    assert "Tidak ada yang tersisa" in content
    assert "Ya, tetapkan final" in content
    assert 'name="confirmed" value="True"' in content
    response = client.post(
        transition_url(in_review), {"to": "final", "confirmed": "True", "note": "Disepakati."}
    )
    assert response["Location"] == in_review.get_absolute_url()
    in_review.refresh_from_db()
    assert in_review.status == Status.FINAL
    assert in_review.transitions.last().note == "Disepakati."


def test_the_confirmation_is_for_a_reviewer_of_an_assessment_in_review(
    client, draft, in_review, head, reviewer
):
    client.force_login(head)
    assert client.get(finalise_url(in_review)).status_code == 403
    in_review.status = Status.SUBMITTED
    in_review.save(update_fields=["status"])
    client.force_login(reviewer)
    response = client.get(finalise_url(in_review))
    assert response.status_code == 409
    assert "tidak dapat ditetapkan final" in response.content.decode()


def test_returning_to_draft_keeps_its_one_step_form(client, draft, indicators, head, reviewer):
    for indicator in indicators.values():
        save(draft, indicator, head, self_level=2)
    workflow.assessment_transition(draft, user=head, to=Status.SUBMITTED)
    client.force_login(reviewer)
    response = client.post(transition_url(draft), {"to": "draft", "note": "Lengkapi bukti."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Status.DRAFT, "Draf"),
        (Status.SUBMITTED, "Diajukan"),
        (Status.IN_REVIEW, "Dalam verifikasi"),
        (Status.FINAL, "Final"),
    ],
)
def test_each_status_badge_has_its_class_and_its_name(client, draft, reviewer, status, label):
    Assessment.objects.filter(pk=draft.pk).update(status=status)
    client.force_login(reviewer)
    for url in (draft.get_absolute_url(), dimension_url(draft, "policy"), "/assessments/"):
        content = client.get(url).content.decode()
        badge = f'<span class="badge status-badge status-{status}" data-testid="status-badge">'
        assert f"{badge}{label}</span>" in content, url


def contrast(foreground, background):
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_status_colours_differ_and_read_at_aa_contrast():
    css = (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()
    assert re.search(r"\.status-badge \{ color: #fff; \}", css)
    colours = dict(re.findall(r"\.status-(\w+) \{ background-color: (#[0-9a-f]{6}); \}", css))
    assert set(colours) == set(Status.values)
    assert len(set(colours.values())) == 4
    for status, colour in colours.items():
        assert contrast("#ffffff", colour) >= 4.5, status


def label_targets(content, code):
    card = content.split(f'id="indicator-{code}"')[1].split("</article>")[0]
    return re.findall(r'<label for="([\w-]+)" class="d-block level-label">', card)


def test_a_level_description_labels_the_reviewers_verified_radio(client, in_review, reviewer):
    client.force_login(reviewer)
    content = client.get(dimension_url(in_review, "policy")).content.decode()
    assert label_targets(content, "policy-01") == [f"policy-01-verified-{n}" for n in range(1, 5)]


def test_a_level_description_labels_the_heads_self_radio_in_draft(client, draft, head):
    client.force_login(head)
    content = client.get(dimension_url(draft, "policy")).content.decode()
    assert label_targets(content, "policy-01") == [f"policy-01-self-{n}" for n in range(1, 5)]


def test_a_level_description_labels_nothing_for_who_may_not_change_it(client, in_review, head):
    client.force_login(head)
    content = client.get(dimension_url(in_review, "policy")).content.decode()
    assert label_targets(content, "policy-01") == []
    assert "Deskripsi level 1" in content


def test_the_clarification_filter_shows_the_indicators_with_an_open_thread(
    client, in_review, indicators, reviewer, head
):
    asked = clarifications.ask(in_review, indicators["policy-02"], user=reviewer, text="SK?")
    client.force_login(reviewer)
    content = client.get(dimension_url(in_review, "policy"), {"show": "clarification"}).content
    assert cards(content.decode()) == ["policy-02"]
    clarifications.close(asked.thread, user=head)
    content = client.get(dimension_url(in_review, "policy"), {"show": "clarification"}).content
    assert cards(content.decode()) == []


def test_the_confirmation_lists_open_threads_without_blocking(
    client, in_review, indicators, reviewer
):
    save(in_review, indicators["policy-02"], reviewer, reason="Perbup baru sudah berlaku.")
    save(in_review, indicators["planning-02"], reviewer, verified_level=2)
    clarifications.ask(in_review, indicators["planning-02"], user=reviewer, text="Renstra?")
    client.force_login(reviewer)
    content = client.get(finalise_url(in_review)).content.decode()
    assert "1 klarifikasi masih terbuka" in content
    assert "?show=clarification#clarification-planning-02" in content
    assert "Ya, tetapkan final walau klarifikasi masih terbuka" in content
    response = client.post(transition_url(in_review), {"to": "final", "confirmed": "True"})
    assert response["Location"] == in_review.get_absolute_url()
    in_review.refresh_from_db()
    assert in_review.status == Status.FINAL
