from django.contrib.auth import get_user_model

from opds.models import Membership
from tests.opds.factories import UserFactory


def test_admin_refuses_an_opd_operator_without_an_opd_with_a_message(
    client, admin_user, gunung_mas
):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    operator = UserFactory(username="operator.baru")
    response = client.post(
        "/admin/opds/membership/add/",
        {"user": operator.pk, "role": "opd_staff", "region": "", "opd": ""},
    )
    assert response.status_code == 200
    assert "Operator OPD wajib memiliki OPD." in response.content.decode()
    assert not Membership.objects.filter(user=operator).exists()


def test_admin_lists_regions_opds_and_memberships(client, admin_user, kominfo, opd_staff):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    for url in [
        "/admin/opds/region/",
        "/admin/opds/opd/",
        "/admin/opds/membership/",
        "/admin/auth/user/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "opd.kominfo" in client.get("/admin/auth/user/").content.decode()
    assert get_user_model().objects.filter(username="opd.kominfo").exists()
