"""A report of a past year stays as it was, and its verification code tells the truth: it
covers every figure printed, is accepted however it is typed, and is answered for province
reports too, by the page and by the API."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import workflow
from assessments.models import Assessment
from opds.inventory import application_create
from opds.models import OPD, Application
from reports.models import FinalFigures, IssuedReport
from reports.pdf import ReportVersion
from tests.reports.conftest import pdf_text

User = get_user_model()
VERIFY_API = "/api/v1/verify/"


def user(username):
    return User.objects.get(username=username)


def region_pdf(client, year, code="62.10"):
    client.force_login(user("reviewer"))
    response = client.get(reverse("reports:region_report", kwargs={"code": code, "year": year}))
    assert response.status_code == 200
    return response


def verify(code):
    return APIClient().get(VERIFY_API, {"code": code})


def add_application(name="Aplikasi Baru Hari Ini"):
    opd = OPD.objects.get(region__code="62.10", short_name="Diskominfo,SP")
    return application_create(user=user("opd.kominfo"), opd=opd, name=name)


def reopen_and_change(region_code, year, level):
    """An admin re-opens a final assessment and corrects one verified level."""
    assessment = Assessment.objects.get(region__code=region_code, year=year)
    admin = user("admin")
    workflow.assessment_transition(assessment, user=admin, to="in_review", note="Koreksi")
    answer = assessment.answers.select_related("indicator").order_by("indicator__code").first()
    workflow.answer_save(
        assessment,
        answer.indicator,
        user=admin,
        version=answer.version,
        verified_level=level,
        reason="Koreksi data",
    )
    return assessment


def test_the_pdf_carries_its_code_in_a_header_and_on_every_page(client, demo, tmp_path):
    response = region_pdf(client, 2019)
    code = response["X-Verification-Code"]
    pages = pdf_text(response.content, tmp_path)
    assert all(f"Kode verifikasi: {code}" in page for page in pages)
    assert IssuedReport.objects.get(code=code).kind == "region"


def test_adding_an_application_today_changes_neither_the_2019_report_nor_its_code(
    client, demo, tmp_path
):
    before = region_pdf(client, 2019)
    draft_before = region_pdf(client, 2020)["X-Verification-Code"]
    frozen = FinalFigures.objects.get(assessment__region__code="62.10", assessment__year=2019)
    total = sum(frozen.data["inventory"]["by_status"].values())
    assert f"{total} aplikasi tercatat" in "".join(pdf_text(before.content, tmp_path))
    add_application()
    after = region_pdf(client, 2019)
    assert after["X-Verification-Code"] == before["X-Verification-Code"]
    assert after.content == before.content
    body = verify(before["X-Verification-Code"]).json()
    assert (body["valid"], body["current"]) == (True, True)
    # A draft prints the inventory as it is now: its report and code change.
    draft_after = region_pdf(client, 2020)
    assert draft_after["X-Verification-Code"] != draft_before
    assert f"{total + 1} aplikasi tercatat" in "".join(pdf_text(draft_after.content, tmp_path))
    # The dashboard of 2019 shows the frozen figures and says as of when.
    dashboard = client.get(
        reverse("reports:region_dashboard", kwargs={"code": "62.10"}), {"year": 2019}
    )
    assert dashboard.context["inventory"].summary.total == total
    assert 'data-testid="figures-as-of"' in dashboard.content.decode()


def test_finalising_again_freezes_the_figures_anew(client, demo):
    before = region_pdf(client, 2019)["X-Verification-Code"]
    add_application()
    assessment = Assessment.objects.get(region__code="62.10", year=2019)
    admin = user("admin")
    workflow.assessment_transition(assessment, user=admin, to="in_review", note="Buka lagi")
    workflow.assessment_transition(assessment, user=admin, to="final")
    frozen = FinalFigures.objects.get(assessment=assessment)
    assert sum(frozen.data["inventory"]["by_status"].values()) == application_count("62.10")
    after = region_pdf(client, 2019)["X-Verification-Code"]
    assert after != before
    assert verify(before).json()["current"] is False


def application_count(region_code):
    return Application.objects.filter(opd__region__code=region_code).count()


def test_correcting_the_previous_year_makes_the_report_not_current(client, demo):
    code = region_pdf(client, 2019)["X-Verification-Code"]
    assert verify(code).json()["current"] is True
    reopen_and_change("62.10", 2018, level=4)
    body = verify(code).json()
    assert (body["valid"], body["current"]) == (True, False)
    page = client.get(reverse("reports:verify"), {"code": code}).content.decode()
    assert "telah berubah sejak laporan ini dibuat" in page
    assert region_pdf(client, 2019)["X-Verification-Code"] != code


def test_a_code_is_accepted_in_any_case_and_with_stray_spaces(client, demo):
    code = region_pdf(client, 2019)["X-Verification-Code"]
    typed = f"  {code.lower()[:8]} {code.lower()[8:]}\t"
    body = verify(typed).json()
    assert body == {
        "code": code,
        "valid": True,
        "current": True,
        "kind": "region",
        "region": "62.10",
        "region_name": "Kabupaten Gunung Mas",
        "year": 2019,
        "issued_at": body["issued_at"],
    }
    assert body["issued_at"] is not None
    page = client.get(reverse("reports:verify"), {"code": typed})
    assert page.status_code == 200
    assert "Angkanya masih yang terkini." in page.content.decode()


def test_province_codes_get_a_statement(client, demo, tmp_path):
    client.force_login(user("reviewer"))
    response = client.get(reverse("reports:province_report", kwargs={"code": "62", "year": 2019}))
    code = response["X-Verification-Code"]
    assert code.startswith("P62-2019-")
    assert f"Kode verifikasi: {code}" in pdf_text(response.content, tmp_path)[0]
    body = verify(code).json()
    assert (body["kind"], body["region"], body["year"], body["current"]) == (
        "province",
        "62",
        2019,
        True,
    )
    page = client.get(reverse("reports:verify"), {"code": code}).content.decode()
    assert "laporan provinsi Provinsi Kalimantan Tengah tahun 2019" in page
    assert "Angkanya masih yang terkini." in page
    reopen_and_change("62.71", 2019, level=1)
    assert verify(code).json()["current"] is False
    page = client.get(reverse("reports:verify"), {"code": code}).content.decode()
    assert "telah berubah" in page


@pytest.mark.parametrize(
    "code", ["halo", "R62.10-2019", "DROP TABLE", "R62.10-2019-r1-XYZ", "x" * 300]
)
def test_a_code_of_the_wrong_shape_is_a_clear_400(client, db, code):
    response = verify(code)
    assert response.status_code == 400
    assert "bukan bentuk kode verifikasi" in response.json()["code"][0]
    page = client.get(reverse("reports:verify"), {"code": code})
    assert page.status_code == 400
    assert "bukan bentuk kode verifikasi" in page.content.decode()


def test_a_missing_code_is_a_400_and_a_forged_one_is_not_valid(client, demo):
    assert verify("").status_code == 400
    assert APIClient().get(VERIFY_API).status_code == 400
    code = ReportVersion("R", "62.10", 2019, "r5.deadbeef").code
    forged = code[:-1] + ("0" if code[-1] != "0" else "1")
    body = verify(forged).json()
    assert (body["valid"], body["current"], body["kind"], body["issued_at"]) == (
        False,
        False,
        None,
        None,
    )
    page = client.get(reverse("reports:verify"), {"code": forged}).content.decode()
    assert "tidak dikenal" in page
    # Right MAC, but a version the portal never printed: issued by the portal's key, never
    # current, no date of issue.
    body = verify(code).json()
    assert (body["valid"], body["current"], body["issued_at"]) == (True, False, None)


def test_the_verify_api_needs_no_account_and_ignores_one(demo):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token salah")
    code = ReportVersion("P", "62", 2019, "abc").code
    assert api.get(VERIFY_API, {"code": code}).status_code == 200


def test_the_ranking_averages_round_half_up_like_every_score(reviewer, province):
    from assessments.scoring import Result, mean_score
    from reports.figures import RankingRow, dimension_averages

    def row(score):
        from assessments.scoring import DimensionResult

        result = Result(
            index=score,
            rating=None,
            completeness=Decimal(100),
            answered=1,
            total=1,
            dimensions=(DimensionResult("policy", score, None, 1, 1),),
        )
        return RankingRow(region=province, assessment=None, result=result, previous=None)

    class Dimension:
        code = "policy"

    rows = [row(Decimal("2.10")), row(Decimal("2.15"))]
    assert dimension_averages(rows, [Dimension()]) == {"policy": Decimal("2.13")}
    assert mean_score([Decimal("2.10"), Decimal("2.15"), None]) == Decimal("2.13")
    assert mean_score([None]) is None


def test_the_printed_average_is_the_rounded_one(client, demo, tmp_path):
    client.force_login(user("reviewer"))
    page = client.get(reverse("reports:province_ranking", kwargs={"code": "62"}), {"year": 2019})
    averages = page.context["averages"]
    response = client.get(reverse("reports:province_report", kwargs={"code": "62", "year": 2019}))
    text = "".join(pdf_text(response.content, tmp_path, layout=True))
    for value in averages.values():
        assert re.search(rf"\b{value:.2f}\b".replace(".", ","), text)
