import pytest
from django.core.cache import cache

from opds.models import Membership
from tests.opds.factories import OPDFactory, ProvinceFactory, RegencyFactory, user_with_role


@pytest.fixture(autouse=True)
def _fresh_cache():
    """API throttles count in Django's cache: every test starts with none of its rate spent."""
    cache.clear()


@pytest.fixture
def province(db):
    return ProvinceFactory(code="62", name="Provinsi Kalimantan Tengah")


@pytest.fixture
def gunung_mas(province):
    return RegencyFactory(parent=province, code="10", name="Kabupaten Gunung Mas")


@pytest.fixture
def katingan(province):
    return RegencyFactory(parent=province, code="06", name="Kabupaten Katingan")


@pytest.fixture
def other_province(db):
    return ProvinceFactory(code="63", name="Provinsi Kalimantan Selatan")


@pytest.fixture
def other_province_regency(other_province):
    return RegencyFactory(parent=other_province, code="01", name="Kabupaten Tanah Laut")


@pytest.fixture
def kominfo(gunung_mas):
    return OPDFactory(
        region=gunung_mas,
        name="Dinas Komunikasi, Informatika, Statistik dan Persandian",
        short_name="Diskominfo,SP",
    )


@pytest.fixture
def dukcapil(gunung_mas):
    return OPDFactory(
        region=gunung_mas, name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Disdukcapil"
    )


@pytest.fixture
def katingan_opd(katingan):
    return OPDFactory(region=katingan, name="Dinas Kominfo Katingan", short_name="Diskominfo")


@pytest.fixture
def admin_user(db):
    return user_with_role(Membership.Role.ADMIN, username="admin")


@pytest.fixture
def reviewer(province):
    return user_with_role(Membership.Role.REVIEWER, region=province, username="reviewer")


@pytest.fixture
def head(gunung_mas):
    return user_with_role(Membership.Role.HEAD, region=gunung_mas, username="kadis.gumas")


@pytest.fixture
def opd_staff(kominfo):
    return user_with_role(Membership.Role.OPD_STAFF, opd=kominfo, username="opd.kominfo")


@pytest.fixture
def scoped_world(gunung_mas, katingan, other_province_regency, kominfo, dukcapil, katingan_opd):
    """Two regencies of our province, one of another province, and an OPD in each."""
    other_opd = OPDFactory(region=other_province_regency, name="Dinas Kominfo Tanah Laut")
    return {
        "gunung_mas": gunung_mas,
        "katingan": katingan,
        "other_regency": other_province_regency,
        "kominfo": kominfo,
        "dukcapil": dukcapil,
        "katingan_opd": katingan_opd,
        "other_opd": other_opd,
    }


@pytest.fixture
def dukcapil_staff(dukcapil):
    return user_with_role(Membership.Role.OPD_STAFF, opd=dukcapil, username="opd.dukcapil")


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port, with the portal's e-mail settings pointed at
    it as ``EMAIL_URL`` would (``egov_portal.email_url``). ``smtp_server.messages`` is what
    arrived; the test may ``stop()`` and ``start()`` it again on the same port."""
    from egov_portal.email_url import parse_email_url
    from tests.mail import SMTPServer

    server = SMTPServer()
    for name, value in parse_email_url(server.url).items():
        setattr(settings, name, value)
    settings.DEFAULT_FROM_EMAIL = "Portal e-Gov Kalteng <portal@kalteng.go.id>"
    settings.PORTAL_URL = "https://egov.kalteng.go.id"
    server.start()
    yield server
    server.stop()
