"""The SPBE 2020 → PeGI crosswalk: a complete mapping, refused whole when anything is wrong,
and the PeGI view of an SPBE assessment it gives."""

import copy
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from assessments.crosswalks import CROSSWALKS_DIR, load_crosswalk, validate_crosswalk
from assessments.loader import FRAMEWORKS_DIR, FrameworkFileError, load_framework_file
from assessments.models import Crosswalk, CrosswalkEntry, Indicator
from assessments.scoring import derived_result, framework_spec, rescale
from tests.assessments.factories import make_assessment, make_framework
from tests.assessments.test_spbe import LEVELS, answer_all

D = Decimal
FILE = CROSSWALKS_DIR / "spbe-2020-pegi.json"


@pytest.fixture
def frameworks(db):
    return (
        load_framework_file(FRAMEWORKS_DIR / "spbe-2020.json"),
        load_framework_file(FRAMEWORKS_DIR / "pegi.json"),
    )


@pytest.fixture
def document():
    return json.loads(FILE.read_text(encoding="utf-8"))


@pytest.fixture
def crosswalk(frameworks, document):
    return load_crosswalk(document)


def test_the_shipped_crosswalk_maps_every_indicator_to_one_pegi_dimension(crosswalk):
    entries = CrosswalkEntry.objects.filter(crosswalk=crosswalk)
    mapping = dict(entries.values_list("indicator__code", "dimension__code"))
    assert sorted(mapping) == [f"spbe-{n:02d}" for n in range(1, 48)]
    assert {mapping[f"spbe-{n:02d}"] for n in range(1, 11)} == {"policy"}
    assert {mapping[f"spbe-{n:02d}"] for n in range(32, 48)} == {"applications"}
    assert [mapping[code] for code in ("spbe-19", "spbe-25")] == ["institutions"] * 2
    assert {mapping[f"spbe-{n}"] for n in (16, 17, 18, 22, 29, 30, 31)} == {"infrastructure"}
    assert mapping["spbe-15"] == "applications"
    assert [mapping[f"spbe-{n}"] for n in (11, 12, 13)] == ["planning"] * 3


def test_loading_twice_is_idempotent_and_updates_in_place(crosswalk, document):
    ids = set(CrosswalkEntry.objects.values_list("pk", flat=True))
    changed = copy.deepcopy(document)
    changed["version"] = "2020.2"
    changed["entries"][13]["dimension"] = "institutions"
    again = load_crosswalk(changed)
    assert again.pk == crosswalk.pk and again.version == "2020.2"
    assert set(CrosswalkEntry.objects.values_list("pk", flat=True)) == ids
    assert CrosswalkEntry.objects.get(indicator__code="spbe-14").dimension.code == "institutions"


def test_every_problem_is_listed_and_nothing_is_loaded(frameworks, document):
    document["entries"].pop(46)  # spbe-47 left out
    document["entries"][0]["indicator"] = "spbe-99"  # spbe-01 left out, unknown code
    document["entries"][1]["dimension"] = "budget"
    document["entries"][2]["indicator"] = "spbe-04"  # twice
    with pytest.raises(FrameworkFileError) as error:
        load_crosswalk(document)
    assert error.value.messages == [
        "entries[0].indicator: spbe-2020 has no indicator 'spbe-99'",
        "entries[1].dimension: pegi has no dimension 'budget'",
        "entries[3].indicator: 'spbe-04' is also mapped at entries[2]",
        "crosswalk.entries: indicator 'spbe-01' is not mapped",
        "crosswalk.entries: indicator 'spbe-03' is not mapped",
        "crosswalk.entries: indicator 'spbe-47' is not mapped",
    ]
    assert not Crosswalk.objects.exists() and not CrosswalkEntry.objects.exists()


def test_unknown_or_identical_framework_codes_are_refused(frameworks, document):
    document["source"] = "spbe-2019"
    assert validate_crosswalk(document) == [
        "crosswalk.source: no loaded framework has the code 'spbe-2019'"
    ]
    document["source"] = document["target"] = "pegi"
    problems = validate_crosswalk(document)
    assert problems[0] == "crosswalk.target: must be another framework than the source"
    assert "entries[0].indicator: pegi has no indicator 'spbe-01'" in problems
    assert "crosswalk.entries: indicator 'policy-01' is not mapped" in problems
    document["target"] = None
    assert "crosswalk.target: no loaded framework has the code None" in validate_crosswalk(document)


