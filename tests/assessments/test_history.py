"""Every change to an answer and its evidence is kept: who, when, each field's old and new
value; served by the indicator's page and the API to whoever may read the assessment."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import workflow
from assessments.loader import load_framework
from assessments.models import Answer, Assessment
from opds.models import Membership
from tests.assessments.factories import framework_document, make_assessment
from tests.opds.factories import RegencyFactory, user_with_role


def history_url(assessment, code):
    return f"/api/v1/assessments/{assessment.pk}/answers/{code}/history/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def corrected(draft, indicators, head, reviewer, admin_user):
    """policy-01: the head says 3, the reviewer verifies 2, an admin corrects it to 1."""
    indicator = indicators["policy-01"]
    workflow.answer_save(draft, indicator, user=head, version=0, self_level=3, note="Ada Perbup")
    workflow.answer_save(
        draft, indicator, user=reviewer, version=1, verified_level=2, reason="Perbup belum sah"
    )
    workflow.answer_save(
        draft, indicator, user=admin_user, version=2, verified_level=1, reason="Tidak ada SK"
    )
    return draft


def test_every_change_of_an_answer_is_kept_with_who_and_the_old_value(
    api, corrected, indicators, reviewer, admin_user
):
    api.force_authenticate(reviewer)
    response = api.get(history_url(corrected, "policy-01"))
    assert response.status_code == 200
    entries = response.json()["results"]
    assert [entry["user"] for entry in entries] == ["admin", "reviewer", "kadis.gumas"]
    assert entries[0]["changes"] == {
        "verified_level": [2, 1],
        "reason": ["Perbup belum sah", "Tidak ada SK"],
    }
    assert entries[1]["changes"] == {
        "verified_level": [None, 2],
        "reason": ["", "Perbup belum sah"],
    }
    assert entries[2]["kind"] == "created"
    assert entries[2]["changes"] == {"self_level": [None, 3], "note": [None, "Ada Perbup"]}
    assert entries[0]["at"] >= entries[1]["at"] >= entries[2]["at"]


def test_evidence_added_and_removed_shows_in_the_indicator_history(
    api, draft, indicators, reviewer
):
    indicator = indicators["policy-02"]
    evidence = workflow.evidence_add(
        draft, indicator, user=reviewer, title="SK Tim SPBE", url="https://contoh.go.id/sk"
    )
    workflow.evidence_remove(evidence, user=reviewer)
    api.force_authenticate(reviewer)
    changes = [
        entry["changes"] for entry in api.get(history_url(draft, "policy-02")).json()["results"]
    ]
    assert {"evidence": ["SK Tim SPBE", None]} in changes
    assert {"evidence": [None, "SK Tim SPBE"]} in changes
    assert changes.index({"evidence": ["SK Tim SPBE", None]}) == 0


def test_the_history_answers_404_to_those_who_cannot_read_the_assessment(
    api, corrected, other_province, katingan
):
    outsider = user_with_role(Membership.Role.REVIEWER, region=other_province, username="luar")
    other_head = user_with_role(Membership.Role.HEAD, region=katingan, username="kadis.katingan")
    for user in (outsider, other_head):
        api.force_authenticate(user)
        assert api.get(history_url(corrected, "policy-01")).status_code == 404
    api.force_authenticate(None)
    assert api.get(history_url(corrected, "policy-01")).status_code in {401, 403}


def test_an_unknown_indicator_answers_404_and_an_unanswered_one_an_empty_history(
    api, corrected, reviewer
):
    api.force_authenticate(reviewer)
    assert api.get(history_url(corrected, "tidak-ada")).status_code == 404
    response = api.get(history_url(corrected, "planning-01"))
    assert response.status_code == 200 and response.json()["results"] == []


def test_the_history_reads_in_a_fixed_number_of_queries(
    api, draft, indicators, reviewer, django_assert_max_num_queries
):
    indicator = indicators["policy-01"]
    for version in range(20):
        workflow.answer_save(
            draft,
            indicator,
            user=reviewer,
            version=version,
            verified_level=1 + version % 4,
            reason="r",
        )
    api.force_authenticate(reviewer)
    with django_assert_max_num_queries(12):
        response = api.get(history_url(draft, "policy-01"))
    assert response.json()["count"] == 20


def answer_history_url(assessment, code):
    return reverse("assessments:answer_history", kwargs={"pk": assessment.pk, "indicator": code})


def history_reads(queries):
    return [q["sql"] for q in queries if "SELECT" in q["sql"] and "historical" in q["sql"]]


def test_the_indicator_card_loads_its_history_when_opened(client, corrected, reviewer):
    client.force_login(reviewer)
    url = reverse(
        "assessments:assessment_dimension", kwargs={"pk": corrected.pk, "dimension": "policy"}
    )
    history = answer_history_url(corrected, "policy-01")
    with CaptureQueriesContext(connection) as captured:
        content = client.get(url).content.decode()
    # The folded panel asks for it when opened; without JavaScript, its link opens a page.
    assert f'hx-get="{history}"' in content and f'href="{history}"' in content
    assert "Perbup belum sah" not in content
    assert history_reads(captured.captured_queries) == []
    panel = client.get(history, HTTP_HX_REQUEST="true")
    assert [entry.user.username for entry in panel.context["history"]] == [
        "admin",
        "reviewer",
        "kadis.gumas",
    ]
    assert "<html" not in panel.content.decode()
    assert "Perbup belum sah" in panel.content.decode() and "Tidak ada SK" in panel.content.decode()


def test_the_answer_history_page_names_its_indicator_and_leads_back(
    client, corrected, indicators, reviewer
):
    client.force_login(reviewer)
    page = client.get(answer_history_url(corrected, "policy-01")).content.decode()
    dimension = reverse(
        "assessments:assessment_dimension", kwargs={"pk": corrected.pk, "dimension": "policy"}
    )
    assert "<h1" in page and indicators["policy-01"].name in page
    assert f'href="{dimension}#indicator-policy-01"' in page
    assert "Perbup belum sah" in page and "Tidak ada SK" in page


def test_the_answer_history_page_answers_404_outside_the_assessment_or_its_framework(
    client, corrected, reviewer, other_province
):
    client.force_login(reviewer)
    assert client.get(answer_history_url(corrected, "tidak-ada")).status_code == 404
    unanswered = client.get(answer_history_url(corrected, "planning-01"))
    assert unanswered.status_code == 200 and unanswered.context["history"] == []
    outsider = user_with_role(Membership.Role.REVIEWER, region=other_province, username="luar")
    client.force_login(outsider)
    assert client.get(answer_history_url(corrected, "policy-01")).status_code == 404


def test_a_saved_card_comes_back_without_reading_its_history(client, draft, reviewer):
    client.force_login(reviewer)
    url = reverse("assessments:answer_update", kwargs={"pk": draft.pk, "indicator": "policy-01"})
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            url,
            {"policy-01-version": 0, "policy-01-verified_level": 2, "policy-01-note": ""},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    assert f'hx-get="{answer_history_url(draft, "policy-01")}"' in response.content.decode()
    assert history_reads(captured.captured_queries) == []
    panel = client.get(answer_history_url(draft, "policy-01"), HTTP_HX_REQUEST="true")
    assert [entry.user.username for entry in panel.context["history"]] == ["reviewer"]


def test_the_assessment_page_lists_changes_to_answers(client, corrected, reviewer):
    client.force_login(reviewer)
    url = reverse("assessments:assessment_history", kwargs={"pk": corrected.pk})
    # The page's folded panel loads them when opened; without JavaScript, a page of their own.
    assert f'hx-get="{url}"' in client.get(corrected.get_absolute_url()).content.decode()
    panel = client.get(url, HTTP_HX_REQUEST="true")
    history = panel.context["history"]
    labels = [entry.object_label for entry in history]
    assert f"{corrected} · policy-01" in labels
    assert history[0].user.username == "admin"
    assert "<html" not in panel.content.decode() and "Perbup belum sah" in panel.content.decode()
    page = client.get(url).content.decode()
    assert "<h1" in page and "Riwayat perubahan" in page and "Perbup belum sah" in page


@pytest.mark.parametrize("model", ["answer", "assessment", "evidence"])
def test_the_django_admin_cannot_change_what_the_workflow_records(
    client, corrected, admin_user, model
):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    if model == "evidence":
        obj = workflow.evidence_add(
            corrected,
            Answer.objects.get(assessment=corrected).indicator,
            user=admin_user,
            url="https://contoh.go.id/x",
        )
    elif model == "answer":
        obj = Answer.objects.get(assessment=corrected)
    else:
        obj = corrected
    change = reverse(f"admin:assessments_{model}_change", args=[obj.pk])
    page = client.get(change)
    assert page.status_code == 200  # shown, read-only
    assert 'type="submit" value="Simpan"' not in page.content.decode()
    if model in {"answer", "assessment"}:
        before = Assessment.objects.get(pk=corrected.pk).revision
        response = client.post(change, {"verified_level": 4, "status": "final", "year": 2030})
        assert response.status_code == 403
        assert Assessment.objects.get(pk=corrected.pk).revision == before
    assert (
        client.post(reverse(f"admin:assessments_{model}_delete", args=[obj.pk])).status_code == 403
    )
    add = client.get(reverse(f"admin:assessments_{model}_add"))
    assert add.status_code == 403
    # An earlier version is shown, and its form does not save ("revert") either.
    version = obj.history.earliest()
    old = reverse(f"admin:assessments_{model}_simple_history", args=[obj.pk, version.history_id])
    assert client.get(old).status_code == 200
    before = Assessment.objects.get(pk=corrected.pk).revision
    versions = obj.history.count()
    fields = {"verified_level": 1, "self_level": 1, "note": "x", "status": "draft", "year": 2030}
    assert client.post(old, fields).status_code == 403
    assert Assessment.objects.get(pk=corrected.pk).revision == before
    assert obj.history.count() == versions  # nothing saved


def test_reloading_a_changed_framework_makes_every_assessment_a_new_revision(
    framework, draft, reviewer, katingan
):
    other = make_assessment(reviewer, katingan, framework)
    before = {a.pk: a.revision for a in (draft, other)}
    load_framework(framework_document())  # the same file again: nothing changes
    assert {a.pk: a.revision for a in Assessment.objects.all()} == before
    document = framework_document()
    document["dimensions"][0]["indicators"][0]["weight"] = 3
    load_framework(document)
    assert {a.pk: a.revision for a in Assessment.objects.all()} == {
        pk: revision + 1 for pk, revision in before.items()
    }


def test_a_region_added_later_has_its_own_history(draft, reviewer, province):
    regency = RegencyFactory(parent=province, code="99")
    assessment = make_assessment(reviewer, regency, draft.framework)
    kinds = [entry.kind for entry in workflow.assessment_history(assessment)]
    assert kinds == ["created"]


def test_a_wrong_version_on_an_unanswered_indicator_is_a_conflict_not_an_error(
    client, api, draft, reviewer
):
    api.force_authenticate(reviewer)
    url = f"/api/v1/assessments/{draft.pk}/answers/policy-01/"
    response = api.patch(url, {"version": 5, "verified_level": 2}, format="json")
    assert response.status_code == 409
    assert response.json()["current"]["version"] == 0
    client.force_login(reviewer)
    page = client.post(
        reverse("assessments:answer_update", kwargs={"pk": draft.pk, "indicator": "policy-01"}),
        {"policy-01-version": 5, "policy-01-verified_level": 2},
        HTTP_HX_REQUEST="true",
    )
    assert page.status_code == 409
    assert 'data-testid="conflict"' in page.content.decode()
    assert not Answer.objects.filter(assessment=draft).exists()
