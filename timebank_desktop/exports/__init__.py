"""File formats: PDF (reportlab), Excel (openpyxl), sync bundles, journals. No Qt, no ORM."""