def test_a_document_without_entries_or_version_is_refused(frameworks):
    assert validate_crosswalk({"source": "spbe-2020", "target": "pegi"}) == [
        "crosswalk.version: required text",
        "crosswalk.entries: at least one entry is required",
    ]
    assert validate_crosswalk([]) == ["(top): a JSON object is required"]


def test_the_command_loads_the_file_or_lists_its_problems(frameworks, document, tmp_path):
    output = StringIO()
    call_command("load_crosswalk", str(FILE), stdout=output)
    assert "spbe-2020 → pegi version 2020.1: 47 indicators mapped" in output.getvalue()
    document["entries"][5]["dimension"] = "kebijakan"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    errors = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_crosswalk", str(bad), stderr=errors)
    assert "entries[5].dimension: pegi has no dimension 'kebijakan'" in errors.getvalue()
    assert CrosswalkEntry.objects.get(indicator__code="spbe-06").dimension.code == "policy"


def test_a_level_is_rescaled_linearly_from_one_to_five_onto_one_to_four():
    scales = {"source": (1, 5), "target": (1, 4)}
    assert [rescale(D(level), **scales) for level in range(1, 6)] == [
        D("1"),
        D("1.75"),
        D("2.5"),
        D("3.25"),
        D("4"),
    ]


def test_the_pegi_view_of_a_whole_spbe_assessment(crosswalk, reviewer, gunung_mas):
    spbe, _pegi = crosswalk.source, crosswalk.target
    assessment = make_assessment(reviewer, gunung_mas, spbe, year=2021)
    answer_all(assessment, LEVELS)
    derived = derived_result(assessment)
    assert derived.framework == "pegi"
    # Weighted SPBE means of the mapped indicators, rescaled by 1 + (s − 1) × 3/4:
    # policy 32.5/13 = 2.5 → 2.125; institutions 23/11 = 2.0909… → 1.818…;
    # infrastructure 36.5/16.5 = 2.2121… → 1.909…; applications 155.25/49.5 = 3.1363… →
    # 2.602…; planning 25/10 = 2.5 → 2.125.
    assert [(d.code, d.score) for d in derived.dimensions] == [
        ("policy", D("2.13")),
        ("institutions", D("1.82")),
        ("infrastructure", D("1.91")),
        ("applications", D("2.60")),
        ("planning", D("2.13")),
    ]
    # PeGI's index: the mean of the five dimension scores, 10.59 / 5.
    assert derived.index == D("2.12")
    assert derived.rating.name == "Kurang"


def test_the_pegi_view_leaves_out_what_is_not_counted(crosswalk, reviewer, gunung_mas):
    assessment = make_assessment(reviewer, gunung_mas, crosswalk.source, year=2021)
    answer_all(assessment, [5, 1] + [None] * 45)
    derived = derived_result(assessment)
    assert [(d.code, d.score) for d in derived.dimensions] == [
        ("policy", D("2.50")),
        ("institutions", None),
        ("infrastructure", None),
        ("applications", None),
        ("planning", None),
    ]
    assert derived.index == D("2.50")


def test_an_assessment_without_a_crosswalk_has_no_pegi_view(frameworks, reviewer, gunung_mas):
    spbe, pegi = frameworks
    assert derived_result(make_assessment(reviewer, gunung_mas, spbe, year=2021)) is None
    assert derived_result(make_assessment(reviewer, gunung_mas, pegi, year=2021)) is None


def test_the_pegi_view_takes_a_fixed_number_of_queries(
    crosswalk, reviewer, gunung_mas, django_assert_num_queries
):
    assessment = make_assessment(reviewer, gunung_mas, crosswalk.source, year=2021)
    answer_all(assessment, [1] * 5 + [None] * 42)
    # PeGI's dimensions and bands come from its structure, built once per process.
    framework_spec(crosswalk.target)
    # The crosswalk, its entries, the answers.
    with django_assert_num_queries(3):
        few = derived_result(assessment)
    answer_all(assessment, [None] * 5 + [3] * 42)
    with django_assert_num_queries(3):
        many = derived_result(assessment)
    assert few.index < many.index


