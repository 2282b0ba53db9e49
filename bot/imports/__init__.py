"""Importing statistics tables: reading files, parsing, previews and applying them."""
