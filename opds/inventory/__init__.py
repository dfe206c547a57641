"""The application inventory's domain logic: plain functions, testable without HTTP.

- ``records``: create, change, retire and delete an application (with its history), how
  complete a record is, and its history as a reader sees it;
- ``duplicates``: likely duplicates across the OPDs of a region;
- ``catalogue``: the summary figures of a catalogue;
- ``spreadsheets``: CSV/XLSX export and the two-step import (preview, then apply).
"""

from opds.inventory.catalogue import CatalogueSummary, catalogue_summary
from opds.inventory.duplicates import DuplicatePair, likely_duplicates, similarity
from opds.inventory.records import (
    Completeness,
    application_completeness,
    application_create,
    application_delete,
    application_history,
    application_retire,
    application_update,
)
from opds.inventory.spreadsheets import (
    ImportPreview,
    SpreadsheetError,
    export_csv,
    export_rows,
    export_xlsx,
    import_apply,
    import_preview,
    neutralise_cell,
    read_spreadsheet,
)

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
    "catalogue_summary",
    "export_csv",
    "export_rows",
    "export_xlsx",
    "import_apply",
    "import_preview",
    "likely_duplicates",
    "neutralise_cell",
    "read_spreadsheet",
    "similarity",
]