def test_the_assessment_detail_api_shows_the_pegi_view(
    crosswalk, reviewer, gunung_mas, django_assert_max_num_queries
):
    assessment = make_assessment(reviewer, gunung_mas, crosswalk.source, year=2021)
    answer_all(assessment, LEVELS)
    api = APIClient()
    api.force_authenticate(reviewer)
    with django_assert_max_num_queries(20):
        body = api.get(f"/api/v1/assessments/{assessment.pk}/").json()
    assert body["index"] == 2.72 and body["rating"] == "Baik"
    assert body["derived"]["framework"] == "pegi"
    assert body["derived"]["index"] == 2.12
    assert body["derived"]["rating"] == "Kurang"
    assert body["derived"]["dimensions"][0] == {
        "code": "policy",
        "name": "Kebijakan",
        "score": 2.13,
        "rating": "Kurang",
    }
    pegi = make_assessment(reviewer, gunung_mas, crosswalk.target, year=2021)
    assert api.get(f"/api/v1/assessments/{pegi.pk}/").json()["derived"] is None
    listing = api.get("/api/v1/assessments/").json()
    assert "derived" not in listing["results"][0]


def test_the_demo_loads_spbe_2020_and_its_crosswalk_to_pegi_once(db):
    call_command("load_demo", stdout=StringIO())
    entries = set(CrosswalkEntry.objects.values_list("pk", "indicator__code", "dimension__code"))
    call_command("load_demo", stdout=StringIO())
    crosswalk = Crosswalk.objects.get(source__code="spbe-2020", target__code="pegi")
    assert crosswalk.entries.count() == 47
    assert set(CrosswalkEntry.objects.values_list("pk", "indicator__code", "dimension__code")) == (
        entries
    )


def small_crosswalk(source, target):
    """Every indicator of ``source`` (a test framework) mapped to ``target``'s ``policy``."""
    return load_crosswalk(
        {
            "source": source.code,
            "target": target.code,
            "version": "1",
            "entries": [
                {"indicator": code, "dimension": "policy"}
                for code in Indicator.objects.filter(dimension__framework=source).values_list(
                    "code", flat=True
                )
            ],
        }
    )


def test_the_reference_framework_is_the_one_the_crosswalks_map_to(reviewer, gunung_mas, katingan):
    from assessments.crosswalks import reference_framework

    mini, other, third = (make_framework(code=code) for code in ("mini", "other", "third"))
    assert reference_framework() is None
    # Without a crosswalk: the newest framework in use.
    make_assessment(reviewer, gunung_mas, mini, year=2021)
    assert reference_framework() == mini
    small_crosswalk(third, other)
    assert reference_framework() == other
    # Two crosswalks to mini, one to other: mini.
    small_crosswalk(other, mini)
    small_crosswalk(third, mini)
    assert reference_framework() == mini


def test_the_derived_view_is_on_whatever_framework_the_crosswalk_maps_to(
    reviewer, gunung_mas, django_assert_num_queries
):
    source, target = make_framework(code="source"), make_framework(code="target")
    small_crosswalk(source, target)
    assessment = make_assessment(reviewer, gunung_mas, source, year=2021)
    answer = Indicator.objects.get(dimension__framework=source, code="policy-01")
    assessment.answers.create(indicator=answer, verified_level=3)
    framework_spec(target)
    # The crosswalk, its entries, the answers: as many as to PeGI.
    with django_assert_num_queries(3):
        derived = derived_result(assessment)
    assert (derived.framework, derived.index) == ("target", D("3.00"))
    assert [(d.code, d.score) for d in derived.dimensions] == [
        ("policy", D("3.00")),
        ("planning", None),
    ]
    assert derived_result(make_assessment(reviewer, gunung_mas, target, year=2021)) is None
    api = APIClient()
    api.force_authenticate(reviewer)
    body = api.get(f"/api/v1/assessments/{assessment.pk}/").json()
    assert body["derived"]["framework"] == "target"


def test_a_derived_view_is_only_ever_on_the_reference_framework(
    reviewer, gunung_mas, django_assert_num_queries
):
    # Two crosswalks map to "reference", one from "lone" maps elsewhere: "lone" has no derived
    # view, since it would be charted and compared beside the reference framework's dimensions.
    reference, elsewhere = make_framework(code="reference"), make_framework(code="elsewhere")
    first, second, lone = (make_framework(code=code) for code in ("first", "second", "lone"))
    small_crosswalk(first, reference)
    small_crosswalk(second, reference)
    small_crosswalk(lone, elsewhere)
    assessment = make_assessment(reviewer, gunung_mas, lone, year=2021)
    assert derived_result(assessment) is None
    onto_reference = make_assessment(reviewer, gunung_mas, first, year=2021)
    framework_spec(reference)
    with django_assert_num_queries(3):
        assert derived_result(onto_reference).framework == "reference"
