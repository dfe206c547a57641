"""A region across the change of regime: each year ranked, charted and reported in its own
framework, and the dashboard's index line and radar continuing through the crosswalk with the
derived figures marked as such (legend, open circles, footnote) on the page and in the PDF."""

import datetime
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import workflow
from assessments.models import Assessment, Cycle, Framework, Indicator
from egov_portal import charts
from opds.models import Region
from reports import documents, figures
from tests.opds.factories import RegencyFactory
from tests.reports.conftest import pdf_text

User = get_user_model()


def answer_every_indicator(assessment, level, user):
    for indicator in Indicator.objects.filter(dimension__framework_id=assessment.framework_id):
        workflow.answer_save(assessment, indicator, user=user, version=0, verified_level=level)


@pytest.fixture
def regime_change(demo):
    """A regency assessed in PeGI (2019, every level 2) and in SPBE 2020 (2021, every level
    3), with the province's 2021 cycle in SPBE 2020."""
    reviewer = User.objects.get(username="reviewer")
    province = Region.objects.get(code="62")
    pegi, spbe = Framework.objects.get(code="pegi"), Framework.objects.get(code="spbe-2020")
    if not Cycle.objects.filter(province=province, year=2021).exists():
        Cycle.objects.create(
            province=province,
            year=2021,
            framework=spbe,
            self_assessment_opens=datetime.date(2021, 7, 1),
            submission_deadline=datetime.date(2021, 9, 30),
            verification_starts=datetime.date(2021, 10, 4),
            verification_ends=datetime.date(2021, 11, 26),
            finalisation_deadline=datetime.date(2021, 12, 17),
            updated_by=reviewer,
        )
    region = RegencyFactory(parent=province, code="62.90", name="Kabupaten Uji Peralihan")
    before = workflow.assessment_create(user=reviewer, region=region, year=2019, framework=pegi)
    answer_every_indicator(before, 2, reviewer)
    after = workflow.assessment_create(user=reviewer, region=region, year=2021, framework=spbe)
    answer_every_indicator(after, 3, reviewer)
    return region, before, after


def test_the_trend_continues_across_frameworks_with_the_spbe_year_derived(regime_change):
    region, before, after = regime_change
    reviewer = User.objects.get(username="reviewer")
    data = figures.region_figures(user=reviewer, region=region, year=2021)
    assert data.framework.code == "spbe-2020"
    assert data.trend_framework.code == "pegi"
    assert [(p.year, p.derived) for p in data.trend] == [(2019, False), (2021, True)]
    # SPBE level 3 of 1–5 is 2.5 on PeGI's 1–4; PeGI 2019 was level 2 everywhere.
    assert [p.index for p in data.trend] == [Decimal("2.00"), Decimal("2.50")]
    assert data.trend_current.scores == [Decimal("2.50")] * 5
    assert data.trend_previous.year == 2019
    assert data.derived_from.code == "spbe-2020"
    # The SPBE year's own figures stay SPBE's: four domains on 1–5, no previous SPBE year.
    assert [d.code for d in data.dimensions] == [
        "kebijakan",
        "tata-kelola",
        "manajemen",
        "layanan",
    ]
    assert data.result.index == Decimal("3.00") and data.previous is None
    # A year of one framework alone charts that framework, nothing derived.
    pegi_only = figures.region_figures(user=reviewer, region=region, year=2019)
    assert pegi_only.trend_framework.code == "pegi" and not pegi_only.trend_derived


SVG = "{http://www.w3.org/2000/svg}"
DASHED = "stroke-dasharray"


def radar_series(svg) -> dict:
    """Each series of a radar by its colour: (outline dashed, [point open])."""
    root = ElementTree.fromstring(str(svg))
    outlines = {
        polygon.get("stroke"): DASHED in polygon.attrib
        for polygon in root.iter(f"{SVG}polygon")
        if polygon.get("fill-opacity")  # the grid's rings have no fill
    }
    points = {}
    for circle in root.iter(f"{SVG}circle"):
        points.setdefault(circle.get("stroke"), []).append(circle.get("fill") == "#fff")
    # The legend draws one open circle per derived series; the outline's points come first.
    return {color: (dashed, points[color]) for color, dashed in outlines.items()}


