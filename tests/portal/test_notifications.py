import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov_portal import notifications
from egov_portal.email_url import parse_email_url
from egov_portal.models import Notification, Preferences
from egov_portal.notifications import Kind, notify, text
from tests.mail import body_of
from tests.opds.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ani():
    return UserFactory(username="ani", first_name="Ani", email="ani@gumas.go.id")


@pytest.fixture
def budi():
    return UserFactory(username="budi", first_name="Budi", email="budi@gumas.go.id")


def deadline_reminder(recipients):
    return notify(
        recipients,
        kind=Kind.DEADLINE_NEAR,
        title=text(_("Tenggat %(what)s tinggal %(days)d hari"), what="uji", days=7),
        body=_("Isi penilaian mandiri sebelum tenggat."),
        url="/assessments/7/",
        reminder=True,
    )


def test_each_recipient_gets_one_notification_and_one_email(
    smtp_server, ani, budi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = deadline_reminder([ani, budi, ani])
    assert sorted(n.recipient.username for n in created) == ["ani", "budi"]
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "ani@gumas.go.id",
        "budi@gumas.go.id",
    ]
    message = smtp_server.inbox.to("ani@gumas.go.id")[0]
    assert message["Subject"] == "[Portal e-Gov Kalteng] Tenggat uji tinggal 7 hari"
    assert message["From"] == "Portal e-Gov Kalteng <portal@kalteng.go.id>"
    body = body_of(message)
    assert "Yth. Ani," in body
    assert "Isi penilaian mandiri sebelum tenggat." in body
    assert "https://egov.kalteng.go.id/assessments/7/" in body
    assert "https://egov.kalteng.go.id/notifications/preferences/" in body
    assert all(n.mail_sent_at for n in Notification.objects.all())


