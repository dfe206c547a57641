import pytest

from opds.models import Membership
from tests.assessments.factories import make_assessment, make_framework
from tests.opds.factories import user_with_role


@pytest.fixture
def framework(db):
    return make_framework()


@pytest.fixture
def draft(framework, reviewer, gunung_mas):
    return make_assessment(reviewer, gunung_mas, framework)


@pytest.fixture
def indicators(framework):
    from assessments.models import Indicator

    return {i.code: i for i in Indicator.objects.filter(dimension__framework=framework)}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def people(reviewer, head, other_province_regency, gunung_mas):
    """Everyone with an address: the province's reviewers and the region's head, and others
    who must hear nothing."""
    second_reviewer = user_with_role(
        Membership.Role.REVIEWER, region=gunung_mas.parent, username="reviewer2"
    )
    elsewhere = user_with_role(
        Membership.Role.REVIEWER, region=other_province_regency.parent, username="kalsel"
    )
    retired = user_with_role(Membership.Role.REVIEWER, region=gunung_mas.parent, username="pensiun")
    retired.is_active = False
    retired.save()
    for user in (reviewer, second_reviewer, elsewhere, retired, head):
        user.email = f"{user.username}@kalteng.go.id"
        user.first_name = user.username.title()
        user.save()
    return {"reviewer": reviewer, "reviewer2": second_reviewer, "head": head}
