from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from opds.inventory import (
    application_completeness,
    application_create,
    application_delete,
    application_history,
    application_retire,
    application_update,
    likely_duplicates,
    similarity,
)
from opds.models import Application
from tests.opds.factories import ApplicationFactory, OPDFactory


def test_create_records_who_made_the_application(kominfo, opd_staff):
    application = application_create(
        user=opd_staff, opd=kominfo, name="E-Office", platform="web", user_opds=[kominfo]
    )
    assert application.changed_by == opd_staff
    entry = application.history.get()
    assert entry.history_type == "+"
    assert entry.history_user == opd_staff
    assert list(entry.user_opds.values_list("opd_id", flat=True)) == [kominfo.pk]


def test_application_names_are_unique_per_opd_ignoring_case(kominfo, dukcapil, opd_staff):
    application_create(user=opd_staff, opd=kominfo, name="SIMPEG")
    with pytest.raises(ValidationError) as error:
        application_create(user=opd_staff, opd=kominfo, name="simpeg")
    assert "sudah memiliki aplikasi dengan nama tersebut" in error.value.message_dict["name"][0]
    application_create(user=None, opd=dukcapil, name="simpeg")
    assert Application.objects.count() == 2


def test_database_refuses_a_same_name_application_past_validation(kominfo):
    ApplicationFactory(opd=kominfo, name="SIMPEG")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(opd=kominfo, name="Simpeg")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"year_built": 1975}, "year_built"),
        ({"year_built": timezone.localdate().year + 3}, "year_built"),
        ({"year_built": 2019, "last_developed_year": 2017}, "last_developed_year"),
        ({"url": "bukan alamat"}, "url"),
        ({"developer": "vendor"}, "vendor_name"),
        ({"description": "x" * 5001}, "description"),
        ({"notes": "x" * 5001}, "notes"),
        ({"data_handled": "x" * 5001}, "data_handled"),
    ],
)
def test_bad_values_are_refused_on_the_field(kominfo, fields, field):
    with pytest.raises(ValidationError) as error:
        application_create(user=None, opd=kominfo, name="Uji", **fields)
    assert field in error.value.message_dict
    assert not Application.objects.exists()


def test_user_opds_must_be_from_the_owner_region(kominfo, katingan_opd):
    with pytest.raises(ValidationError) as error:
        application_create(user=None, opd=kominfo, name="Uji", user_opds=[katingan_opd])
    assert "user_opds" in error.value.message_dict


def test_update_records_each_changed_field_with_old_and_new_value(kominfo, dukcapil, opd_staff):
    application = application_create(user=None, opd=kominfo, name="Portal", status="development")
    application_update(
        application,
        user=opd_staff,
        data={"status": "active", "url": "https://gunungmaskab.go.id", "user_opds": [dukcapil]},
    )
    entries = application_history(application)
    assert [entry.kind for entry in entries] == ["changed", "created"]
    latest = entries[0]
    assert latest.user == opd_staff
    shown = {change.label: (change.old_shown, change.new_shown) for change in latest.changes}
    assert shown == {
        "status": ("Dalam pengembangan", "Aktif"),
        "alamat (URL)": ("—", "https://gunungmaskab.go.id"),
        "OPD pengguna": ("—", "Disdukcapil"),
    }
    assert latest.as_dict()["changes"] == {
        "status": ["development", "active"],
        "url": ["", "https://gunungmaskab.go.id"],
        "user_opds": [[], [dukcapil.pk]],
    }


def test_saving_without_changes_adds_no_history(kominfo, opd_staff):
    application = application_create(user=None, opd=kominfo, name="Portal")
    application_update(application, user=opd_staff, data={"name": "Portal", "user_opds": []})
    assert application.history.count() == 1


def test_history_reads_in_a_fixed_number_of_queries(
    kominfo, dukcapil, opd_staff, django_assert_max_num_queries
):
    application = application_create(user=None, opd=kominfo, name="Portal")
    for year in range(2000, 2020):
        application_update(
            application,
            user=opd_staff,
            data={"year_built": year, "user_opds": [dukcapil] if year % 2 else []},
        )
    with django_assert_max_num_queries(5):
        entries = application_history(application)
    assert len(entries) == 21


