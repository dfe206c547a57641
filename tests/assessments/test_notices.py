"""The workflow tells people: the province's reviewers of a submitted self-assessment, the
region's heads of one returned to them or made final; by e-mail through a real SMTP server."""

import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import workflow
from assessments.models import Answer, Assessment
from egov_portal.models import Notification, Preferences
from tests.mail import body_of

Status = Assessment.Status


def fill(assessment, indicators, user, field):
    for indicator in indicators.values():
        answer = Answer.objects.filter(assessment=assessment, indicator=indicator).first()
        workflow.answer_save(
            assessment,
            indicator,
            user=user,
            version=answer.version if answer else 0,
            **{field: 3},
        )


def submit(draft, indicators, head, capture):
    fill(draft, indicators, head, "self_level")
    with capture(execute=True):
        workflow.assessment_transition(draft, user=head, to=Status.SUBMITTED)


def test_a_submitted_self_assessment_emails_the_provinces_reviewers(
    smtp_server, people, draft, indicators, django_capture_on_commit_callbacks
):
    submit(draft, indicators, people["head"], django_capture_on_commit_callbacks)
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "reviewer2@kalteng.go.id",
        "reviewer@kalteng.go.id",
    ]
    message = smtp_server.inbox.to("reviewer@kalteng.go.id")[0]
    assert message["Subject"] == (
        "[Portal e-Gov Kalteng] Penilaian mandiri Kabupaten Gunung Mas 2020 diajukan"
    )
    body = body_of(message)
    assert "Yth. Reviewer," in body
    assert "Kadis.Gumas mengajukan penilaian mandiri Kabupaten Gunung Mas tahun 2020." in body
    assert f"https://egov.kalteng.go.id/assessments/{draft.pk}/" in body
    listed = Notification.objects.get(recipient=people["reviewer"])
    assert (listed.kind, listed.url) == ("assessment_submitted", f"/assessments/{draft.pk}/")


def test_a_reviewer_who_chose_english_reads_english(
    smtp_server, people, draft, indicators, django_capture_on_commit_callbacks
):
    Preferences.objects.create(user=people["reviewer2"], language="en")
    submit(draft, indicators, people["head"], django_capture_on_commit_callbacks)
    english = smtp_server.inbox.to("reviewer2@kalteng.go.id")[0]
    assert english["Subject"].startswith("[Kalteng e-Gov Portal] ")
    assert Notification.objects.get(recipient=people["reviewer2"]).language == "en"


def test_returning_to_the_region_tells_its_head_with_the_note(
    smtp_server, people, draft, indicators, django_capture_on_commit_callbacks
):
    submit(draft, indicators, people["head"], django_capture_on_commit_callbacks)
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_transition(
            draft, user=people["reviewer"], to=Status.DRAFT, note="Bukti SK belum diunggah"
        )
    (message,) = smtp_server.messages
    assert message["To"] == "kadis.gumas@kalteng.go.id"
    assert "dikembalikan untuk diperbaiki" in message["Subject"]
    assert "dengan catatan: Bukti SK belum diunggah" in body_of(message)


def test_making_it_final_tells_the_regions_head(
    smtp_server, people, draft, indicators, django_capture_on_commit_callbacks
):
    reviewer = people["reviewer"]
    workflow.assessment_transition(draft, user=reviewer, to=Status.IN_REVIEW)
    fill(draft, indicators, reviewer, "verified_level")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_transition(draft, user=reviewer, to=Status.FINAL)
    (message,) = smtp_server.messages
    assert message["To"] == "kadis.gumas@kalteng.go.id"
    assert message["Subject"].endswith("Penilaian Kabupaten Gunung Mas 2020 ditetapkan final")
    # Starting the review told nobody.
    assert Notification.objects.count() == 1


def test_a_refused_transition_tells_nobody(smtp_server, people, draft):
    with pytest.raises(Exception):  # noqa: B017 - any refusal; here: not every level is set
        workflow.assessment_transition(draft, user=people["head"], to=Status.SUBMITTED)
    assert not Notification.objects.exists()


def test_the_submit_succeeds_while_the_mail_server_is_down_and_the_mail_follows(
    client, smtp_server, people, draft, indicators, caplog, django_capture_on_commit_callbacks
):
    fill(draft, indicators, people["head"], "self_level")
    smtp_server.stop()
    client.force_login(people["head"])
    url = reverse("assessments:assessment_transition", kwargs={"pk": draft.pk})
    with (
        caplog.at_level(logging.WARNING, logger="egov_portal.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, {"to": "submitted"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert "reviewer@kalteng.go.id failed (attempt 1)" in caplog.text
    assert Notification.objects.filter(mail_sent_at__isnull=True, mail_attempts=1).count() == 2

    smtp_server.start()
    call_command("send_pending_mail")
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "reviewer2@kalteng.go.id",
        "reviewer@kalteng.go.id",
    ]
    assert not Notification.objects.filter(mail_sent_at__isnull=True).exists()


def test_the_reviewer_sees_the_submission_in_the_navigation(
    client, people, draft, indicators, django_capture_on_commit_callbacks
):
    submit(draft, indicators, people["head"], django_capture_on_commit_callbacks)
    client.force_login(people["reviewer"])
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert 'data-testid="unread-count">1<' in page
    assert "Penilaian mandiri Kabupaten Gunung Mas 2020 diajukan" in page
