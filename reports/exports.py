from django.http import HttpResponse
from django.utils.translation import gettext as _

from egov_portal.spreadsheets import csv_text, xlsx_bytes


def ranking_table(rows, dimensions):
    header = [_("Peringkat"), _("Kode"), _("Wilayah"), _("Indeks"), _("Predikat")]
    header += [d.label for d in dimensions]
    header += [_("Perubahan dari tahun sebelumnya"), _("Status")]
    yield header
    for row in rows:
        yield [
            row.rank,
            row.region.code,
            row.region.name,
            row.index,
            row.result.rating.label if row.result and row.result.rating else "",
            *[row.score(d.code) for d in dimensions],
            row.change,
            row.assessment.get_status_display() if row.assessment else "",
        ]


def ranking_response(rows, *, dimensions, province, year, kind) -> HttpResponse:
    """The ranking as it is on the page (same order, same numbers) as CSV or XLSX."""
    filename = f"peringkat-egov-{province.code}-{year}"
    table = ranking_table(rows, dimensions)
    if kind == "xlsx":
        response = HttpResponse(
            xlsx_bytes(table, sheet=_("Peringkat %(year)s") % {"year": year}),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = HttpResponse(csv_text(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