def test_retire_keeps_the_record_and_says_why(kominfo, opd_staff):
    application = application_create(user=None, opd=kominfo, name="SI Bencana")
    application_retire(application, user=opd_staff)
    application.refresh_from_db()
    assert application.status == Application.Status.INACTIVE
    assert application_history(application)[0].reason == "Dipensiunkan (status tidak aktif)"


def test_delete_leaves_a_deletion_entry_naming_the_user(kominfo, opd_staff):
    application = application_create(user=None, opd=kominfo, name="Lama")
    pk = application.pk
    application_delete(application, user=opd_staff)
    entry = Application.history.filter(id=pk).latest()
    assert (entry.history_type, entry.history_user) == ("-", opd_staff)


def test_completeness_lists_what_is_missing(kominfo):
    application = application_create(
        user=None,
        opd=kominfo,
        name="SIMPEG",
        platform="desktop",
        description="Data pegawai",
        classification="umum",
        service_type="administrasi",
        year_built=2015,
        legal_basis="Perbup 9/2015",
        data_handled="Pegawai",
        database_engine="MySQL",
        programming_language="PHP",
        hosting="own_server_room",
        user_opds=[kominfo],
    )
    completeness = application_completeness(application)
    # A desktop application needs no URL; only the person in charge is missing.
    assert completeness.missing == ["penanggung jawab"]
    assert completeness.percent == 91
    application.platform = "web"
    assert application_completeness(application).missing == ["alamat (URL)", "penanggung jawab"]
    application.developer = "vendor"
    assert "nama vendor" in application_completeness(application).missing


def test_a_bare_record_is_mostly_incomplete(kominfo):
    completeness = application_completeness(ApplicationFactory(opd=kominfo))
    assert completeness.percent == 0
    assert len(completeness.missing) == 12


def app(pk, opd_id, name, description=""):
    return SimpleNamespace(pk=pk, opd_id=opd_id, name=name, description=description)


def test_two_letter_applications_of_different_opds_are_likely_duplicates():
    e_office = app(
        1,
        10,
        "E-Office Surat Elektronik",
        "Surat masuk dan surat keluar, disposisi berjenjang dan arsip naskah dinas.",
    )
    simasurat = app(
        2,
        11,
        "SIMASURAT DPRD",
        "Pencatatan surat masuk dan surat keluar, disposisi pimpinan dan arsip naskah dinas.",
    )
    simpeg = app(3, 12, "SIMPEG", "Data kepegawaian ASN: riwayat jabatan dan pangkat.")
    pairs = likely_duplicates([simpeg, simasurat, e_office])
    assert [(pair.first.pk, pair.second.pk) for pair in pairs] == [(1, 2)]
    assert "disposisi" in pairs[0].similarity.shared_words


def test_nearly_equal_names_are_likely_duplicates_even_without_descriptions():
    assert similarity(app(1, 1, "SIMPEG Online"), app(2, 2, "Aplikasi SIMPEG")).name_ratio == 1
    pairs = likely_duplicates([app(1, 1, "SIMPEG Online"), app(2, 2, "Aplikasi SIMPEG")])
    assert len(pairs) == 1


def test_generic_words_alone_do_not_make_a_duplicate():
    first = app(1, 1, "Sistem Informasi Manajemen Kepegawaian", "Aplikasi berbasis web")
    second = app(2, 2, "Sistem Informasi Manajemen Keuangan Daerah", "Aplikasi berbasis web")
    assert not likely_duplicates([first, second])


def test_applications_of_the_same_opd_are_not_compared():
    assert not likely_duplicates([app(1, 1, "SIMPEG"), app(2, 1, "SIMPEG v2")])


def test_similar_names_with_different_functions_are_not_flagged():
    assert not likely_duplicates([app(1, 1, "SIMPEG"), app(2, 2, "SIMRS")])


def test_duplicates_are_found_among_factory_made_applications_only_when_planted(gunung_mas):
    opds = OPDFactory.create_batch(3, region=gunung_mas)
    applications = [ApplicationFactory(opd=opds[n % 3]) for n in range(12)]
    assert not likely_duplicates(applications)
    applications.append(ApplicationFactory(opd=opds[1], name=applications[0].name + " v2"))
    assert len(likely_duplicates(applications)) == 1
