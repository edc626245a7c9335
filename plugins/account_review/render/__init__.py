"""Turning gathered reviews into files: PDF (WeasyPrint) and Excel (openpyxl)."""