def line_segments(svg) -> list[bool]:
    """Whether each segment of a line chart's lines (legend lines left out) is dashed."""
    root = ElementTree.fromstring(str(svg))
    return [DASHED in line.attrib for line in root.iter(f"{SVG}line") if line.get("stroke-linecap")]


def test_only_the_derived_year_is_dashed_on_the_radar_and_the_index_line(client, regime_change):
    region, _before, _after = regime_change
    client.force_login(User.objects.get(username="reviewer"))
    url = reverse("reports:region_dashboard", kwargs={"code": region.code})
    context = client.get(url + "?year=2021").context
    series = radar_series(context["radar"])
    # 2021 (SPBE through the crosswalk): dashed, every point open; 2019 (PeGI itself), the
    # previous year in grey: solid, every point filled.
    current, previous = series[charts.PALETTE[0]], series[charts.MUTED]
    assert current[0] is True and all(current[1][:5])
    assert previous == (False, [False] * 5)
    # The index line: its one segment leads to the derived 2021, so it alone is dashed.
    assert line_segments(context["history"]) == [True]


def test_nothing_is_dashed_when_nothing_is_derived(client, demo):
    client.force_login(User.objects.get(username="reviewer"))
    url = reverse("reports:region_dashboard", kwargs={"code": "62.10"})
    context = client.get(url + "?year=2020").context  # PeGI, beside PeGI 2019
    assert not context["data"].trend_derived
    for svg in (context["radar"], context["history"]):
        assert DASHED not in str(svg) and 'fill="#fff"' not in str(svg)
    series = radar_series(context["radar"])
    assert series[charts.PALETTE[0]] == (False, [False] * 5)
    assert series[charts.MUTED] == (False, [False] * 5)


def test_a_radar_dashes_a_series_exactly_when_its_points_are_open():
    svg = charts.radar_chart(
        ["a", "b", "c"],
        [
            charts.Series("derived", [1, 2, 3], hollow=[True] * 3),
            charts.Series("earlier", [2, 2, 2], color=charts.MUTED, secondary=True),
            charts.Series("derived earlier", [3, 3, 3], color="#123456", hollow=[True] * 3),
        ],
        scale=(1, 4),
        title="t",
        desc="d",
    )
    series = radar_series(svg)
    assert series[charts.PALETTE[0]] == (True, [True] * 4)  # three points, one legend circle
    assert series[charts.MUTED] == (False, [False] * 3)
    assert series["#123456"] == (True, [True] * 4)
    # The legend: a dashed line for each derived series, a solid one for the other.
    legend = [
        DASHED in line.attrib
        for line in ElementTree.fromstring(str(svg)).iter(f"{SVG}line")
        if line.get("stroke-width") in ("2", "3")
    ]
    assert legend == [True, False, True]


def test_dashboard_marks_derived_figures_in_legend_table_and_footnote(client, regime_change):
    region, _before, _after = regime_change
    client.force_login(User.objects.get(username="reviewer"))
    url = reverse("reports:region_dashboard", kwargs={"code": region.code})
    content = client.get(url + "?year=2021").content.decode()
    assert "Skor per domain" in content and "Skor per dimensi" not in content
    assert 'data-testid="derived-view"' in content and 'data-testid="derived-note"' in content
    assert "Setara Pemeringkatan e-Government Indonesia (PeGI)" in content
    row = content.split('data-testid="trend-2021"', 1)[1].split("</tr>", 1)[0]
    assert "2,50" in row and "*" in row
    # The line chart: an open circle for 2021, a dashed segment to it, a legend line for it.
    assert "Nilai turunan melalui tabel padanan" in content
    assert 'fill="#fff"' in content and 'stroke-dasharray="5 3"' in content
    # The derived radar table: PeGI's five dimensions, 2021 beside 2019.
    assert 'data-testid="derived-policy"' in content
    # A PeGI year of the same region shows no derived view.
    pegi_page = client.get(url + "?year=2019").content.decode()
    assert 'data-testid="derived-view"' not in pegi_page
    assert "Skor per dimensi" in pegi_page


