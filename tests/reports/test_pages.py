import csv
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from assessments import workflow
from assessments.models import Assessment, Framework, Indicator
from assessments.scoring import assessment_result
from opds.models import Region
from tests.opds.factories import OPDFactory, RegencyFactory

User = get_user_model()


def login(client, username):
    client.force_login(User.objects.get(username=username))


def ranking_url(year=2019, **params):
    query = "&".join(f"{k}={v}" for k, v in {"year": year, **params}.items())
    return reverse("reports:province_ranking", kwargs={"code": "62"}) + "?" + query


def test_ranking_page_shows_every_region_with_scores(client, demo):
    login(client, "reviewer")
    response = client.get(ranking_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-testid="rank-62.') == 14
    row = content.split('data-testid="rank-62.10"', 1)[1].split("</tr>", 1)[0]
    assert "2,20" in row and "+0,52" in row and "Final" in row
    # Applications 2,71 is Baik (third of four bands), Infrastruktur 1,71 Kurang (second).
    assert re.search(r'band-pegi-2">\s*2,71', row)
    assert re.search(r'band-pegi-1">\s*1,71', row)


def test_band_colours_come_from_each_framework_s_bands(client, demo):
    from assessments.models import RatingBand

    RatingBand.objects.filter(framework__code="pegi", name="Baik").update(color="#00ff00")
    styles = client.get(reverse("assessments:band_styles"))
    assert styles.status_code == 200 and styles["Content-Type"].startswith("text/css")
    text = styles.content.decode()
    assert ".band-pegi-2 { background-color: #00ff00 !important; }" in text
    # SPBE 2020 has five bands, each with a colour of its own.
    spbe = re.findall(r"\.band-spbe-2020-\d \{ background-color: (#[0-9a-f]{6})", text)
    assert len(spbe) == len(set(spbe)) == 5


def test_ranking_sorts_by_a_dimension(client, demo):
    login(client, "reviewer")
    rows = client.get(ranking_url(sort="-applications")).context["rows"]
    scores = [row.score("applications") for row in rows if row.result]
    assert scores == sorted(scores, reverse=True)
    assert all(row.result is None for row in rows[len(scores) :])


def header(content, label):
    """The <th> of the ranking's column headed ``label``."""
    return next(
        th for th in re.findall(r"<th scope=\"col\"[^>]*>.*?</th>", content) if f">{label}<" in th
    )


def test_the_sorted_column_is_marked_and_a_second_click_reverses_it(client, demo):
    login(client, "reviewer")
    content = client.get(ranking_url()).content.decode()
    # By default the ranking's order, highest index first: the index column says so.
    assert content.count("aria-sort=") == 1
    index = header(content, "Indeks")
    assert 'aria-sort="descending"' in index and "▼" in index
    assert "sort=index" in index
    assert "aria-sort" not in header(content, "Aplikasi")
    assert "sort=-applications" in header(content, "Aplikasi")
    assert "sort=name" in header(content, "Kabupaten/kota")

    response = client.get(ranking_url(sort="index"))
    content = response.content.decode()
    index = header(content, "Indeks")
    assert 'aria-sort="ascending"' in index and "▲" in index and "sort=-index" in index
    rows = response.context["rows"]
    scored = [row.index for row in rows if row.result]
    assert scored == sorted(scored) and scored[0] < scored[-1]
    assert all(row.result is None for row in rows[len(scored) :])
    assert rows[0].rank == len(scored)  # each row keeps its rank, whatever the order

    names = [row.region.name for row in client.get(ranking_url(sort="name")).context["rows"]]
    assert names == sorted(names)
    response = client.get(ranking_url(sort="-name"))
    assert [row.region.name for row in response.context["rows"]] == names[::-1]
    kabupaten = header(response.content.decode(), "Kabupaten/kota")
    assert 'aria-sort="descending"' in kabupaten and "sort=name" in kabupaten


def test_the_export_links_carry_the_current_order(client, demo):
    login(client, "reviewer")
    content = client.get(ranking_url(sort="-planning")).content.decode()
    assert "sort=-planning&amp;format=csv" in content
    assert "sort=-planning&amp;format=xlsx" in content


@pytest.mark.parametrize("sort", ["", "rank", "bogus", "--index", "-", "index;drop", "<b>"])
def test_an_unknown_order_falls_back_to_the_ranking(client, demo, sort):
    login(client, "reviewer")
    default = [row.region.code for row in client.get(ranking_url()).context["rows"]]
    response = client.get(ranking_url(sort=sort))
    assert response.status_code == 200
    assert [row.region.code for row in response.context["rows"]] == default
    assert 'aria-sort="descending"' in header(response.content.decode(), "Indeks")


def test_sorting_the_ranking_costs_no_extra_query(client, demo):
    login(client, "reviewer")
    client.get(ranking_url())  # the first page after a framework is loaded builds its structure
    counts = []
    for sort in ["", "index", "-name", "-applications", "change"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ranking_url(sort=sort)).status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts


def ranking_sheet(client, **params):
    response = client.get(ranking_url(format="xlsx", **params))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content)).active


