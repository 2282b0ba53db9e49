"""The Excel report workbook in the letters' appendix layout, and its CLI."""
