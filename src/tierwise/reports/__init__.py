"""Reports people read: sales analysis (and, next, the Excel workbook and HTML report)."""