def page_table(client, **params):
    """The ranking page's rows as the export should hold them."""
    context = client.get(ranking_url(**params)).context
    rows = [
        [
            row.rank,
            row.region.name,
            row.index,
            row.result.rating.label if row.result else None,
            *[row.score(d.code) for d in context["dimensions"]],
            row.change,
            row.assessment.get_status_display() if row.assessment else "Belum dinilai",
        ]
        for row in context["rows"]
    ]
    averages = [context["averages"][d.code] for d in context["dimensions"]]
    return rows, averages


def as_float(values):
    return [float(v) if isinstance(v, Decimal) else v for v in values]


def test_the_ranking_xlsx_holds_the_page_rows_headings_and_averages_as_numbers(client, demo):
    login(client, "reviewer")
    rows, averages = page_table(client)
    sheet = ranking_sheet(client)
    assert sheet["A1"].value == "Peringkat e-Government Provinsi Kalimantan Tengah 2019"
    assert sheet["A2"].value == f"Diekspor {timezone.localdate().isoformat()}"
    header = [cell.value for cell in sheet[5]]
    assert header == [
        "Peringkat",
        "Kabupaten/kota",
        "Indeks",
        "Predikat",
        "Kebijakan",
        "Kelembagaan",
        "Infrastruktur",
        "Aplikasi",
        "Perencanaan",
        "Perubahan",
        "Status",
    ]
    assert sheet.freeze_panes == "A6"
    assert sheet.auto_filter.ref == f"A5:K{5 + len(rows)}"
    body = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6)]
    # Every region of the page in the page's order, those not assessed included, then the
    # province averages.
    assert body[:-1] == [as_float(row) for row in rows]
    assert len(rows) == 14
    assert body[-1] == [None, "Rata-rata provinsi", None, None, *as_float(averages), None, None]
    assert sum(row[-1] == "Belum dinilai" for row in body) == 7
    gunung_mas = next(row for row in sheet.iter_rows(min_row=6) if row[1].value.endswith("Mas"))
    index, change = gunung_mas[2], gunung_mas[9]
    assert (index.value, index.data_type, index.number_format) == (2.2, "n", "0.00")
    assert (change.value, change.number_format) == (0.52, "+0.00;-0.00;0.00")
    assert (gunung_mas[0].value, gunung_mas[0].data_type) == (4, "n")


def test_the_ranking_export_follows_the_sort_order_of_the_page(client, demo):
    login(client, "reviewer")
    rows, _averages = page_table(client, sort="applications")
    sheet = ranking_sheet(client, sort="applications")
    names = [row[1].value for row in sheet.iter_rows(min_row=6)][:-1]
    assert names == [row[1] for row in rows]
    assert names != [row[1] for row in page_table(client)[0]]


def test_the_ranking_csv_comes_in_both_dialects(client, demo):
    login(client, "reviewer")
    rows, averages = page_table(client)
    plain = client.get(ranking_url(format="csv"))
    assert plain["Content-Type"].startswith("text/csv")
    assert plain["Content-Disposition"] == 'attachment; filename="peringkat-egov-62-2019.csv"'
    comma = list(csv.reader(io.StringIO(plain.content.decode("utf-8-sig"))))
    indonesian = client.get(ranking_url(format="csv-id"))
    assert indonesian["Content-Disposition"].endswith('-2019-titik-koma.csv"')
    semicolon = list(csv.reader(io.StringIO(indonesian.content.decode("utf-8-sig")), delimiter=";"))
    assert comma[0] == semicolon[0]
    assert comma[0][:4] == ["Peringkat", "Kabupaten/kota", "Indeks", "Predikat"]
    assert len(comma) == len(semicolon) == 1 + len(rows) + 1
    gunung_mas = next(row for row in comma if row[1] == "Kabupaten Gunung Mas")
    assert (gunung_mas[0], gunung_mas[2], gunung_mas[9], gunung_mas[10]) == (
        "4",
        "2.20",
        "+0.52",
        "Final",
    )
    gunung_mas = next(row for row in semicolon if row[1] == "Kabupaten Gunung Mas")
    assert (gunung_mas[2], gunung_mas[9]) == ("2,20", "+0,52")
    assert semicolon[-1][1] == "Rata-rata provinsi"
    assert semicolon[-1][4] == f"{averages[0]:.2f}".replace(".", ",")
    assert [row[1] for row in semicolon[1:-1]] == [row[1] for row in rows]
    assert semicolon[-2][-1] == "Belum dinilai" and semicolon[-2][0] == ""


