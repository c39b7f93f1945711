"""The import of organisations from CSV and XLSX files: read → parse → plan → write (README.md)."""
