"""The application inventory's domain logic: plain functions, testable without HTTP.

- ``records``: create, change, retire and delete an application (with its history), how
  complete a record is, and its history as a reader sees it;
- ``duplicates``: likely duplicates across the OPDs of a region;
- ``catalogue``: the summary figures of a catalogue;
- ``spreadsheet_export``: the catalogue as CSV or XLSX, formulas neutralised, and the empty
  template to fill for an import;
- ``spreadsheet_read`` and ``spreadsheet_import``: the two-step import from CSV or XLSX
  (read and preview, then apply).
"""

from egov_portal.spreadsheets import neutralise_cell
from opds.inventory.catalogue import (
    CatalogueSummary,
    catalogue_counts,
    catalogue_summary,
    summary_from_counts,
)
from opds.inventory.duplicates import (
    DuplicatePair,
    duplicates_among,
    likely_duplicates,
    region_duplicates,
    similarity,
)
from opds.inventory.records import (
    Completeness,
    application_completeness,
    application_create,
    application_delete,
    application_history,
    application_retire,
    application_update,
)
from opds.inventory.spreadsheet_export import (
    export_csv,
    export_rows,
    export_table,
    export_xlsx,
    import_template,
)
from opds.inventory.spreadsheet_import import ImportPreview, import_apply, import_preview
from opds.inventory.spreadsheet_read import SpreadsheetError, read_spreadsheet

__all__ = [
    "CatalogueSummary",
    "Completeness",
    "DuplicatePair",
    "ImportPreview",
    "SpreadsheetError",
    "application_completeness",
    "application_create",
    "application_delete",
    "application_history",
    "application_retire",
    "application_update",
    "catalogue_counts",
    "catalogue_summary",
    "duplicates_among",
    "summary_from_counts",
    "export_csv",
    "export_rows",
    "export_table",
    "export_xlsx",
    "import_apply",
    "import_template",
    "import_preview",
    "likely_duplicates",
    "region_duplicates",
    "neutralise_cell",
    "read_spreadsheet",
    "similarity",
]
