from django.contrib.auth import get_user_model
from django.urls import reverse

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
        reverse("admin:opds_membership_add"),
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
        reverse("admin:opds_region_changelist"),
        reverse("admin:opds_opd_changelist"),
        reverse("admin:opds_membership_changelist"),
        reverse("admin:auth_user_changelist"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "opd.kominfo" in client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert get_user_model().objects.filter(username="opd.kominfo").exists()
