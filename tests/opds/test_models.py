import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from opds.models import OPD, Membership, Region
from tests.opds.factories import OPDFactory, UserFactory


def membership(**kwargs):
    return Membership(user=UserFactory(), **kwargs)


def test_opd_staff_without_opd_is_refused(db):
    with pytest.raises(ValidationError) as error:
        membership(role=Membership.Role.OPD_STAFF).full_clean()
    assert error.value.message_dict["opd"] == ["Operator OPD wajib memiliki OPD."]


def test_reviewer_must_be_scoped_to_a_province(gunung_mas):
    with pytest.raises(ValidationError) as error:
        membership(role=Membership.Role.REVIEWER, region=gunung_mas).full_clean()
    assert "region" in error.value.message_dict


def test_reviewer_without_region_is_refused(db):
    with pytest.raises(ValidationError) as error:
        membership(role=Membership.Role.REVIEWER).full_clean()
    assert "region" in error.value.message_dict


def test_head_needs_a_region_and_no_opd(gunung_mas, kominfo):
    with pytest.raises(ValidationError) as error:
        membership(role=Membership.Role.HEAD).full_clean()
    assert "region" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        membership(role=Membership.Role.HEAD, region=gunung_mas, opd=kominfo).full_clean()
    assert "opd" in error.value.message_dict


def test_admin_carries_no_scope(gunung_mas):
    with pytest.raises(ValidationError) as error:
        membership(role=Membership.Role.ADMIN, region=gunung_mas).full_clean()
    assert "region" in error.value.message_dict


def test_valid_memberships_pass(province, gunung_mas, kominfo):
    membership(role=Membership.Role.ADMIN).full_clean()
    membership(role=Membership.Role.REVIEWER, region=province).full_clean()
    membership(role=Membership.Role.HEAD, region=gunung_mas).full_clean()
    membership(role=Membership.Role.OPD_STAFF, opd=kominfo).full_clean()


def test_database_refuses_opd_staff_without_opd_even_past_validation(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        membership(role=Membership.Role.OPD_STAFF).save()


def test_opd_names_are_unique_per_region_ignoring_case(gunung_mas, katingan):
    OPDFactory(region=gunung_mas, name="Dinas Kesehatan")
    duplicate = OPD(region=gunung_mas, name="dinas kesehatan", kind=OPD.Kind.DINAS)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Wilayah ini sudah memiliki OPD dengan nama tersebut." in str(error.value)
    OPD(region=katingan, name="Dinas Kesehatan", kind=OPD.Kind.DINAS).full_clean()


def test_regency_code_must_extend_its_province_code(province):
    region = Region(code="63.10", name="Salah", kind=Region.Kind.REGENCY, parent=province)
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "code" in error.value.message_dict


def test_regency_without_province_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="62.99", name="Yatim", kind=Region.Kind.REGENCY)


def test_malformed_kemendagri_code_is_refused(province):
    region = Region(code="62-10", name="Salah", kind=Region.Kind.REGENCY, parent=province)
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "code" in error.value.message_dict
