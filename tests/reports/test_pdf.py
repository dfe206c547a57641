import re
import threading

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import workflow
from assessments.models import Assessment
from assessments.scoring import assessment_result
from reports import pdf
from reports.pdf import parse_code
from tests.reports.conftest import pdf_pages, pdf_text

User = get_user_model()


def region_pdf_url(code="62.10", year=2019):
    return reverse("reports:region_report", kwargs={"code": code, "year": year})


def fetch(client, username, url):
    client.force_login(User.objects.get(username=username))
    return client.get(url)


def decimal_id(value):
    return f"{value:.2f}".replace(".", ",")


def test_region_pdf_page_and_api_show_the_same_numbers(client, demo, tmp_path):
    response = fetch(client, "kadis.gumas", region_pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_text(response.content, tmp_path, layout=True)
    text = "\n".join(pages)
    assessment = Assessment.objects.get(region__code="62.10", year=2019)
    result = assessment_result(assessment)
    assert decimal_id(result.index) == "2,20"
    assert re.search(r"Indeks.*\n\s*2,20\s+Kurang", pages[0])
    for dimension, score in zip(
        ["Kebijakan", "Kelembagaan", "Infrastruktur", "Aplikasi", "Perencanaan"],
        result.dimensions,
        strict=True,
    ):
        assert re.search(rf"{dimension}\s+{decimal_id(score.score)}", text), dimension
    api = APIClient()
    api.force_authenticate(User.objects.get(username="kadis.gumas"))
    body = api.get(f"/api/v1/assessments/{assessment.pk}/").json()
    assert decimal_id(body["index"]) in pages[0]
    dashboard = client.get(
        reverse("reports:region_dashboard", kwargs={"code": "62.10"}) + "?year=2019"
    )
    assert f'data-testid="index">{decimal_id(result.index)}' in dashboard.content.decode().replace(
        "\n", ""
    )


def test_region_pdf_structure_every_page_numbered_and_coded(client, demo, tmp_path):
    data = fetch(client, "kadis.gumas", region_pdf_url()).content
    count = pdf_pages(data, tmp_path)
    pages = pdf_text(data, tmp_path)
    assert count == len(pages) >= 4
    codes = set()
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {count}" in page
        codes.update(re.findall(r"Kode verifikasi: (\S+)", page))
    assert len(codes) == 1
    version = parse_code(codes.pop())
    assert (version.region_code, version.year) == ("62.10", 2019)
    assert "PEMERINTAH PROVINSI KALIMANTAN TENGAH" in pages[0]
    text = "\n".join(pages)
    for heading in ["Skor per dimensi", "Perkembangan indeks", "Rekomendasi", "Rincian indikator"]:
        assert heading in text
    assert "Sekitar 30 aplikasi dibangun sendiri" in " ".join(text.split())
    assert "DRAF" not in text


def test_a_draft_report_carries_a_visible_draft_mark(client, demo, tmp_path):
    data = fetch(client, "kadis.gumas", region_pdf_url(year=2020)).content
    pages = pdf_text(data, tmp_path)
    assert all("DRAF" in page for page in pages)


def test_the_pdf_is_cached_per_assessment_version(client, demo, tmp_path):
    first = fetch(client, "reviewer", region_pdf_url(year=2020)).content
    again = client.get(region_pdf_url(year=2020)).content
    assert again == first
    draft = Assessment.objects.get(region__code="62.10", year=2020)
    indicator = draft.framework.dimensions.get(code="policy").indicators.get(code="policy-01")
    workflow.answer_save(
        draft,
        indicator,
        user=User.objects.get(username="reviewer"),
        version=1,
        verified_level=4,
        reason="Perbup direvisi 2020",
    )
    changed = client.get(region_pdf_url(year=2020)).content
    assert changed != first
    old_code = re.search(r"Kode verifikasi: (\S+)", pdf_text(first, tmp_path)[0]).group(1)
    new_code = re.search(r"Kode verifikasi: (\S+)", pdf_text(changed, tmp_path)[0]).group(1)
    assert old_code != new_code
    content = client.get(reverse("reports:verify"), {"code": old_code}).content.decode()
    assert "telah berubah" in content


def test_a_year_without_assessment_is_a_404_that_says_so(client, demo):
    response = fetch(client, "kadis.gumas", region_pdf_url(year=2015))
    assert response.status_code == 404
    assert "Belum ada penilaian Kabupaten Gunung Mas untuk tahun 2015." in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_malformed_year_or_code_is_404(client, demo):
    client.force_login(User.objects.get(username="kadis.gumas"))
    assert client.get("/reports/regions/62.10/20x9.pdf").status_code == 404
    assert client.get("/reports/regions/99.99/2019.pdf").status_code == 404


def test_a_head_asking_for_another_regions_report_gets_404(client, demo):
    assert fetch(client, "kadis.gumas", region_pdf_url(code="62.71")).status_code == 404
    assert fetch(client, "opd.kominfo", region_pdf_url()).status_code == 404


def test_province_pdf_has_the_ranking_and_averages(client, demo, tmp_path):
    url = reverse("reports:province_report", kwargs={"code": "62", "year": 2019})
    response = fetch(client, "reviewer", url)
    assert response.status_code == 200
    text = "\n".join(pdf_text(response.content, tmp_path, layout=True))
    assert re.search(r"1\s+Kota Palangka Raya\s+3,17", text)
    assert re.search(r"Kabupaten Gunung Mas\s+2,20", text)
    assert "Rata-rata provinsi per dimensi" in text
    assert fetch(client, "kadis.gumas", url).status_code == 404
    assert (
        fetch(
            client,
            "reviewer",
            reverse("reports:province_report", kwargs={"code": "62", "year": 2010}),
        ).status_code
        == 404
    )


def cached_reports():
    return default_storage.listdir("report-cache")[1]


def test_a_request_waits_for_a_rendering_already_under_way(client, demo, monkeypatch):
    first = fetch(client, "reviewer", region_pdf_url(year=2020)).content
    (name,) = cached_reports()
    default_storage.delete(f"report-cache/{name}")
    # Another request (of any process sharing the cache) is rendering it, and saves it soon.
    cache.add(f"report-rendering:report-cache/{name}", True)
    finisher = threading.Timer(
        0.5, lambda: default_storage.save(f"report-cache/{name}", ContentFile(first))
    )
    finisher.start()
    waited = client.get(region_pdf_url(year=2020)).content
    finisher.join()
    assert waited == first
    assert cached_reports() == [name]  # nothing rendered and saved a second time


def test_a_rendering_that_never_ends_is_not_waited_for_long(client, demo, monkeypatch):
    fetch(client, "reviewer", region_pdf_url(year=2020))
    (name,) = cached_reports()
    default_storage.delete(f"report-cache/{name}")
    cache.add(f"report-rendering:report-cache/{name}", True)
    monkeypatch.setattr(pdf, "RENDER_WAIT", 0.5)
    response = client.get(region_pdf_url(year=2020))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert cached_reports() == [name]


def test_the_region_pdf_scores_each_aspect_under_its_domain(client, demo, tmp_path):
    """As the assessment page does: an SPBE year's aspects with their scores and ratings under
    their domains, on the first page and over the indicators; a PeGI year has no aspects."""
    url = region_pdf_url(year=2021)
    pages = pdf_text(fetch(client, "reviewer", url).content, tmp_path, layout=True)
    assessment = Assessment.objects.get(region__code="62.10", year=2021)
    result = assessment_result(assessment)
    text = "\n".join(pages)
    for dimension in assessment.framework.dimensions.prefetch_related("aspects"):
        scores = result.dimension(dimension.code)
        assert re.search(rf"{dimension.name}\s+{decimal_id(scores.score)}", pages[0])
        for aspect in dimension.aspects.all():
            aspect_scores = scores.aspect(aspect.code)
            rating = aspect_scores.rating.name
            row = rf"Aspek {aspect.name}\s+{decimal_id(aspect_scores.score)}\s+{rating}"
            assert re.search(row, pages[0]), aspect.name
            assert f"Aspek {aspect.name} — {decimal_id(aspect_scores.score)}" in text
    assert "Aspek Teknologi Informasi dan Komunikasi" in pages[0]
    pegi = pdf_text(fetch(client, "reviewer", region_pdf_url(year=2019)).content, tmp_path)
    assert "Aspek" not in "\n".join(pegi)


def test_an_aspect_heading_never_ends_a_page_of_the_region_pdf(client, demo, tmp_path):
    # In this report the heading of "Teknologi Informasi dan Komunikasi" falls at the foot of
    # a page unless it is kept with its first indicator.
    data = fetch(client, "reviewer", region_pdf_url(year=2021)).content
    headings = 0
    for page in pdf_text(data, tmp_path):
        lines = [line for line in page.splitlines() if line.strip()]
        body = lines[: next(i for i, line in enumerate(lines) if "Kode verifikasi" in line)]
        assert not re.match(r"Aspek .+ — ", body[-1]), body[-1]
        headings += sum(bool(re.match(r"Aspek .+ — ", line)) for line in body)
    assert headings == 8


def test_the_province_pdf_keeps_each_region_name_on_one_line(client, demo, tmp_path):
    # SPBE's domain names are long; they wrap in their headers, not the regions' names.
    url = reverse("reports:province_report", kwargs={"code": "62", "year": 2021})
    text = "\n".join(pdf_text(fetch(client, "reviewer", url).content, tmp_path, layout=True))
    assert re.search(r"2\s+Kabupaten Kotawaringin Barat\s+2,53", text)
    assert re.search(r"1\s+Kota Palangka Raya\s+3,01", text)
