import pytest
from django.urls import reverse

from tests.opds.factories import OPDFactory, RegencyFactory


@pytest.fixture
def many_regions(province):
    """A province of realistic size: 14 regencies with 30 OPDs each."""
    for number in range(1, 15):
        regency = RegencyFactory(parent=province, code=f"{number + 20:02d}")
        OPDFactory.create_batch(30, region=regency)
    return province


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("opds:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_region_outside_scope_is_a_404(client, scoped_world, head):
    client.force_login(head)
    response = client.get(reverse("opds:region_detail", kwargs={"code": "62.06"}))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_unknown_region_code_is_a_404_page(client, scoped_world, reviewer):
    client.force_login(reviewer)
    response = client.get("/regions/99.99/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_region_detail_lists_its_opds(client, scoped_world, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("opds:region_detail", kwargs={"code": "62.10"}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Disdukcapil" in content
    assert "Dinas Kominfo Katingan" not in content


def test_opd_list_is_scoped_and_filterable(client, scoped_world, reviewer):
    client.force_login(reviewer)
    content = client.get(reverse("opds:opd_list")).content.decode()
    assert "Dinas Kominfo Katingan" in content
    assert "Tanah Laut" not in content
    content = client.get(reverse("opds:opd_list"), {"region": "62.10"}).content.decode()
    assert "Dinas Kominfo Katingan" not in content
    assert "Disdukcapil" in content
    content = client.get(reverse("opds:opd_list"), {"q": "kependudukan"}).content.decode()
    assert "Disdukcapil" in content
    assert "Diskominfo,SP" not in content


def test_opd_list_hides_inactive_opds_unless_asked(client, scoped_world, reviewer):
    dukcapil = scoped_world["dukcapil"]
    dukcapil.active = False
    dukcapil.save()
    client.force_login(reviewer)
    assert "Disdukcapil" not in client.get(reverse("opds:opd_list")).content.decode()
    response = client.get(reverse("opds:opd_list"), {"include_inactive": "on"})
    assert "Disdukcapil" in response.content.decode()


def test_opd_list_offers_only_visible_regions_as_filter(client, scoped_world, head):
    client.force_login(head)
    response = client.get(reverse("opds:opd_list"), {"region": "62.06"})
    assert response.status_code == 200
    assert "Dinas Kominfo Katingan" not in response.content.decode()
    assert response.context["form"].errors


# The home page is the work inbox: its bounds are in tests/reports/test_inbox.py.
@pytest.mark.parametrize("url_name", ["opds:region_list", "opds:opd_list"])
def test_list_pages_take_a_bounded_number_of_queries(
    client, many_regions, reviewer, django_assert_max_num_queries, url_name
):
    client.force_login(reviewer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_region_detail_takes_a_bounded_number_of_queries(
    client, many_regions, reviewer, django_assert_max_num_queries
):
    client.force_login(reviewer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("opds:region_detail", kwargs={"code": "62.21"}))
    assert len(response.context["opds"]) == 30