def test_a_recipient_who_chose_english_gets_the_english_message(
    smtp_server, ani, budi, django_capture_on_commit_callbacks
):
    Preferences.objects.create(user=budi, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        deadline_reminder([ani, budi])
    english = smtp_server.inbox.to("budi@gumas.go.id")[0]
    indonesian = smtp_server.inbox.to("ani@gumas.go.id")[0]
    # The subject's prefix is the portal's name in the recipient's language.
    assert english["Subject"].startswith("[Kalteng e-Gov Portal] ")
    assert indonesian["Subject"].startswith("[Portal e-Gov Kalteng] ")
    stored = Notification.objects.get(recipient=budi)
    assert stored.language == "en"
    assert english["Subject"].endswith(stored.title)


def test_a_user_who_switched_reminders_off_gets_no_reminder_email_but_sees_it(
    smtp_server, ani, budi, django_capture_on_commit_callbacks
):
    notifications.preferences_save(budi, reminder_emails=False, language="id")
    with django_capture_on_commit_callbacks(execute=True):
        deadline_reminder([ani, budi])
        notify([budi], kind=Kind.ASSESSMENT_FINAL, title="Final", url="/assessments/7/")
    assert [m["To"] for m in smtp_server.messages] == ["ani@gumas.go.id", "budi@gumas.go.id"]
    assert smtp_server.messages[1]["Subject"].endswith("Final")
    assert Notification.objects.filter(recipient=budi).count() == 2


def test_a_user_without_an_address_or_inactive_gets_no_email(
    smtp_server, ani, django_capture_on_commit_callbacks
):
    silent = UserFactory(username="tanpa.email", email="")
    gone = UserFactory(username="pensiun", email="pensiun@gumas.go.id", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        deadline_reminder([silent, gone])
    assert smtp_server.messages == []
    assert list(Notification.objects.values_list("recipient__username", "mail_wanted")) == [
        ("tanpa.email", False)
    ]


def test_an_smtp_server_that_is_down_loses_nothing(
    smtp_server, ani, caplog, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    with (
        caplog.at_level(logging.WARNING, logger="egov_portal.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        deadline_reminder([ani])
    pending = Notification.objects.get()
    assert (pending.mail_sent_at, pending.mail_attempts) == (None, 1)
    assert "ConnectionRefusedError" in pending.mail_error
    assert "ani@gumas.go.id failed (attempt 1)" in caplog.text

    with pytest.raises(CommandError, match="0 sent, 1 failed"):
        call_command("send_pending_mail")
    assert Notification.objects.get().mail_attempts == 2

    smtp_server.start()
    call_command("send_pending_mail")
    sent = Notification.objects.get()
    assert sent.mail_sent_at is not None
    assert (sent.mail_attempts, sent.mail_error) == (3, "")
    assert [m["To"] for m in smtp_server.messages] == ["ani@gumas.go.id"]
    # Sent once: the next run finds nothing to do.
    call_command("send_pending_mail")
    assert len(smtp_server.messages) == 1


def test_a_message_is_given_up_after_the_most_attempts(settings, ani):
    settings.NOTIFICATION_MAIL_MAX_ATTEMPTS = 2
    (notification,) = deadline_reminder([ani])
    Notification.objects.filter(pk=notification.pk).update(mail_attempts=2)
    assert notifications.send_pending() == (0, 0)


def test_a_folder_backend_writes_each_message_as_a_file(
    settings, tmp_path, ani, budi, django_capture_on_commit_callbacks
):
    for name, value in parse_email_url(f"file://{tmp_path}/mail").items():
        setattr(settings, name, value)
    with django_capture_on_commit_callbacks(execute=True):
        deadline_reminder([ani, budi])
    files = sorted((tmp_path / "mail").iterdir())
    # Django's file backend writes one file per connection; each message is sent on its own.
    assert len(files) == 2
    contents = "".join(path.read_text() for path in files)
    assert "To: ani@gumas.go.id" in contents
    assert "To: budi@gumas.go.id" in contents


def test_nothing_is_sent_when_the_action_is_rolled_back(smtp_server, ani):
    from django.db import transaction

    with transaction.atomic():
        deadline_reminder([ani])
        transaction.set_rollback(True)
    call_command("send_pending_mail")
    assert smtp_server.messages == []


# --- Pages -------------------------------------------------------------------------------------


def unread_badge(client):
    page = client.get(reverse("opds:home")).content.decode()
    marker = 'data-testid="unread-count">'
    if marker not in page:
        return None
    return page.split(marker, 1)[1].split("<", 1)[0]


def test_the_navigation_counts_unread_notifications(client, ani, budi):
    deadline_reminder([ani, budi])
    deadline_reminder([ani])
    client.force_login(ani)
    assert unread_badge(client) == "2"
    first = Notification.objects.filter(recipient=ani).first()
    response = client.get(reverse("notifications:notification_open", kwargs={"pk": first.pk}))
    assert response.status_code == 302
    assert response["Location"] == "/assessments/7/"
    assert unread_badge(client) == "1"
    client.post(reverse("notifications:notification_read_all"))
    assert unread_badge(client) is None
    assert Notification.objects.filter(recipient=budi, read_at__isnull=True).count() == 1


def test_the_list_shows_only_ones_own_newest_first_unread_marked(client, ani, budi):
    deadline_reminder([ani])
    notify([ani], kind=Kind.ASSESSMENT_FINAL, title="Penilaian terbaru", url="/x/")
    deadline_reminder([budi])
    Notification.objects.filter(recipient=ani, kind=Kind.DEADLINE_NEAR).update(
        read_at=timezone.now()
    )
    client.force_login(ani)
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert page.count('data-testid="notification"') == 2
    assert page.index("Penilaian terbaru") < page.index("Tenggat uji tinggal 7 hari")
    assert page.count("notification-unread") == 1


def test_the_list_takes_the_same_queries_however_many_notifications(
    client, ani, django_assert_max_num_queries
):
    for _n in range(30):
        deadline_reminder([ani])
    client.force_login(ani)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:notification_list"))
    assert response.content.decode().count('data-testid="notification"') == 25


def test_nobody_opens_another_users_notification(client, ani, budi):
    (theirs,) = deadline_reminder([budi])
    client.force_login(ani)
    response = client.get(reverse("notifications:notification_open", kwargs={"pk": theirs.pk}))
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_preferences_switch_reminders_off_and_choose_the_language(client, ani):
    client.force_login(ani)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    response = client.post(reverse("notifications:preferences"), {"language": "en"})
    assert response.status_code == 302
    preferences = Preferences.objects.get(user=ani)
    assert (preferences.reminder_emails, preferences.language) == (False, "en")
    assert response.cookies["portal_language"].value == "en"


def test_preferences_refuse_an_unknown_language_and_keep_the_choice(client, ani):
    client.force_login(ani)
    response = client.post(
        reverse("notifications:preferences"), {"language": "fr", "reminder_emails": "on"}
    )
    assert response.status_code == 400
    assert not Preferences.objects.exists()
    page = response.content.decode()
    assert "fr bukan salah satu dari pilihan yang tersedia" in page
    assert 'id="id_reminder_emails" checked' in page
