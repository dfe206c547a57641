import pytest

from tests.assessments.factories import make_assessment, make_framework


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