@pytest.mark.parametrize("value", ["pdf", "CSV", ""])
def test_a_ranking_export_format_the_portal_does_not_write_is_not_found(client, demo, value):
    login(client, "reviewer")
    assert client.get(ranking_url(format=value)).status_code == 404


# However many regions, with one or fifteen more than the demo's: the session and the
# membership, the framework and its years, the regions, the assessments and their answers.
RANKING_EXPORT_QUERIES = 15


@pytest.mark.parametrize("file_format", ["xlsx", "csv", "csv-id"])
def test_the_ranking_export_queries_do_not_grow_with_the_regions(
    client, demo, file_format, django_assert_max_num_queries
):
    from reports.figures import framework_for

    reviewer = User.objects.get(username="reviewer")
    framework = framework_for()
    province = Region.objects.get(code="62")
    indicators = list(Indicator.objects.filter(dimension__framework=framework))
    for number in range(30, 45):
        region = RegencyFactory(parent=province, code=str(number))
        assessment = workflow.assessment_create(
            user=reviewer, region=region, year=2019, framework=framework
        )
        for indicator in indicators[:10]:
            workflow.answer_save(assessment, indicator, user=reviewer, version=0, verified_level=2)
    client.force_login(reviewer)
    with django_assert_max_num_queries(RANKING_EXPORT_QUERIES):
        response = client.get(ranking_url(format=file_format))
    assert response.status_code == 200


def test_the_ranking_page_offers_the_three_downloads(client, demo):
    login(client, "reviewer")
    content = client.get(ranking_url(sort="name")).content.decode()
    for label, key in [
        ("XLSX (Excel)", "xlsx"),
        ("CSV", "csv"),
        ("CSV untuk Excel berbahasa Indonesia (titik koma)", "csv-id"),
    ]:
        assert f'href="?year=2019&amp;sort=name&amp;format={key}">{label}</a>' in content


@pytest.mark.parametrize("username", ["kadis.gumas", "opd.kominfo"])
def test_only_reviewers_and_admins_see_the_ranking(client, demo, username):
    login(client, username)
    assert client.get(ranking_url()).status_code == 404


def test_ranking_api_matches_the_page(client, demo):
    api = APIClient()
    api.force_authenticate(User.objects.get(username="reviewer"))
    body = api.get("/api/v1/rankings/", {"year": 2019}).json()
    assert body["count"] == 14
    first = body["results"][0]
    assert (first["rank"], first["region"]) == (1, "62.71")
    gunung_mas = next(r for r in body["results"] if r["region"] == "62.10")
    assessment = Assessment.objects.get(region__code="62.10", year=2019)
    result = assessment_result(assessment)
    assert gunung_mas["index"] == float(result.index)
    assert [d["score"] for d in gunung_mas["dimensions"]] == [
        float(d.score) for d in result.dimensions
    ]
    assert gunung_mas["rating"] == "Kurang"
    api.force_authenticate(User.objects.get(username="kadis.gumas"))
    assert api.get("/api/v1/rankings/", {"year": 2019}).status_code == 404
    api.force_authenticate(User.objects.get(username="reviewer"))
    assert api.get("/api/v1/rankings/", {"year": "dua ribu"}).status_code == 400


