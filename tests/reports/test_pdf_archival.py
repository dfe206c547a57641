"""The PDF reports as an archive and a screen reader receive them: PDF/A-3b, tagged, described
by XMP metadata, set only in the fonts the portal ships, with legible charts and headings kept
with what they introduce. Every check reads the real PDF back with poppler."""

import io
import re
import shutil
import subprocess
from xml.etree import ElementTree

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from masterplan.models import DimensionTarget
from opds.models import Region
from reports import documents, pdf
from tests.reports.conftest import pdf_text

User = get_user_model()
SVG = "{http://www.w3.org/2000/svg}"


def region_url(year=2019):
    return reverse("reports:region_report", kwargs={"code": "62.10", "year": year})


def province_url(year=2019):
    return reverse("reports:province_report", kwargs={"code": "62", "year": year})


def fetch(client, url, *, language="id"):
    client.force_login(User.objects.get(username="reviewer"))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def poppler(tool, data, tmp_path, *args):
    """What a poppler tool prints for the PDF (pdftotext told to print, not write a file)."""
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(data)
    command = [tool, *args, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def xmp(data, tmp_path):
    """The XMP packet, as ``{(namespace, name): [values]}`` over every rdf:Description."""
    packet = poppler("pdfinfo", data, tmp_path, "-meta")
    root = ElementTree.fromstring(
        packet[packet.index("<x:xmpmeta") : packet.index("</x:xmpmeta>") + 12]
    )
    values = {}
    for description in root.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description"):
        for name, value in description.attrib.items():
            values.setdefault(name, []).append(value)
        for element in description:
            texts = [item.text for item in element.iter() if item.text and item.text.strip()]
            values.setdefault(element.tag, []).extend(texts)
    return values


DC = "{http://purl.org/dc/elements/1.1/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"
PDF = "{http://ns.adobe.com/pdf/1.3/}"


@pytest.mark.parametrize(
    ("url", "title"),
    [
        (region_url(), "Laporan Kapabilitas e-Government Kabupaten Gunung Mas 2019"),
        (province_url(), "Peringkat Kapabilitas e-Government Provinsi Kalimantan Tengah 2019"),
    ],
)
def test_reports_are_tagged_pdf_a_3b_with_archival_metadata(client, demo, tmp_path, url, title):
    data = fetch(client, url)
    meta = xmp(data, tmp_path)
    assert meta[f"{PDFAID}part"] == ["3"]
    assert meta[f"{PDFAID}conformance"] == ["B"]
    assert meta[f"{DC}title"] == [title]
    assert meta[f"{DC}creator"] == [django_settings.REPORT_ISSUER]
    assert meta[f"{DC}language"] == ["id"]
    assert "2019" in meta[f"{DC}description"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", meta[f"{XMP}CreateDate"][0])
    info = poppler("pdfinfo", data, tmp_path)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(rf"^Title:\s+{re.escape(title)}$", info, re.MULTILINE)
    assert re.search(rf"^Author:\s+{re.escape(django_settings.REPORT_ISSUER)}$", info, re.M)


def test_an_english_report_names_its_language_in_the_metadata(client, demo, tmp_path):
    meta = xmp(fetch(client, region_url(), language="en"), tmp_path)
    assert meta[f"{DC}language"] == ["en"]
    assert meta[f"{PDFAID}part"] == ["3"]


@pytest.mark.parametrize("url", [region_url(2019), region_url(2020), province_url()])
def test_every_font_is_the_shipped_dejavu_sans_embedded(client, demo, tmp_path, url):
    # "Portal Sans" is the family the report's @font-face rules give the shipped DejaVu Sans
    # files; a font the system supplied (the charts' text once fell back to one) would appear
    # under its own name.
    listing = poppler("pdffonts", fetch(client, url), tmp_path).splitlines()[2:]
    fonts = {(line.split()[0].split("+", 1)[1], line.split()[-5]) for line in listing}
    assert fonts == {("Portal-Sans", "yes"), ("Portal-Sans-Bold", "yes")}


def chart_text_sizes(source):
    """Each chart's smallest text as printed, in points: the text's font size in the chart's
    user units × the width the chart is laid out at / the width of its viewBox."""
    document = pdf.render_document(
        source.template, {**source.build(), "report_version": source.version}
    )
    sizes = {}

    def walk(box):
        element = getattr(box, "element", None)
        if element is not None and element.tag == f"{SVG}svg" and element.get("class") == "chart":
            view_width = float(element.get("viewBox").split()[2])
            title = element.find(f"{SVG}title").text
            smallest = min(
                float(text.get("font-size", element.get("font-size")))
                for text in element.iter(f"{SVG}text")
            )
            # CSS px to pt: 72 / 96.
            sizes[title] = smallest * box.width / view_width * 0.75
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return sizes


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_chart_text_prints_under_7_points(demo, language):
    reviewer = User.objects.get(username="reviewer")
    with translation.override(language):
        region = documents.region_report_source(
            user=reviewer, region=Region.objects.get(code="62.10"), year=2019
        )
        province = documents.province_report_source(
            user=reviewer, province=Region.objects.get(code="62"), year=2019
        )
        region_sizes, province_sizes = chart_text_sizes(region), chart_text_sizes(province)
    # Radar, history, master plan and application charts; ranking and averages.
    assert len(region_sizes) == 4
    assert len(province_sizes) == 2
    for title, size in {**region_sizes, **province_sizes}.items():
        assert size >= 7, f"{title}: {size:.2f} pt"


SECTIONS = {
    # heading: text of the first thing it introduces (a chart's label, a table's first row)
    "Skor per dimensi": "Perencanaan",
    "Perkembangan indeks": "2018",
    "Rekomendasi": "→",
    "Rencana induk: target, capaian dan anggaran": "Target rencana induk",
    "Katalog aplikasi": "Dalam pengembangan",
    "Rincian indikator": "policy-01",
}


def heading_positions(data, tmp_path):
    """For each section heading: its page and how far down that page it starts (0 top, 1 foot)."""
    html = poppler("pdftotext", data, tmp_path, "-bbox-layout")
    found = {}
    for number, page in enumerate(re.findall(r"<page .*?</page>", html, re.S)):
        height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', page).group(1))
        for y, words in re.findall(
            r'<line xMin="[\d.]+" yMin="([\d.]+)"[^>]*>(.*?)</line>', page, re.S
        ):
            text = " ".join(re.findall(r">([^<]+)</word>", words))
            if text in SECTIONS:
                found[text] = (number, float(y) / height)
    return found


def test_a_section_heading_stays_on_the_page_of_its_table_or_chart(
    client, demo, tmp_path, settings
):
    """A longer letterhead address pushes every section down, so across these renderings the
    headings pass the foot of a page; each must take its table or chart along."""
    client.force_login(User.objects.get(username="reviewer"))
    carried_over = set()
    for copies in range(0, 30, 3):
        settings.MEDIA_ROOT = tmp_path / f"media-{copies}"
        settings.REPORT_ADDRESS = " · ".join(["Jalan Tjilik Riwut Km 5, Palangka Raya"] * copies)
        data = client.get(region_url()).content
        pages = pdf_text(data, tmp_path)
        for heading, (number, position) in heading_positions(data, tmp_path).items():
            after = pages[number].split(heading, 1)[1]
            assert SECTIONS[heading] in after, (
                f"{heading} apart from its content on page {number + 1} ({copies} copies)"
            )
            if number and position < 0.15:
                carried_over.add(heading)
    # The renderings did take headings across a page break (the case being tested).
    assert len(carried_over) >= 3, carried_over


def test_the_letterhead_and_page_numbers_read_right_in_each_language(client, demo, tmp_path):
    indonesian = pdf_text(fetch(client, region_url()), tmp_path)[0]
    assert "PEMERINTAH PROVINSI KALIMANTAN TENGAH" in indonesian
    assert re.search(r"Halaman 1 dari \d+", indonesian)
    english = pdf_text(fetch(client, province_url(), language="en"), tmp_path)[0]
    assert "PROVINCIAL GOVERNMENT OF KALIMANTAN TENGAH" in english
    assert "PROVINSI" not in english.split("\n", 2)[0]
    assert re.search(r"Page 1 of \d+", english)


def test_a_change_to_the_charts_or_the_render_options_is_a_new_layout(
    settings, tmp_path, monkeypatch
):
    for source in pdf.LAYOUT_SOURCES:
        origin, copy = django_settings.BASE_DIR / source, tmp_path / source
        copy.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if origin.is_dir() else shutil.copy)(origin, copy)
    settings.BASE_DIR = tmp_path
    pdf.layout_digest.cache_clear()
    try:
        before = pdf.layout_digest()
        charts = tmp_path / "egov_portal" / "charts.py"
        charts.write_text(charts.read_text().replace('font-size="12"', 'font-size="13"'))
        pdf.layout_digest.cache_clear()
        redrawn = pdf.layout_digest()
        assert redrawn != before
        monkeypatch.setitem(pdf.PDF_OPTIONS, "pdf_variant", "pdf/a-2b")
        pdf.layout_digest.cache_clear()
        assert pdf.layout_digest() not in (before, redrawn)
    finally:
        pdf.layout_digest.cache_clear()


def test_every_template_a_report_includes_is_part_of_its_layout():
    sources = {django_settings.BASE_DIR / source for source in pdf.LAYOUT_SOURCES}
    pending = sorted((django_settings.BASE_DIR / "templates/reports/pdf").glob("*.html"))
    seen = set()
    while pending:
        template = pending.pop()
        if template in seen:
            continue
        seen.add(template)
        assert template in sources or template.parent in sources, template
        for name in re.findall(r'{% include "([^"]+)"', template.read_text()):
            pending.append(django_settings.BASE_DIR / "templates" / name)
    assert len(seen) > 5


def table_cells(tree):
    """Each tagged data cell's text with the texts of the header cells the tags give it, from
    the structure tree ``pdfinfo -struct-text`` prints."""
    headers, cells, pending = {}, [], None
    for line in tree.splitlines():
        line = line.strip()
        if match := re.fullmatch(r"TH <(.+)>", line):
            pending = ("TH", match.group(1))
        elif match := re.fullmatch(r"/Headers \[(.*)\]", line):
            pending = ("TD", re.findall(r"\(([^)]*)\)", match.group(1)))
        elif pending and line.startswith('"'):
            kind, value = pending
            text = line.strip('"').strip()
            if kind == "TH":
                headers[value] = text
            else:
                cells.append((text, [headers.get(key) for key in value]))
            pending = None
    return cells


def test_table_cells_are_tagged_with_their_row_and_column_headers(client, demo, tmp_path):
    # The province report: poppler takes long to print the region report's larger tree, and
    # both reports' tables are written the same way.
    tree = poppler("pdfinfo", fetch(client, province_url()), tmp_path, "-struct-text")
    cells = table_cells(tree)
    assert ("3,17", ["Kota Palangka Raya", "Indeks"]) in cells
    assert ("2,86", ["Kota Palangka Raya", "Perencanaan"]) in cells
    assert ("2,41", ["Aplikasi", "Rata-rata"]) in cells
    # The headings and the charts (each a figure) are in the structure a reader follows.
    assert re.search(r'H2 \(block\)\n\s+Span \(inline\)\n\s+"Peringkat"', tree)
    assert tree.count("Figure:") == 3  # the emblem and two charts


def figures(data):
    """The alternative text (/Alt) of each Figure in the structure tree, in reading order; None
    for a figure without one. poppler's ``pdfinfo -struct`` does not print /Alt, so the tree is
    read with pyHanko's PDF reader."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    found = []

    def walk(node):
        node = node.get_object() if isinstance(node, generic.IndirectObject) else node
        if isinstance(node, generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, generic.DictionaryObject) and "/S" in node:
            if node["/S"] == "/Figure":
                found.append(str(node["/Alt"]) if "/Alt" in node else None)
            if "/K" in node:
                walk(node.raw_get("/K"))

    walk(PdfFileReader(io.BytesIO(data)).root["/StructTreeRoot"].raw_get("/K"))
    return found


@pytest.mark.parametrize(
    ("url", "language"), [(region_url(), "id"), (province_url(), "id"), (province_url(), "en")]
)
def test_every_figure_has_alternative_text(client, demo, url, language):
    alt_texts = figures(fetch(client, url, language=language))
    with translation.override(language):
        emblem = gettext("Lambang Pemerintah Provinsi %(name)s") % {"name": "Kalimantan Tengah"}
    assert alt_texts[0] == emblem  # the letterhead's, in the report's language
    assert len(alt_texts) >= 3
    assert all(text and text.strip() for text in alt_texts), alt_texts


def test_a_plan_without_targets_for_the_year_charts_the_scores_alone_and_says_so(
    client, demo, tmp_path
):
    with_targets = " ".join(" ".join(pdf_text(fetch(client, region_url(2020)), tmp_path)).split())
    assert "Target rencana induk" in with_targets
    DimensionTarget.objects.filter(plan__region__code="62.10", year=2020).delete()
    text = " ".join(" ".join(pdf_text(client.get(region_url(2020)).content, tmp_path)).split())
    assert "Target rencana induk" not in text  # no legend entry for a series without values
    assert "tidak menetapkan target skor dimensi untuk tahun 2020" in text
