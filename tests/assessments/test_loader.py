import copy
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.loader import (
    FRAMEWORKS_DIR,
    FrameworkFileError,
    load_framework,
    validate_framework,
)
from assessments.models import Answer, Dimension, Framework, Indicator, Level
from tests.assessments.factories import framework_document

DATA = Path(__file__).parent / "data"


def test_valid_document_has_no_problems():
    assert validate_framework(framework_document()) == []


def test_every_problem_is_listed_with_its_location():
    document = framework_document()
    document["dimensions"][0]["weight"] = 0
    document["dimensions"][1]["indicators"][0]["code"] = "policy-01"
    del document["dimensions"][1]["indicators"][1]["levels"][3]
    document["bands"][0]["min"] = 9
    document["bands"][1]["color"] = "green"
    problems = validate_framework(document)
    assert "dimensions[0].weight: must be a positive number, got 0" in problems
    assert any(
        p.startswith("dimensions[1].indicators[0].code: 'policy-01' is also used") for p in problems
    )
    assert "dimensions[1].indicators[1].levels: no descriptor for level 4" in problems
    assert any(p.startswith("bands[0].min: 9 is outside the scale") for p in problems)
    assert "bands[1].color: 'green' is not a colour written #rrggbb" in problems


def test_texts_longer_than_their_fields_are_problems_of_the_file():
    document = framework_document()
    document["name"] = "K" * 201
    document["dimensions"][0]["indicators"][1]["levels"][2]["descriptor"] = "d" * 5001
    problems = validate_framework(document)
    assert "framework.name: 201 characters, at most 200" in problems
    assert "dimensions[0].indicators[1].levels[2].descriptor: 5001 characters, at most 5000" in (
        problems
    )


def test_an_invalid_file_loads_nothing(db):
    document = framework_document()
    document["dimensions"][1]["indicators"][1]["weight"] = -1
    with pytest.raises(FrameworkFileError):
        load_framework(document)
    assert not Framework.objects.exists()
    assert not Indicator.objects.exists()


def test_loading_twice_is_idempotent_and_updates_in_place(db):
    framework = load_framework(framework_document())
    ids = set(Indicator.objects.values_list("pk", flat=True))
    changed = framework_document()
    changed["version"] = "2"
    changed["dimensions"][0]["indicators"][0]["name"] = "Nama baru"
    again = load_framework(changed)
    assert again.pk == framework.pk and again.version == "2"
    assert set(Indicator.objects.values_list("pk", flat=True)) == ids
    assert Indicator.objects.get(code="policy-01").name == "Nama baru"
    assert Level.objects.count() == 4 * 4


def test_an_indicator_with_answers_cannot_be_removed(db, admin_user, gunung_mas):
    from tests.assessments.factories import make_assessment

    framework = load_framework(framework_document())
    assessment = make_assessment(admin_user, gunung_mas, framework)
    Answer.objects.create(
        assessment=assessment, indicator=Indicator.objects.get(code="planning-02"), self_level=2
    )
    shorter = copy.deepcopy(framework_document())
    shorter["dimensions"][1]["indicators"].pop()
    with pytest.raises(FrameworkFileError) as error:
        load_framework(shorter)
    assert "planning-02" in error.value.messages[0]
    assert Indicator.objects.filter(code="planning-02").exists()


def test_a_framework_with_aspects_and_a_five_level_scale_loads(db):
    call_command("load_framework", str(DATA / "spbe-mini.json"), stdout=StringIO())
    framework = Framework.objects.get(code="spbe-mini")
    assert list(framework.levels) == [1, 2, 3, 4, 5]
    governance = Dimension.objects.get(framework=framework, code="tata-kelola")
    assert governance.aspects.count() == 2
    assert governance.indicators.filter(aspect__code="penyelenggara").count() == 2


def test_command_lists_problems_and_fails(tmp_path, db):
    bad = tmp_path / "bad.json"
    bad.write_text('{"code": "x", "scale": {"min": 1, "max": 4}}', encoding="utf-8")
    errors = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_framework", str(bad), stderr=errors)
    assert "framework.name: required text" in errors.getvalue()
    assert "framework.dimensions: at least one dimension is required" in errors.getvalue()


def test_the_shipped_pegi_framework_is_valid_and_complete(db):
    call_command("load_framework", str(FRAMEWORKS_DIR / "pegi.json"), stdout=StringIO())
    framework = Framework.objects.get(code="pegi")
    assert [d.code for d in framework.dimensions.all()] == [
        "policy",
        "institutions",
        "infrastructure",
        "applications",
        "planning",
    ]
    for dimension in framework.dimensions.all():
        assert 6 <= dimension.indicators.count() <= 8
        assert dimension.weight == 1
    assert [(str(b.min_score), b.name) for b in framework.bands.order_by("min_score")] == [
        ("1.00", "Sangat Kurang"),
        ("1.60", "Kurang"),
        ("2.60", "Baik"),
        ("3.60", "Sangat Baik"),
    ]
    assert not Indicator.objects.filter(dimension__framework=framework, name_en="").exists()
    assert (
        Level.objects.filter(indicator__dimension__framework=framework).count()
        == 4 * Indicator.objects.filter(dimension__framework=framework).count()
    )
