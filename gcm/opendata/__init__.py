"""Open data: tables as CSV and XLSX, the export, the data dictionary."""