def test_dashboard_shows_the_same_numbers_as_the_scoring_function(client, demo):
    login(client, "kadis.gumas")
    response = client.get(
        reverse("reports:region_dashboard", kwargs={"code": "62.10"}) + "?year=2019"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in content
    assert "<title id=" in content and "<desc id=" in content
    result = assessment_result(Assessment.objects.get(region__code="62.10", year=2019))
    for dimension in result.dimensions:
        match = re.search(rf'data-testid="score-{dimension.code}">\s*([0-9,—]+)', content)
        assert match.group(1) == f"{dimension.score:.2f}".replace(".", ",")
    assert "Unduh laporan 2019 (PDF)" in content


def test_dashboard_summarises_the_inventory_as_the_catalogue_counts_it(client, demo):
    from opds.models import Application

    login(client, "kadis.gumas")
    response = client.get(reverse("reports:region_dashboard", kwargs={"code": "62.10"}))
    inventory = response.context["inventory"]
    assert (
        inventory.summary.total
        == Application.objects.filter(opd__region__code="62.10").count()
        >= 30
    )
    assert inventory.duplicate_pairs >= 1
    assert "aplikasi tercatat dalam katalog" in response.content.decode()


def test_dashboard_defaults_to_the_latest_year(client, demo):
    login(client, "kadis.gumas")
    response = client.get(reverse("reports:region_dashboard", kwargs={"code": "62.10"}))
    assert response.context["year"] == 2021
    assert response.context["assessment"].framework.code == "spbe-2020"


def test_a_head_cannot_see_another_regions_dashboard(client, demo):
    login(client, "kadis.gumas")
    assert (
        client.get(reverse("reports:region_dashboard", kwargs={"code": "62.71"})).status_code == 404
    )
    login(client, "opd.kominfo")
    assert (
        client.get(reverse("reports:region_dashboard", kwargs={"code": "62.10"})).status_code == 404
    )


def test_ranking_and_dashboard_take_a_bounded_number_of_queries(
    client, demo, django_assert_max_num_queries
):
    from reports.figures import framework_for

    reviewer = User.objects.get(username="reviewer")
    framework = framework_for()
    province = Assessment.objects.first().region.parent
    indicators = list(Indicator.objects.filter(dimension__framework=framework))
    for number in range(30, 50):
        region = RegencyFactory(parent=province, code=str(number))
        OPDFactory.create_batch(3, region=region)
        assessment = workflow.assessment_create(
            user=reviewer, region=region, year=2019, framework=framework
        )
        for indicator in indicators[:10]:
            workflow.answer_save(assessment, indicator, user=reviewer, version=0, verified_level=2)
    client.force_login(reviewer)
    # One of them counts the unread notifications in the navigation; one finds the year's
    # framework (the province's cycle), one its rating bands for the legend.
    with django_assert_max_num_queries(18):
        assert client.get(ranking_url()).status_code == 200
    dashboard = reverse("reports:region_dashboard", kwargs={"code": "62.10"})
    with django_assert_max_num_queries(17):
        assert client.get(dashboard + "?year=2019").status_code == 200
    # The latest year is SPBE 2021, its trend continuing PeGI's through the crosswalk: each
    # framework's structure is read once, however many years of it the trend holds.
    with CaptureQueriesContext(connection) as spbe_2021:
        assert client.get(dashboard).status_code == 200
    assert len(spbe_2021) <= 28
    # Two more SPBE drafts: a draft's page counts its live figures (a few queries more than a
    # final's frozen ones), and the same whether the trend has five years or six.
    spbe = Framework.objects.get(code="spbe-2020")
    counts = []
    for year in (2022, 2023):
        later = workflow.assessment_create(
            user=reviewer, region=Region.objects.get(code="62.10"), year=year, framework=spbe
        )
        for indicator in Indicator.objects.filter(dimension__framework=spbe)[:5]:
            workflow.answer_save(later, indicator, user=reviewer, version=0, verified_level=3)
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"{dashboard}?year={year}").status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1] <= 36


def test_dashboard_holds_the_scores_against_the_master_plan_targets(client, demo):
    from masterplan.models import DimensionTarget

    login(client, "kadis.gumas")
    response = client.get(
        reverse("reports:region_dashboard", kwargs={"code": "62.10"}) + "?year=2019"
    )
    plan = response.context["plan"]
    assert plan is not None and plan.plan.start_year == 2017
    target = DimensionTarget.objects.get(
        plan_id=plan.plan.pk, year=2019, dimension__code="planning"
    )
    row = next(row for row in plan.rows if row[0] == "planning")
    assert row[1] == Decimal("1.86") and row[2] == target.score
    assert row[3] == Decimal("1.86") - target.score
    content = response.content.decode()
    assert "Anggaran rencana induk" in content
    assert "Rp " in content
