"""Clarifications and deadlines tell people: a question reaches the region's head, an answer
the reviewer who asked, and the cycle's deadlines are reminded 7 days and 1 day ahead, by
e-mail through a real SMTP server."""

import datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from assessments import clarifications, cycles
from assessments.models import Assessment, Cycle
from egov_portal.models import Notification, Preferences
from tests.mail import body_of

D = datetime.date
TODAY = D(2020, 9, 23)  # a week before the 2020 submission deadline


@pytest.fixture
def cycle(gunung_mas, framework, reviewer):
    return cycles.cycle_save(
        Cycle(
            province=gunung_mas.parent,
            year=2020,
            framework=framework,
            self_assessment_opens=D(2020, 7, 1),
            submission_deadline=D(2020, 9, 30),
            verification_starts=D(2020, 10, 5),
            verification_ends=D(2020, 11, 27),
            finalisation_deadline=D(2020, 12, 18),
        ),
        user=reviewer,
    )


def test_a_question_emails_the_head_and_the_answer_the_reviewer_who_asked(
    smtp_server,
    people,
    draft,
    indicators,
    django_capture_on_commit_callbacks,
):
    indicator = indicators["policy-02"]
    with django_capture_on_commit_callbacks(execute=True):
        asked = clarifications.ask(
            draft, indicator, user=people["reviewer"], text="Mohon unggah Perbup 12/2017."
        )
    [message] = smtp_server.messages
    assert message["X-Envelope-To"] == "kadis.gumas@kalteng.go.id" or "head" in message["To"]
    assert message["Subject"].endswith("Klarifikasi diminta: policy-02, Kabupaten Gunung Mas 2020")
    body = body_of(message)
    assert "Mohon unggah Perbup 12/2017." in body
    assert f"https://egov.kalteng.go.id{asked.thread.get_absolute_url()}" in body

    upload = SimpleUploadedFile("perbup.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        clarifications.reply(asked.thread, user=people["head"], text="Terlampir.", file=upload)
    # Only the reviewer who asked, not the province's second reviewer.
    [answer] = smtp_server.messages[1:]
    assert answer["To"] == "reviewer@kalteng.go.id"
    assert "Klarifikasi dijawab: policy-02" in answer["Subject"]
    assert "Lampiran: perbup.pdf" in body_of(answer)
    assert not Notification.objects.filter(recipient=people["reviewer2"]).exists()
    assert Notification.objects.filter(recipient=people["head"], kind="clarification_asked")


def test_a_head_is_reminded_seven_days_and_one_day_before_the_submission_deadline(
    smtp_server,
    people,
    cycle,
    draft,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        assert call_command("send_reminders", "--date", "2020-09-23", stdout=StringIO()) is None
    [message] = smtp_server.messages
    assert message["To"] == "head@kalteng.go.id" or message["To"].startswith(
        people["head"].username
    )
    assert "tenggat 30 September 2020 (H-7)" in message["Subject"]
    assert draft.get_absolute_url() in body_of(message)
    # The same day again: nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2020-09-23", stdout=StringIO())
    assert len(smtp_server.messages) == 1
    # Neither on a day that is not 7 or 1 days before.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2020-09-25", stdout=StringIO())
    assert len(smtp_server.messages) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2020-09-29", stdout=StringIO())
    assert "(H-1)" in smtp_server.messages[1]["Subject"]


def test_a_reminder_in_english_and_a_switched_off_reminder_stays_in_the_portal(
    smtp_server,
    people,
    cycle,
    draft,
    django_capture_on_commit_callbacks,
):
    Preferences.objects.create(user=people["head"], language="en", reminder_emails=False)
    with django_capture_on_commit_callbacks(execute=True):
        notices_written = call_command("send_reminders", "--date", "2020-09-23", stdout=StringIO())
    assert notices_written is None
    assert smtp_server.messages == []
    [note] = Notification.objects.filter(recipient=people["head"], kind="deadline_near")
    assert "30 September 2020 (D-7)" in note.title
    assert note.title.startswith("Submit")


def test_reviewers_get_one_reminder_per_deadline_naming_the_regions(
    smtp_server,
    people,
    cycle,
    draft,
    django_capture_on_commit_callbacks,
):
    Assessment.objects.filter(pk=draft.pk).update(status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2020-11-20", stdout=StringIO())
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "reviewer2@kalteng.go.id",
        "reviewer@kalteng.go.id",
    ]
    message = smtp_server.inbox.to("reviewer@kalteng.go.id")[0]
    assert "untuk 1 kabupaten/kota" in message["Subject"]
    assert "Kabupaten Gunung Mas" in body_of(message)
    assert "status=submitted" in body_of(message)


def test_a_date_that_is_not_a_date_is_refused():
    with pytest.raises(CommandError, match="--date"):
        call_command("send_reminders", "--date", "30-09-2020")
