import datetime

from django.utils import timezone

from opds.inventory import inbox
from opds.models import Application
from tests.opds.factories import ApplicationFactory

TODAY = timezone.localdate()


def complete(**kwargs):
    """An application with every essential field filled in."""
    defaults = {
        "description": "Layanan surat elektronik",
        "person_in_charge": "Kepala Bidang Aptika",
        "url": "https://srikandi.gumaskab.go.id",
    }
    return ApplicationFactory(**{**defaults, **kwargs})


def age(application, days):
    Application.objects.filter(pk=application.pk).update(
        changed_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_an_application_without_a_description_is_incomplete_with_what_is_missing(
    scoped_world, opd_staff
):
    app = complete(opd=scoped_world["kominfo"], name="SRIKANDI", description="")
    [item] = inbox.inbox_items(opd_staff, today=TODAY)
    assert item.kind == "application_incomplete"
    assert item.object_id == app.pk
    assert item.region == "62.10"
    assert "SRIKANDI" in item.title
    assert "deskripsi" in item.detail
    assert item.url == f"/applications/{app.pk}/edit/"


def test_an_address_is_essential_only_for_a_web_application(scoped_world, opd_staff):
    complete(opd=scoped_world["kominfo"], platform=Application.Platform.MOBILE, url="")
    assert inbox.inbox_items(opd_staff, today=TODAY) == []
    complete(opd=scoped_world["kominfo"], platform=Application.Platform.WEB, url="")
    assert [i.kind for i in inbox.inbox_items(opd_staff, today=TODAY)] == ["application_incomplete"]


def test_a_vendors_application_needs_the_vendors_name(scoped_world, opd_staff):
    app = complete(opd=scoped_world["kominfo"], developer=Application.Developer.VENDOR)
    [item] = inbox.inbox_items(opd_staff, today=TODAY)
    assert item.object_id == app.pk
    assert "nama vendor" in item.detail


def test_a_record_unchanged_for_a_year_is_stale_and_waits_since_its_last_change(
    scoped_world, opd_staff
):
    fresh = complete(opd=scoped_world["kominfo"])
    old = complete(opd=scoped_world["kominfo"])
    age(fresh, 300)
    age(old, 400)
    [item] = inbox.inbox_items(opd_staff, today=TODAY)
    assert (item.kind, item.object_id) == ("application_stale", old.pk)
    assert item.days_waiting(TODAY) in {399, 400, 401}


def test_retired_applications_need_nothing(scoped_world, opd_staff):
    app = complete(opd=scoped_world["kominfo"], description="", status=Application.Status.INACTIVE)
    age(app, 800)
    assert inbox.inbox_items(opd_staff, today=TODAY) == []


def test_an_operator_sees_only_their_own_opds_records(scoped_world, opd_staff):
    complete(opd=scoped_world["dukcapil"], description="")
    complete(opd=scoped_world["katingan_opd"], description="")
    assert inbox.inbox_items(opd_staff, today=TODAY) == []


def test_a_head_gets_one_item_for_their_region_naming_the_opds(scoped_world, head):
    complete(opd=scoped_world["kominfo"], description="")
    complete(opd=scoped_world["dukcapil"], person_in_charge="")
    age(complete(opd=scoped_world["dukcapil"]), 500)
    complete(opd=scoped_world["katingan_opd"], description="")
    complete(opd=scoped_world["other_opd"], description="")
    [item] = inbox.inbox_items(head, today=TODAY)
    assert item.kind == "region_applications"
    assert item.region == "62.10"
    assert item.object_id == scoped_world["gunung_mas"].pk
    assert "2 aplikasi belum lengkap" in item.detail
    assert "1 aplikasi tidak berubah setahun" in item.detail
    assert "Disdukcapil" in item.detail and "Diskominfo,SP" in item.detail
    assert "Katingan" not in item.detail
    assert item.url == "/applications/?region=62.10"


def test_reviewers_and_admins_get_no_inventory_items(scoped_world, reviewer, admin_user):
    complete(opd=scoped_world["kominfo"], description="")
    assert inbox.inbox_items(reviewer, today=TODAY) == []
    assert inbox.inbox_items(admin_user, today=TODAY) == []


def test_the_filter_and_the_labels_agree_on_what_is_incomplete(scoped_world):
    made = [
        complete(opd=scoped_world["kominfo"]),
        complete(opd=scoped_world["kominfo"], description=""),
        complete(opd=scoped_world["kominfo"], url="", platform=Application.Platform.DESKTOP),
        complete(opd=scoped_world["kominfo"], url=""),
        complete(opd=scoped_world["kominfo"], developer=Application.Developer.VENDOR),
    ]
    flagged = set(
        inbox.incomplete_applications(Application.objects.all()).values_list("pk", flat=True)
    )
    assert flagged == {app.pk for app in made if inbox.missing_essentials(app)}
    assert len(flagged) == 3
