"""The ranking page as a spreadsheet: the same rows in the same order, the same columns and
the province averages below them."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from egov_portal.spreadsheets import (
    CHANGE,
    INTEGER,
    SCORE,
    Column,
    FileFormat,
    Table,
    exported_on,
    table_response,
)
from reports.figures import dimension_averages


def ranking_table(rows, *, dimensions, province, year, framework) -> Table:
    """``rows`` as ``province_ranking`` orders them for the page, with its columns: the rank
    (empty for a region not ranked), scores, rating, change from the year before and status
    ("Belum dinilai" for a region without an assessment), then the province averages."""
    columns = [
        Column(_("Peringkat"), INTEGER),
        Column(_("Kabupaten/kota")),
        Column(_("Indeks"), SCORE),
        Column(_("Predikat")),
        *[Column(dimension.label, SCORE) for dimension in dimensions],
        Column(_("Perubahan"), CHANGE),
        Column(_("Status")),
    ]
    averages = dimension_averages(rows, dimensions)
    return Table(
        title=_("Peringkat e-Government %(province)s %(year)s")
        % {"province": province.name, "year": year},
        notes=[exported_on(), _("Kerangka penilaian: %(name)s") % {"name": framework.label}],
        sheet=_("Peringkat %(year)s") % {"year": year},
        columns=columns,
        rows=[
            [
                row.rank,
                row.region.name,
                row.index,
                row.result.rating.label if row.result and row.result.rating else None,
                *[row.score(dimension.code) for dimension in dimensions],
                row.change,
                row.assessment.get_status_display() if row.assessment else _("Belum dinilai"),
            ]
            for row in rows
        ],
        footer=[
            [
                None,
                _("Rata-rata provinsi"),
                None,
                None,
                *[averages[dimension.code] for dimension in dimensions],
                None,
                None,
            ]
        ],
    )


def ranking_response(
    rows, *, dimensions, province, year, framework, file_format: FileFormat
) -> HttpResponse:
    """The ranking as it is on the page (same order, same numbers) in ``file_format``."""
    table = ranking_table(
        rows, dimensions=dimensions, province=province, year=year, framework=framework
    )
    return table_response(
        table, file_format=file_format, filename=f"peringkat-egov-{province.code}-{year}"
    )