def test_the_ranking_of_a_year_uses_that_year_s_framework_and_says_so(client, regime_change):
    region, _before, _after = regime_change
    client.force_login(User.objects.get(username="reviewer"))
    url = reverse("reports:province_ranking", kwargs={"code": "62"})
    response = client.get(url + "?year=2021")
    content = response.content.decode()
    assert response.context["framework"].code == "spbe-2020"
    assert "Kerangka penilaian tahun 2021: Evaluasi SPBE" in content
    ranked = [row for row in response.context["rows"] if row.assessment]
    assert ranked and {row.assessment.framework.code for row in ranked} == {"spbe-2020"}
    assert region.code in {row.region.code for row in ranked}
    # SPBE's own five bands colour its cells; the legend names each of them.
    assert "band-spbe-2020-" in content and "band-pegi-" not in content
    legend = content.split('data-testid="band-legend"', 1)[1].split("</div>", 1)[0]
    for name in ("Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"):
        assert name in legend
    # 2019 stays a PeGI ranking.
    assert client.get(url + "?year=2019").context["framework"].code == "pegi"
    # The API says which framework every row is ranked in.
    api = APIClient()
    api.force_authenticate(User.objects.get(username="reviewer"))
    rows = api.get("/api/v1/rankings/", {"year": 2021, "province": "62"}).json()["results"]
    assert rows and {row["framework"] for row in rows} == {"spbe-2020"}


def test_region_pdf_of_the_spbe_year_prints_the_derived_view_and_its_note(regime_change, tmp_path):
    region, _before, _after = regime_change
    reviewer = User.objects.get(username="reviewer")
    pdf = documents.region_report(user=reviewer, region=region, year=2021)
    text = " ".join(pdf_text(pdf.content, tmp_path))
    assert "Skor per domain" in text
    assert "Setara" in text and "Nilai turunan" in text
    assert "2,50" in text


def test_a_correction_of_an_earlier_year_of_another_framework_makes_the_report_not_current(
    regime_change,
):
    region, before, _after = regime_change
    reviewer = User.objects.get(username="reviewer")
    pdf = documents.region_report(user=reviewer, region=region, year=2021)
    assert documents.verify(pdf.code).current
    indicator = Indicator.objects.filter(dimension__framework_id=before.framework_id).first()
    answer = before.answers.get(indicator=indicator)
    workflow.answer_save(
        Assessment.objects.get(pk=before.pk),
        indicator,
        user=reviewer,
        version=answer.version,
        verified_level=4,
    )
    assert not documents.verify(pdf.code).current


def test_a_second_spbe_year_reports_each_aspect_beside_the_year_before(regime_change, tmp_path):
    region, _before, _after = regime_change
    reviewer = User.objects.get(username="reviewer")
    spbe = Framework.objects.get(code="spbe-2020")
    later = workflow.assessment_create(user=reviewer, region=region, year=2022, framework=spbe)
    answer_every_indicator(later, 4, reviewer)
    data = figures.region_figures(user=reviewer, region=region, year=2022)
    assert data.previous.year == 2021
    groups = figures.score_groups(data)
    assert [group.dimension.code for group in groups] == [d.code for d in data.dimensions]
    assert sum(len(group.aspects) for group in groups) == 8
    for group in groups:
        for row in group.rows:
            assert (row.current.score, row.before.score) == (Decimal("4.00"), Decimal("3.00"))
    pdf = documents.region_report(user=reviewer, region=region, year=2022)
    first = pdf_text(pdf.content, tmp_path, layout=True)[0]
    for row in ("Aspek Audit TIK", "Aspek Penyelenggara SPBE", "Layanan SPBE"):
        assert re.search(rf"{row}\s+4,00\s+Sangat Baik\s+3,00\s+\+1,00", first), row
