"""The assessment pages call a framework's top-level groups by the framework's own word: PeGI's
dimensions ("dimensi") and SPBE's domains ("domain")."""

import re

import pytest
from django.conf import settings

from assessments.crosswalks import CROSSWALKS_DIR, load_crosswalk_file
from assessments.loader import FRAMEWORKS_DIR, load_framework_file
from tests.assessments.factories import make_assessment
from tests.assessments.test_views import dimension_url, post_answer


def visible_text(content):
    """What a reader sees of a page, and what a screen reader reads of its labels."""
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', content))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content)) + " " + labels


@pytest.fixture
def spbe_draft(db, reviewer, gunung_mas):
    spbe = load_framework_file(FRAMEWORKS_DIR / "spbe-2020.json")
    return make_assessment(reviewer, gunung_mas, spbe, year=2021)


@pytest.fixture
def pegi_draft(db, reviewer, gunung_mas):
    pegi = load_framework_file(FRAMEWORKS_DIR / "pegi.json")
    return make_assessment(reviewer, gunung_mas, pegi, year=2019)


def test_an_spbe_assessment_speaks_of_domains_and_never_of_dimensions(client, spbe_draft, reviewer):
    client.force_login(reviewer)
    post_answer(client, spbe_draft, "spbe-01", verified_level=3)
    overview = visible_text(client.get(spbe_draft.get_absolute_url()).content.decode())
    assert "Skor per domain" in overview
    assert "Domain Terjawab Skor" in overview  # the table's header row
    page = visible_text(client.get(dimension_url(spbe_draft, "kebijakan")).content.decode())
    assert "Skor domain" in page
    card = visible_text(
        post_answer(client, spbe_draft, "spbe-02", verified_level=2).content.decode()
    )
    assert "Skor domain" in card
    for text in (overview, page, card):
        assert "dimensi" not in text.lower()


def test_a_pegi_assessment_still_speaks_of_dimensions(client, pegi_draft, reviewer):
    client.force_login(reviewer)
    overview = visible_text(client.get(pegi_draft.get_absolute_url()).content.decode())
    assert "Skor per dimensi" in overview
    assert "Dimensi Terjawab Skor" in overview
    page = visible_text(client.get(dimension_url(pegi_draft, "policy")).content.decode())
    assert "Skor dimensi" in page
    assert "Skor domain" not in page


def test_the_words_follow_the_reader_language(client, spbe_draft, pegi_draft, reviewer):
    client.force_login(reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    spbe = client.get(dimension_url(spbe_draft, "kebijakan")).content.decode()
    assert '<nav aria-label="Domain"' in spbe
    pegi = client.get(pegi_draft.get_absolute_url()).content.decode()
    assert '<th scope="col">Dimension</th>' in pegi


def test_the_pegi_equivalent_of_an_spbe_assessment_speaks_of_pegi_dimensions(
    client, spbe_draft, reviewer
):
    load_framework_file(FRAMEWORKS_DIR / "pegi.json")
    load_crosswalk_file(CROSSWALKS_DIR / "spbe-2020-pegi.json")
    client.force_login(reviewer)
    overview = visible_text(client.get(spbe_draft.get_absolute_url()).content.decode())
    assert "Skor per domain" in overview
    assert "dihitung pada dimensi padanannya" in overview
