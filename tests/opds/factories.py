import hashlib

import factory
from django.contrib.auth import get_user_model

from opds.models import OPD, Application, Membership, Region

TEST_PASSWORD = "rahasia-uji-123"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{70 + n % 29}")
    name = factory.Sequence(lambda n: f"Provinsi Uji {n}")
    kind = Region.Kind.PROVINCE
    parent = None


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    parent = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten Uji {n}")
    kind = Region.Kind.REGENCY

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # A regency's code extends its province's: 62 → 62.10.
        kwargs["code"] = f"{kwargs['parent'].code}.{kwargs['code']}"
        return super()._create(model_class, *args, **kwargs)


class OPDFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OPD

    region = factory.SubFactory(RegencyFactory)
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    short_name = factory.Sequence(lambda n: f"DU{n}")
    kind = OPD.Kind.DINAS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(TEST_PASSWORD)


def user_with_role(role, *, region=None, opd=None, username=None):
    """A user holding a valid Membership of ``role`` scoped to ``region`` or ``opd``."""
    user = UserFactory(**({"username": username} if username else {}))
    Membership.objects.create(user=user, role=role, region=region, opd=opd)
    return user


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    opd = factory.SubFactory(OPDFactory)
    # Unrelated names, so that factory-made applications are never likely duplicates.
    name = factory.Sequence(lambda n: f"Aplikasi {hashlib.sha1(str(n).encode()).hexdigest()[:10]}")
    platform = Application.Platform.WEB
    status = Application.Status.ACTIVE
