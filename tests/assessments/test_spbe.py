"""The shipped SPBE 2020 framework: its content, and its scores as the regulation computes
them: Σ(weight × level) / Σ weight over the counted indicators, at every level."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from assessments.loader import FRAMEWORKS_DIR, load_framework_file, validate_framework
from assessments.models import Answer, Indicator, Level
from assessments.scoring import assessment_result, bands_of, rating_for, round_score
from tests.assessments.factories import make_assessment
from tests.assessments.test_views import post_answer

D = Decimal
# The regulation's 47 indicators with their domain, aspect and weights.
REFERENCE_CSV = Path(__file__).parent / "data" / "spbe-2020-indicators.csv"
LEVEL_NAMES = ["Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum"]

# The levels of the hand-computed example, spbe-01 … spbe-47, by aspect.
LEVELS = [
    *[3, 3, 3, 3, 3, 2, 2, 2, 2, 2],  # kebijakan internal: 25 × 1.3 = 32.5
    *[3, 3, 2, 2],  # perencanaan strategis: 10 × 2.5 = 25
    *[4, 3, 3, 2],  # TIK: 12 × 2.5 = 30
    *[3, 2],  # penyelenggara: 5 × 2.5 = 12.5
    *[2, 3, 2, 2, 3, 1, 1, 2],  # penerapan manajemen: 16 × 1.5 = 24
    *[1, 1, 2],  # audit TIK: 4 × 1.5 = 6
    *[4, 4, 3, 3, 3, 3, 2, 3, 3, 3],  # layanan administrasi: 31 × 2.75 = 85.25
    *[4, 3, 3, 4, 3, 2],  # layanan publik: 19 × 3 = 57
]


@pytest.fixture
def spbe(db):
    return load_framework_file(FRAMEWORKS_DIR / "spbe-2020.json")


@pytest.fixture
def spbe_draft(spbe, reviewer, gunung_mas):
    return make_assessment(reviewer, gunung_mas, spbe, year=2021)


def answer_all(assessment, levels):
    indicators = Indicator.objects.filter(dimension__framework=assessment.framework)
    by_code = {i.code: i for i in indicators}
    Answer.objects.bulk_create(
        Answer(assessment=assessment, indicator=by_code[f"spbe-{n:02d}"], verified_level=level)
        for n, level in enumerate(levels, start=1)
        if level is not None
    )


def test_the_shipped_file_has_the_reference_structure_and_weights(spbe):
    rows = list(csv.DictReader(REFERENCE_CSV.open(encoding="utf-8")))
    indicators = list(
        Indicator.objects.filter(dimension__framework=spbe).select_related("dimension", "aspect")
    )
    assert len(indicators) == len(rows) == 47
    for indicator, row in zip(indicators, rows, strict=True):
        assert indicator.code == f"spbe-{int(row['number']):02d}"
        assert indicator.name == row["indicator"]
        assert indicator.weight == D(row["weight"])
        assert indicator.aspect.name == row["aspect"]
        assert indicator.aspect.weight == D(row["aspect_weight"])
        assert indicator.dimension.name == row["domain"]
        assert indicator.dimension.weight == D(row["domain_weight"])
        assert indicator.name_en and indicator.evidence and indicator.evidence_en
    assert sum(i.weight for i in indicators) == 100
    assert (spbe.scale_min, spbe.scale_max, spbe.aggregation) == (1, 5, "pooled")
    assert [(str(b.min_score), b.name) for b in spbe.bands.order_by("min_score")] == [
        ("1.00", "Kurang"),
        ("1.80", "Cukup"),
        ("2.60", "Baik"),
        ("3.50", "Sangat Baik"),
        ("4.20", "Memuaskan"),
    ]


def test_every_indicator_describes_the_five_maturity_levels_in_both_languages(spbe):
    levels = Level.objects.filter(indicator__dimension__framework=spbe)
    assert levels.count() == 47 * 5
    for level in levels:
        assert level.descriptor.startswith(f"{LEVEL_NAMES[level.level - 1]}: ")
        assert level.descriptor_en
    policy = Level.objects.get(
        indicator__code="spbe-01", level=1, indicator__dimension__framework=spbe
    )
    assert "draf" in policy.descriptor
    service = Level.objects.get(
        indicator__code="spbe-42", level=3, indicator__dimension__framework=spbe
    )
    assert "(transaksi)" in service.descriptor


def test_the_index_is_the_weighted_mean_of_all_47_indicators(spbe_draft):
    answer_all(spbe_draft, LEVELS)
    result = assessment_result(spbe_draft)
    # (32.5 + 25 + 30 + 12.5 + 24 + 6 + 85.25 + 57) / 100 = 272.25 / 100
    assert result.index == D("2.72")
    assert result.rating.name == "Baik"
    assert [(d.code, d.score) for d in result.dimensions] == [
        ("kebijakan", D("2.50")),  # 32.5 / 13
        ("tata-kelola", D("2.70")),  # 67.5 / 25
        ("manajemen", D("1.82")),  # 30 / 16.5 = 1.818…
        ("layanan", D("3.13")),  # 142.25 / 45.5 = 3.126…
    ]
    governance = result.dimension("tata-kelola")
    assert [(a.code, a.score) for a in governance.aspects] == [
        ("perencanaan-strategis", D("2.50")),
        ("tik", D("3.00")),
        ("penyelenggara", D("2.50")),
    ]
    assert result.dimension("layanan").aspect("layanan-publik").score == D("3.17")  # 57 / 18
    assert result.completeness == D("100.0")


def test_unanswered_and_not_applicable_indicators_weigh_nothing_at_any_level(spbe_draft):
    answer_all(spbe_draft, [5] + [None] * 30 + [1] + [None] * 15)
    Answer.objects.create(
        assessment=spbe_draft,
        indicator=Indicator.objects.get(code="spbe-47", dimension__framework=spbe_draft.framework),
        verified_level=5,
        not_applicable=True,
    )
    result = assessment_result(spbe_draft)
    # (1.3 × 5 + 2.75 × 1) / (1.3 + 2.75) = 9.25 / 4.05 = 2.283…; weighing the two domains
    # by their own weights would give (13 × 5 + 45.5 × 1) / 58.5 = 1.89.
    assert result.index == D("2.28")
    assert result.dimension("kebijakan").score == D("5.00")
    assert result.dimension("layanan").score == D("1.00")
    assert result.dimension("tata-kelola").score is None


@pytest.mark.parametrize(
    ("score", "predicate"),
    [
        ("1.00", "Kurang"),
        ("1.79", "Kurang"),
        ("1.80", "Cukup"),
        ("2.59", "Cukup"),
        ("2.60", "Baik"),
        ("3.49", "Baik"),
        ("3.50", "Sangat Baik"),
        ("4.19", "Sangat Baik"),
        ("4.20", "Memuaskan"),
        ("5.00", "Memuaskan"),
    ],
)
def test_predicates_change_exactly_at_their_boundaries(spbe, score, predicate):
    assert rating_for(D(score), bands_of(spbe)).name == predicate


def test_a_score_is_rounded_half_up_to_two_decimals_before_its_predicate_is_read(spbe):
    bands = bands_of(spbe)
    assert rating_for(round_score(D("1.7949")), bands).name == "Kurang"
    assert rating_for(round_score(D("1.795")), bands).name == "Cukup"
    assert rating_for(round_score(D("4.195")), bands).name == "Memuaskan"


def test_a_pooled_framework_whose_group_weights_are_not_their_sums_is_refused():
    from assessments.loader import read_framework_file

    document = read_framework_file(FRAMEWORKS_DIR / "spbe-2020.json")
    document["dimensions"][1]["aspects"][2]["weight"] = 6
    assert validate_framework(document) == [
        "dimensions[1].aspects[2].weight: 6 is not the sum of its parts' weights (5.0), "
        "as a pooled framework needs",
        "dimensions[1].weight: 25 is not the sum of its parts' weights (26), "
        "as a pooled framework needs",
    ]
    document["aggregation"] = "averaged"
    assert "framework.aggregation: 'averaged' is not one of grouped, pooled" in validate_framework(
        document
    )


def test_the_api_serves_the_framework_with_aspects_codes_and_weights(spbe, reviewer):
    api = APIClient()
    api.force_authenticate(reviewer)
    body = api.get("/api/v1/frameworks/spbe-2020/").json()
    assert (body["scale_min"], body["scale_max"], body["aggregation"]) == (1, 5, "pooled")
    governance = body["dimensions"][1]
    assert (governance["code"], governance["weight"], governance["indicators"]) == (
        "tata-kelola",
        25.0,
        [],
    )
    assert [(a["code"], a["weight"]) for a in governance["aspects"]] == [
        ("perencanaan-strategis", 10.0),
        ("tik", 10.0),
        ("penyelenggara", 5.0),
    ]
    first = governance["aspects"][0]["indicators"][0]
    assert (first["code"], first["weight"], first["name"]) == ("spbe-11", 2.5, "Arsitektur SPBE")
    assert [level["level"] for level in first["levels"]] == [1, 2, 3, 4, 5]
    codes = [i["code"] for d in body["dimensions"] for a in d["aspects"] for i in a["indicators"]]
    assert codes == [f"spbe-{n:02d}" for n in range(1, 48)]


def test_a_level_outside_one_to_five_is_400_in_the_api(spbe_draft, reviewer):
    api = APIClient()
    api.force_authenticate(reviewer)
    url = f"/api/v1/assessments/{spbe_draft.pk}/answers/spbe-01/"
    response = api.patch(url, {"verified_level": 6, "version": 0}, format="json")
    assert response.status_code == 400
    assert response.json()["verified_level"] == ["Pilih level antara 1 dan 5."]
    response = api.patch(url, {"verified_level": 5, "version": 0}, format="json")
    assert response.status_code == 200


def test_a_level_outside_one_to_five_is_a_form_error_on_the_page(client, spbe_draft, reviewer):
    client.force_login(reviewer)
    response = post_answer(client, spbe_draft, "spbe-01", verified_level=6)
    assert response.status_code == 400
    assert "Pilih level antara 1 dan 5." in response.content.decode()
    assert not Answer.objects.filter(assessment=spbe_draft).exists()


def test_the_pages_group_indicators_by_aspect_with_aspect_scores(
    client, spbe_draft, reviewer, django_assert_max_num_queries
):
    from django.urls import reverse

    from assessments.crosswalks import CROSSWALKS_DIR, load_crosswalk_file
    from tests.assessments.test_views import text_of

    load_framework_file(FRAMEWORKS_DIR / "pegi.json")
    load_crosswalk_file(CROSSWALKS_DIR / "spbe-2020-pegi.json")
    answer_all(spbe_draft, LEVELS)
    client.force_login(reviewer)
    # As a PeGI overview, plus four for the PeGI view (the crosswalk's entries, PeGI's
    # dimensions and bands, the answers).
    with django_assert_max_num_queries(28):
        overview = client.get(spbe_draft.get_absolute_url()).content.decode()
    assert text_of(overview, "index") == "2,72"
    assert text_of(overview, "score-tata-kelola") == "2,70"
    assert text_of(overview, "aspect-score-tik") == "3,00"
    assert text_of(overview, "aspect-score-layanan-publik") == "3,17"
    assert text_of(overview, "derived-index") == "2,12"
    assert text_of(overview, "derived-applications") == "2,60"
    assert overview.index("aspect-score-perencanaan-strategis") < overview.index(
        "aspect-score-penyelenggara"
    )
    url = reverse(
        "assessments:assessment_dimension", kwargs={"pk": spbe_draft.pk, "dimension": "tata-kelola"}
    )
    # No history of the answers: each card's panel loads its own when opened.
    with django_assert_max_num_queries(23):
        page = client.get(url).content.decode()
    assert text_of(page, "dimension-score") == "2,70"
    assert text_of(page, "aspect-score-penyelenggara") == "2,50"
    tik = page.index('data-testid="aspect-group-tik"')
    assert page.index('data-testid="aspect-group-perencanaan-strategis"') < tik
    assert (
        tik
        < page.index('id="indicator-spbe-15"')
        < page.index('data-testid="aspect-group-penyelenggara"')
    )
    assert "Aspek Teknologi Informasi dan Komunikasi" in page


def test_the_api_detail_gives_each_aspect_its_score_from_its_answered_applicable_indicators(
    spbe_draft, reviewer, django_assert_num_queries
):
    tik = {"spbe-15": 4, "spbe-16": 2, "spbe-17": 5}  # spbe-17 is N/A, spbe-18 unanswered
    indicators = Indicator.objects.filter(dimension__framework=spbe_draft.framework)
    by_code = {i.code: i for i in indicators}
    Answer.objects.bulk_create(
        Answer(
            assessment=spbe_draft,
            indicator=by_code[code],
            verified_level=level,
            not_applicable=code == "spbe-17",
        )
        for code, level in {**tik, "spbe-19": 1, "spbe-20": 2}.items()
    )
    api = APIClient()
    api.force_authenticate(reviewer)
    url = f"/api/v1/assessments/{spbe_draft.pk}/"
    api.get(url)  # the framework's structure, built once per process
    # The assessment, its answers, a crosswalk to look for: none per aspect.
    with django_assert_num_queries(3):
        body = api.get(url).json()
    governance = body["dimensions"][1]
    # Pooled: (2.5 × 4 + 2.5 × 2 + 2.5 × 1 + 2.5 × 2) / (4 × 2.5) = 22.5 / 10
    assert (governance["code"], governance["score"], governance["rating"]) == (
        "tata-kelola",
        2.25,
        "Cukup",
    )
    assert governance["aspects"] == [
        {
            "code": "perencanaan-strategis",
            "name": "Perencanaan Strategis SPBE",
            "score": None,
            "rating": None,
        },
        # (2.5 × 4 + 2.5 × 2) / (2.5 + 2.5): N/A and unanswered weigh nothing.
        {
            "code": "tik",
            "name": "Teknologi Informasi dan Komunikasi",
            "score": 3.0,
            "rating": "Baik",
        },
        # (2.5 × 1 + 2.5 × 2) / (2.5 + 2.5)
        {"code": "penyelenggara", "name": "Penyelenggara SPBE", "score": 1.5, "rating": "Kurang"},
    ]
    assert [len(d["aspects"]) for d in body["dimensions"]] == [1, 3, 2, 2]
    assert "aspects" not in api.get("/api/v1/assessments/").json()["results"][0]["dimensions"][0]
