"""The OpenAPI schema states what the API really does: required and nullable fields, and the
errors each operation may answer."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from reports.inbox import KINDS

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def schema():
    output = StringIO()
    # Fails on any warning: every field's type and every enum's name is resolved.
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=output)
    return yaml.safe_load(output.getvalue())


def component(schema, name):
    return schema["components"]["schemas"][name]


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_schema_generates_without_warnings_and_validates(schema):
    assert schema["openapi"].startswith("3.")


def test_every_operation_declares_its_errors_in_the_one_error_shape(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert {"400", "429", "500"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        for code in set(responses) - {"400"}:
            if code[0] in "45":
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.rsplit("/", 1)[1] in {"Error", "Conflict"}, (method, path, code)
    assert component(schema, "Error")["required"] == ["detail"]


def test_protected_operations_declare_401_and_open_ones_do_not(schema):
    paths = schema["paths"]
    assert "401" in paths["/api/v1/applications/"]["get"]["responses"]
    assert "401" in paths["/api/v1/assessments/{id}/transition/"]["post"]["responses"]
    assert "401" not in paths["/api/v1/verify/"]["get"]["responses"]
    assert "401" not in paths["/api/v1/auth/token/"]["post"]["responses"]


def test_the_file_check_takes_a_multipart_pdf_and_declares_its_errors(schema):
    operation = schema["paths"]["/api/v1/verify/"]["post"]
    body = operation["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]
    request = component(schema, body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1])
    assert request["properties"]["file"] == {
        "type": "string",
        "format": "binary",
        "description": "The PDF as downloaded from the portal.",
    }
    assert request["required"] == ["file"]
    responses = operation["responses"]
    assert {"200", "400", "413", "429"} <= set(responses)
    assert "401" not in responses
    answer = responses["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"valid", "code", "current", "issued_at", "kind", "region", "year"} <= set(
        component(schema, answer)["properties"]
    )


def test_changes_declare_409_and_reads_do_not(schema):
    paths = schema["paths"]
    assert "409" in paths["/api/v1/applications/{id}/"]["patch"]["responses"]
    assert "409" in paths["/api/v1/masterplans/{id}/realisation/"]["post"]["responses"]
    assert "409" not in paths["/api/v1/applications/{id}/"]["get"]["responses"]


def test_version_is_required_to_change_a_record_but_not_to_create_one(schema):
    assert component(schema, "ApplicationRequest")["required"] == ["name", "opd"]
    assert "version" in component(schema, "ApplicationChangeRequest")["required"]
    assert component(schema, "PatchedApplicationRequest")["required"] == ["version"]
    assert "version" in component(schema, "AnswerChangeRequest")["required"]
    assert component(schema, "PatchedAnswerRequest")["required"] == ["version"]
    assert "version" in component(schema, "RealisationRequest")["required"]


def test_read_only_fields_are_not_asked_for_in_requests(schema):
    request = component(schema, "ApplicationRequest")["properties"]
    assert not {"id", "region", "completeness", "changed_by"} & set(request)


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("Region", "parent"),
        ("Application", "year_built"),
        ("Answer", "self_level"),
        ("Answer", "verified_level"),
        ("Assessment", "index"),
        ("Assessment", "rating"),
        ("AssessmentDetail", "derived"),
        ("Derived", "index"),
        ("DimensionScore", "score"),
        ("AspectScore", "score"),
        ("AspectScore", "rating"),
        ("Target", "realisation"),
        ("MasterPlan", "supersedes"),
        ("RankingRow", "rank"),
    ],
)
def test_fields_that_may_be_null_are_declared_nullable(schema, name, field):
    assert component(schema, name)["properties"][field].get("nullable") is True


def test_ids_in_paths_are_integers_in_the_database_range(schema):
    (parameter,) = schema["paths"]["/api/v1/applications/{id}/"]["get"]["parameters"]
    assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def test_filters_are_declared_with_their_values(schema):
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in schema["paths"]["/api/v1/assessments/"]["get"]["parameters"]
    }
    assert parameters["year"] == {"type": "integer", "minimum": 2000, "maximum": 2100}
    assert parameters["status"]["enum"] == ["draft", "final", "in_review", "submitted"]


def test_the_inbox_documents_every_kind_of_item(schema):
    described = component(schema, "InboxItem")["properties"]["kind"]["description"]
    [readme_row] = [
        line
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `inbox/` |")
    ]
    for kind in KINDS:
        assert kind in described, kind
        assert f"`{kind}`" in readme_row, kind
